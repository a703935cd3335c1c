/**
 * A really killed import (SIGKILL, so no finally block runs): the next import recovers by the
 * staging rule, and the stores end up exactly as before the killed import, or exactly as if it
 * had finished, depending only on whether its manifest was written.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitImport } from '../../../src/main/storage/import/import-commit';
import type { ImportTarget } from '../../../src/shared/import-contract';
import { makeDataDir, removeDataDir } from '../fixtures';
import { barTimes, chunksOf, iterate, killedImportChunks, snapshot } from './commit-helpers';

const CHILD = resolve('test/storage/import/commit-kill-child.ts');

let dir: string;
beforeEach(async () => {
  dir = await makeDataDir();
});
afterEach(async () => removeDataDir(dir));

async function seed(at: string): Promise<void> {
  const chunks = [
    ...chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 9, 30, 600) }),
    ...chunksOf({ symbol: 'MSFT', timestamps: barTimes('2024-03-04', 9, 30, 300) }),
  ];
  await commitImport(iterate(chunks), { dataDir: at, to: 'both' });
}

/** Runs the child until it says it is at `point`, then kills it outright. */
function killAt(to: ImportTarget, point: string): Promise<void> {
  return new Promise((done, fail) => {
    // node itself, not the tsx wrapper: a SIGKILL must hit the process doing the import.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, to, point], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (data: Buffer) => {
      out += data.toString();
      if (out.includes('ready')) child.kill('SIGKILL');
      if (out.includes('done')) fail(new Error('the child finished instead of waiting'));
    });
    child.on('exit', () => done());
    child.on('error', fail);
  });
}

/** The stores after seed + the child's import, finished cleanly, in another directory. */
async function finished(to: ImportTarget): Promise<Record<string, string>> {
  const other = await makeDataDir();
  try {
    await seed(other);
    await commitImport(iterate(killedImportChunks()), { dataDir: other, to });
    return snapshot(join(other, 'parquet'));
  } finally {
    await removeDataDir(other);
  }
}

const recover = () => commitImport(iterate([]), { dataDir: dir, to: 'parquet' });

describe('a killed import', { timeout: 60_000 }, () => {
  for (const to of ['parquet', 'both'] as const) {
    it(`${to}: killed while reading: rolled back, byte-identical to before`, async () => {
      await seed(dir);
      const before = snapshot(dir);
      await killAt(to, 'reading');
      await recover();
      expect(snapshot(dir)).toEqual(before);
    });

    for (const point of ['manifest', 'renamed-one']) {
      it(`${to}: killed at ${point}: rolled forward, as if it had finished`, async () => {
        await seed(dir);
        await killAt(to, point);
        await recover();
        expect(snapshot(join(dir, 'parquet'))).toEqual(await finished(to));
      });
    }
  }
});
