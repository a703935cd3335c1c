/**
 * A sweep worker starts once per core for every sweep, so what it loads is paid that many
 * times before the first run: schema code (zod, half of the bundle) has no business there,
 * since the worker is handed configs that were validated before they were sent.
 */
import { build } from 'esbuild';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

async function workerInputs(): Promise<string[]> {
  const result = await build({
    entryPoints: [resolve('src/main/sweep/sweep-process.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['better-sqlite3', 'parquet-wasm', 'esbuild', '@duckdb/node-api'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('the sweep worker bundle', { timeout: 60_000 }, () => {
  it('holds the session and report code but no schema library', async () => {
    const inputs = await workerInputs();
    expect(inputs.some((i) => i.endsWith('src/main/host/session-host.ts'))).toBe(true);
    expect(inputs.some((i) => i.endsWith('src/shared/report-fields.ts'))).toBe(true);
    expect(inputs.filter((i) => /node_modules[\\/]zod[\\/]/.test(i))).toEqual([]);
  });
});
