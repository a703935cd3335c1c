/**
 * The import lock under a tight race of real processes: never held twice, stale locks (a
 * holder that died) taken over, and a lock is only ever released by its holder.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  acquireImportLock,
  ImportBusyError,
  LOCK_FILE,
} from '../../src/main/storage/import/import-lock';
import { Tally } from './hostile-helpers';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');
const CHILD = resolve('test/hostile/lock-race-child.ts');
const tally = new Tally('import-lock');
afterAll(() => tally.write());

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('the import lock', () => {
  it(
    'is never held twice by 4 processes racing for it 5,200 times',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tapedeck-lock-race-'));
      const dead = deadPid();
      const children = [1, 2, 3, 4].map((seed) =>
        run(TSX, [CHILD, dir, '1300', String(dead), String(seed)], { timeout: 100_000 }),
      );
      const results = (await Promise.all(children)).map(
        (r) => JSON.parse(r.stdout) as { acquired: number; doubles: number; busy: number },
      );
      const acquired = results.reduce((n, r) => n + r.acquired, 0);
      const doubles = results.reduce((n, r) => n + r.doubles, 0);
      tally.tried += acquired;
      tally.refusedCleanly += acquired - doubles;
      tally.dataChanged += doubles;
      expect(acquired).toBe(5200);
      expect(doubles).toBe(0);
    },
  );

  it('treats an empty or unreadable lock as busy, never as stale', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapedeck-lock-'));
    for (const content of ['', 'garbage', '0', '-1']) {
      writeFileSync(join(dir, LOCK_FILE), content);
      expect(() => acquireImportLock(dir), JSON.stringify(content)).toThrow(ImportBusyError);
      expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
      tally.record({ refused: true });
    }
  });

  it('takes over a dead holder, and releases only a lock that is its own', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapedeck-lock-'));
    writeFileSync(join(dir, LOCK_FILE), String(deadPid()));
    const lock = acquireImportLock(dir);
    // Someone replaced it (say, an operator removed ours and another import started).
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid} someone-else`);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    tally.record({ refused: true });
  });
});
