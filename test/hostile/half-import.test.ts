/**
 * An import SIGKILLed after its point of no return, with some partitions renamed into place and
 * the rest still in staging: the real catalog CLI and a session opening finish it first (or
 * refuse while another import is publishing), so nobody ever reads the mix.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDataStore } from '../../src/main/host/data-store';
import { commitImport } from '../../src/main/storage/import/import-commit';
import { LOCK_FILE } from '../../src/main/storage/import/import-lock';
import { parseSessionConfig } from '../../src/shared/session-config';
import { cliRunner } from '../cli-runner';
import {
  barTimes,
  chunksOf,
  iterate,
  killedImportChunks,
  snapshot,
} from '../storage/import/commit-helpers';
import { Tally } from './hostile-helpers';

const CHILD = resolve('test/storage/import/commit-kill-child.ts');
const catalogCli = cliRunner('catalog');
const tally = new Tally('half-import');
afterAll(() => tally.write());

async function seed(at: string): Promise<void> {
  await commitImport(
    iterate([
      ...chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 9, 30, 600) }),
      ...chunksOf({ symbol: 'MSFT', timestamps: barTimes('2024-03-04', 9, 30, 300) }),
    ]),
    { dataDir: at, to: 'parquet' },
  );
}

/** A data dir whose second import was killed after renaming one of its partitions. */
async function halfImported(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-half-'));
  await seed(dir);
  await new Promise<void>((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, dir, 'parquet', 'renamed-one'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (data: Buffer) => {
      out += data.toString();
      if (out.includes('ready')) child.kill('SIGKILL');
    });
    child.on('exit', () => (out.includes('ready') ? done() : fail(new Error(out))));
  });
  const staged = readdirSync(join(dir, 'parquet')).filter((n) => n.startsWith('.staging-'));
  expect(staged).toHaveLength(1);
  return dir;
}

/** The parquet store as if the killed import had finished. */
async function finished(): Promise<Record<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-whole-'));
  await seed(dir);
  await commitImport(iterate(killedImportChunks()), { dataDir: dir, to: 'parquet' });
  return snapshot(join(dir, 'parquet'));
}

const staging = (dir: string): string[] =>
  readdirSync(join(dir, 'parquet')).filter((n) => n.startsWith('.staging-'));

describe('a half-published import', { timeout: 120_000 }, () => {
  it('is finished by the catalog CLI before it lists anything', async () => {
    const dir = await halfImported();
    const whole = await finished();
    const result = await catalogCli(['--data', dir, '--json']);
    const listed = JSON.parse(result.stdout) as Array<{ symbol: string; date: string }>;
    const done = JSON.stringify(snapshot(join(dir, 'parquet'))) === JSON.stringify(whole);
    tally.record({ refused: done && staging(dir).length === 0 });
    expect(result.code, result.stderr).toBe(0);
    expect(staging(dir)).toEqual([]);
    expect(snapshot(join(dir, 'parquet'))).toEqual(whole);
    expect(listed.some((e) => e.symbol === 'TSLA' && e.date === '2024-03-06')).toBe(true);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('is finished before a session opens the store', async () => {
    const dir = await halfImported();
    const whole = await finished();
    const parsed = parseSessionConfig({
      session_name: 'half',
      data_streams: [{ type: 'bars', symbol: 'AAPL', interval: '1s' }],
      backtest_config: { start_date: '2024-03-04', end_date: '2024-03-05' },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const opened = createDataStore(parsed.config, dir);
    expect(opened.ok).toBe(true);
    if (opened.ok) opened.store.close();
    tally.record({ refused: staging(dir).length === 0 });
    expect(staging(dir)).toEqual([]);
    expect(snapshot(join(dir, 'parquet'))).toEqual(whole);
  });

  it('is refused, not read, while another live import holds the lock', async () => {
    const dir = await halfImported();
    // A live process (this test runner) holds the lock: as if it were publishing right now.
    writeFileSync(join(dir, LOCK_FILE), `${process.pid} publishing`);
    const before = snapshot(join(dir, 'parquet'));
    const result = await catalogCli(['--data', dir, '--json']);
    const refused = /another import is moving its files into place/.test(result.stderr);
    tally.record({
      refused,
      dataChanged: JSON.stringify(snapshot(join(dir, 'parquet'))) !== JSON.stringify(before),
    });
    expect(result.stderr).toMatch(/another import is moving its files into place right now/);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(snapshot(join(dir, 'parquet'))).toEqual(before);
  });
});
