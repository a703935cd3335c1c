/** The import job over real readers: preview writes nothing, progress, problems of every file. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/main/storage/import/import-types';
import { previewImport, runImport } from '../../../src/main/storage/import/import-job';
import type { ImportProgress } from '../../../src/shared/import-contract';
import { makeDataDir, removeDataDir } from '../fixtures';
import { snapshot } from './commit-helpers';

let dir: string;
beforeEach(async () => {
  dir = await makeDataDir();
});
afterEach(async () => removeDataDir(dir));

function csv(name: string, rows: number, bad: Record<number, string> = {}): string {
  const start = Date.parse('2024-03-04T14:30:00Z');
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < rows; i++) {
    lines.push(bad[i] ?? `${new Date(start + i * 1000).toISOString()},100,101,99,100,5`);
  }
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('the import job', () => {
  it('previews without writing anything', async () => {
    const file = csv('AAPL.csv', 100);
    const data = join(dir, 'data');
    const [preview] = await previewImport([file]);
    expect(preview.symbols).toMatchObject([
      { symbol: 'AAPL', kind: 'bars', interval: '1s', rows: 100 },
    ]);
    expect(existsSync(data)).toBe(false);
  });

  it('reports percent and rows/s to the caller, ending at 100', async () => {
    const files = [csv('AAPL.csv', 30_000), csv('MSFT.csv', 30_000)];
    const seen: ImportProgress[] = [];
    const result = await runImport(files, {}, 'parquet', {
      dataDir: join(dir, 'data'),
      onProgress: (p) => seen.push(p),
    });
    expect(result.streams.map((s) => [s.symbol, s.rows])).toEqual([
      ['AAPL', 30_000],
      ['MSFT', 30_000],
    ]);
    expect(seen.length).toBeGreaterThan(1);
    const percents = seen.map((p) => p.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ percent: 100, rows: 60_000 });
    expect(seen.at(-1)!.rowsPerSecond).toBeGreaterThan(0);
  });

  it('lists the problems of every file that cannot be opened, and writes nothing', async () => {
    const data = join(dir, 'data');
    const error = await runImport([join(dir, 'a.csv'), join(dir, 'b.parquet')], {}, 'both', {
      dataDir: data,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).problems.map((p) => p.file)).toEqual([
      join(dir, 'a.csv'),
      join(dir, 'b.parquet'),
    ]);
    expect(existsSync(data)).toBe(false);
  });

  it('a file refused after some of it was read (bad rows) leaves the stores as they were', async () => {
    const data = join(dir, 'data');
    await runImport([csv('AAPL.csv', 100)], {}, 'both', { dataDir: data });
    const before = snapshot(data);
    const bad = csv('AAPL-2.csv', 100_000, { 99_000: '2024-03-05T15:00:00Z,100,90,99,100,5' });
    const error = await runImport([bad], { symbol: 'AAPL' }, 'both', { dataDir: data }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportError);
    expect(snapshot(data)).toEqual(before);
  });
});
