import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportCommitResponse, ImportPreviewResponse } from '../../src/shared/ipc-contract';
import type { CatalogEntry } from '../../src/shared/import-contract';
import { ApiRequestError } from '../../src/main/service/api-error';
import { recorder, type Recorder } from './service-helpers';

/** Ten 1m bars of a new symbol on 2024-03-06, from 09:30 New York. */
function csv(): string {
  const start = Date.parse('2024-03-06T14:30:00Z');
  const rows = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < 10; i++) {
    const t = new Date(start + i * 60_000).toISOString();
    rows.push(`${t},${100 + i},${101 + i},${99 + i},${100.5 + i},${1000 + i}`);
  }
  return `${rows.join('\n')}\n`;
}

const upload = (name: string, text: string) => ({
  name,
  base64: Buffer.from(text).toString('base64'),
});

let open: Recorder[] = [];
afterEach(async () => {
  await Promise.all(open.map((r) => r.service.close()));
  open = [];
});

function setup(): { r: Recorder; dataDir: string; staging: string } {
  const root = mkdtempSync(join(tmpdir(), 'tapedeck-import-'));
  const dataDir = join(root, 'data');
  const staging = join(root, 'staging');
  const r = recorder({ dataDir });
  open.push(r);
  return { r, dataDir, staging };
}

function stagedFolders(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('tapedeck-upload-'));
}

describe('imports through the service', () => {
  it('stages uploaded bytes, previews, commits, and the catalog has the new symbol', async () => {
    const { r, dataDir } = setup();
    const before = new Set(stagedFolders());
    const preview = await r.call<ImportPreviewResponse>('importPreview', {
      files: [upload('MSFT_1m.csv', csv())],
    });
    expect(preview.importId).toMatch(/^[\w-]+$/);
    expect(preview.previews[0]!.symbols[0]).toMatchObject({ symbol: 'MSFT', rows: 10 });
    // Named as uploaded, never by the host's staging path.
    expect(preview.previews[0]!.file).toBe('MSFT_1m.csv');
    const commit = await r.call<ImportCommitResponse>('importCommit', {
      importId: preview.importId,
    });
    expect(commit.ok).toBe(true);
    const progress = r.events.filter((e) => e.event === 'importProgress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.payload).toMatchObject({ importId: preview.importId, percent: 100 });
    expect(commit.ok && commit.result.streams[0]).toMatchObject({ symbol: 'MSFT', rows: 10 });
    expect(
      existsSync(
        join(
          dataDir,
          'parquet',
          'bars',
          'interval=1m',
          'symbol=MSFT',
          'date=2024-03-06',
          'part-0.parquet',
        ),
      ),
    ).toBe(true);
    const catalog = await r.call<CatalogEntry[]>('catalog');
    expect(catalog.map((e) => [e.symbol, e.kind, e.interval, e.date, e.rows])).toContainEqual([
      'MSFT',
      'bars',
      '1m',
      '2024-03-06',
      10,
    ]);
    expect(r.logs.some((l) => l.level === 'info' && /Imported 10 rows/.test(l.message))).toBe(true);
    // The staged upload is gone once the import is over, and the id with it.
    expect(stagedFolders().filter((n) => !before.has(n))).toEqual([]);
    const again = await r
      .call('importCommit', { importId: preview.importId })
      .catch((e: unknown) => e);
    expect((again as Error).message).toMatch(/preview the files first/);
  });

  it('a cancelled import writes nothing', async () => {
    const { r, dataDir } = setup();
    const preview = await r.call<ImportPreviewResponse>('importPreview', {
      files: [upload('MSFT_1m.csv', csv())],
    });
    const running = r.call<ImportCommitResponse>('importCommit', { importId: preview.importId });
    await r.call('importCancel', { importId: preview.importId });
    const result = await running;
    expect(result).toMatchObject({ ok: false, cancelled: true });
    expect(
      existsSync(
        join(
          dataDir,
          'parquet',
          'bars',
          'interval=1m',
          'symbol=MSFT',
          'date=2024-03-06',
          'part-0.parquet',
        ),
      ),
    ).toBe(false);
    expect(r.logs.some((l) => l.level === 'warn' && /cancelled/.test(l.message))).toBe(true);
  });

  it('refuses unsafe upload names and reports unreadable files with their name', async () => {
    const { r } = setup();
    for (const name of ['../evil.csv', 'a/b.csv', '.hidden.csv']) {
      const error = await r
        .call('importPreview', { files: [upload(name, csv())] })
        .catch((e: unknown) => e);
      expect((error as Error).message, name).toMatch(/Not a file name/);
    }
    const bad = await r
      .call('importPreview', { files: [upload('junk.parquet', 'this is not parquet at all')] })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ApiRequestError);
    expect((bad as ApiRequestError).issues?.join('\n')).toMatch(/junk\.parquet/);
  });
});
