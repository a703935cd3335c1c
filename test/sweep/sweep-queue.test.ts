/**
 * Sweeps through BullMQ: two worker processes on a private Redis, one SIGKILLed in the middle
 * of a run; the results equal the local run's, no run missing or twice. A worker without the
 * data fails its runs with the reason and the sweep goes on. An unreachable Redis stops the
 * sweep before any work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../cli-runner';
import { setupSweep } from '../../src/main/sweep/sweep-setup';
import { runLocal } from '../../src/main/sweep/sweep-runner';
import { resultTable, writeResults } from '../../src/main/sweep/sweep-results';
import { freePort, redisAvailable, startRedis, type RedisServer } from './redis-server';
import { readResults, sweepFixture, type SweepFixture } from './sweep-fixture';

const sweep = cliRunner('sweep');
const redis = redisAvailable();

/** A worker as one process (no tsx wrapper), so a SIGKILL kills the worker itself. */
function startWorker(url: string, data: string): { child: ChildProcess; log: string[] } {
  const child = spawn(
    process.execPath,
    [
      ...['--import', 'tsx', resolve('src/main/cli/sweep-worker.ts')],
      ...['--queue', url, '--data', data, '--concurrency', '1', '--lock-ms', '2000'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log: string[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop()!;
    log.push(...lines);
  });
  child.stderr!.on('data', () => undefined);
  return { child, log };
}

async function until(what: string, test: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let fx: SweepFixture;
beforeAll(() => {
  fx = sweepFixture('sweep-queue');
}, 60_000);

describe('npm run sweep --queue, unreachable', { timeout: 60_000 }, () => {
  it('names the URL and exits 2 before any work', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const out = fx.out('unreachable.csv');
    const result = await sweep([
      '--spec',
      fx.spec('u'),
      '--data',
      fx.data,
      '--queue',
      url,
      '--out',
      out,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--queue ${url}: cannot reach Redis (connect ECONNREFUSED`);
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(!redis.ok)(`npm run sweep --queue ${redis.reason}`, { timeout: 600_000 }, () => {
  let server: RedisServer;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await server?.stop();
  });
  /** `npm run sweep` of `spec` through this test's Redis, its rows to `out`. */
  const viaQueue = (spec: string, out: string) =>
    sweep(['--spec', spec, '--data', fx.data, '--queue', server.url, '--out', fx.out(out)]);

  it('equals the local run when a worker is killed mid-run', async () => {
    const spec = fx.spec('grid');
    // The local run's table, made as `npm run sweep --jobs 2` makes it (sweep-cli.test.ts runs
    // that CLI), without a third CLI process here.
    const setup = await setupSweep(spec, fx.data);
    if (!setup.ok) throw new Error(setup.problems.join('\n'));
    const { plan } = setup;
    const outcomes = await runLocal(plan, 2);
    writeResults(fx.out('local.csv'), resultTable(plan.spec, plan.fields, plan.runs, outcomes));
    expect([...outcomes.values()].filter((o) => 'error' in o)).toEqual([]);

    const a = startWorker(server.url, fx.data);
    const b = startWorker(server.url, fx.data);
    workers.push(a.child, b.child);
    const queued = viaQueue(spec, 'queued.csv');
    await until('worker A to start a run', () => a.log.some((l) => l.startsWith('started ')));
    const killed = a.log.find((l) => l.startsWith('started '))!.split(' ')[2]!;
    a.child.kill('SIGKILL');
    const result = await queued;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^6 runs \(0 failed\)/);
    expect(a.log.some((l) => l === `done run ${killed} (2024-03-04..2024-03-04)`)).toBe(false);
    // The run A held was taken over by B once A's lock lapsed.
    expect(b.log).toContain(`done run ${killed} (2024-03-04..2024-03-04)`);
    expect(readFileSync(fx.out('queued.csv'), 'utf8')).toBe(
      readFileSync(fx.out('local.csv'), 'utf8'),
    );
    const rows = readResults(fx.out('queued.csv'));
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((r) => r.run_id)).size).toBe(6);

    // Again: every run is already done, so nothing runs and the rows are the same.
    const before = b.log.length;
    const again = await viaQueue(spec, 'again.csv');
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(fx.out('again.csv'), 'utf8')).toBe(
      readFileSync(fx.out('local.csv'), 'utf8'),
    );
    expect(b.log.slice(before).filter((l) => l.startsWith('started '))).toEqual([]);
    b.child.kill('SIGTERM');
    await until('worker B to stop', () => b.child.exitCode !== null || b.child.signalCode !== null);
  });

  it('fails the runs of a worker without the data, with the reason, and goes on', async () => {
    const empty = join(fx.dir, 'empty-data');
    mkdirSync(empty, { recursive: true });
    cpSync(join(fx.data, 'strategies'), join(empty, 'strategies'), { recursive: true });
    cpSync(join(fx.data, 'configs'), join(empty, 'configs'), { recursive: true });
    const c = startWorker(server.url, empty);
    workers.push(c.child);
    const spec = fx.spec('nodata-worker', { grid: { fast: [6, 7] } });
    const result = await viaQueue(spec, 'nodata.csv');
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^2 runs \(2 failed\)/);
    expect(result.stderr).toMatch(/run \w+ \(fast=6, 2024-03-04\.\.2024-03-04\) failed: .*no data/);
    const rows = readResults(fx.out('nodata.csv'));
    expect(rows.map((r) => r.param_fast).sort()).toEqual(['6', '7']);
    expect(rows.every((r) => /no data/.test(r.error!) && r.net_pnl === '')).toBe(true);
  });
});
