import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportBridge, type ImportEngine } from '../../src/main/service/import-bridge';

/** An import engine that records the files it is given and what they hold. */
function recordingEngine(seen: Array<{ path: string; text: string }>): ImportEngine {
  return {
    previewImport: async (files) => {
      for (const path of files) {
        seen.push({ path, text: existsSync(path) ? readFileSync(path, 'utf8') : '(not here)' });
      }
      return [];
    },
    runImport: async () => ({ files: [], target: 'parquet', streams: [], elapsedMs: 0 }),
    catalog: async () => [],
  };
}

function bridge(seen: Array<{ path: string; text: string }>, maxUploadBytes?: number) {
  const stagingRoot = mkdtempSync(join(tmpdir(), 'tapedeck-staging-'));
  return {
    stagingRoot,
    bridge: new ImportBridge({
      dataDir: '/nowhere',
      engine: recordingEngine(seen),
      onProgress: () => undefined,
      stagingRoot,
      ...(maxUploadBytes !== undefined ? { maxUploadBytes } : {}),
    }),
  };
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('ImportBridge staging', () => {
  it('writes uploads under a fresh folder, passes paths through, and cleans up on cancel', async () => {
    const seen: Array<{ path: string; text: string }> = [];
    const { bridge: b, stagingRoot } = bridge(seen);
    const { importId } = await b.preview(
      [{ name: 'a.csv', base64: b64('x,y\n1,2\n') }, { path: '/data/b.parquet' }],
      {},
    );
    expect(seen[0]!.text).toBe('x,y\n1,2\n');
    expect(seen[0]!.path.startsWith(stagingRoot)).toBe(true);
    expect(seen[1]!.path).toBe('/data/b.parquet');
    expect(readdirSync(stagingRoot)).toHaveLength(1);
    await b.cancel(importId);
    expect(readdirSync(stagingRoot)).toHaveLength(0);
    expect(existsSync(seen[0]!.path)).toBe(false);
  });

  it('refuses an upload over the limit before decoding it', async () => {
    const { bridge: b, stagingRoot } = bridge([], 10);
    await expect(b.preview([{ name: 'big.csv', base64: b64('x'.repeat(11)) }], {})).rejects.toThrow(
      /big\.csv: larger than/,
    );
    expect(readdirSync(stagingRoot)).toHaveLength(0);
    await expect(
      b.preview([{ name: 'ok.csv', base64: b64('x'.repeat(10)) }], {}),
    ).resolves.toBeDefined();
  });

  it('forgets previews nobody commits once too many wait, uploads and all', async () => {
    const { bridge: b, stagingRoot } = bridge([]);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push((await b.preview([{ name: `f${i}.csv`, base64: b64('a') }], {})).importId);
    }
    expect(readdirSync(stagingRoot)).toHaveLength(8);
    await expect(b.commit(ids[0]!, {}, 'parquet')).rejects.toThrow(/preview the files first/);
    await expect(b.commit(ids[9]!, {}, 'parquet')).resolves.toMatchObject({ ok: true });
    await b.close();
    expect(readdirSync(stagingRoot)).toHaveLength(0);
  });
});
