/**
 * `npm run bench -- sweep`: 16 runs of the demo EMA crossover (a 4×4 grid) over the demo config
 * as shipped (both demo days), wall time with 2 worker processes / with 1 (`ratio`, goal <= 0.6
 * on 2 cores). Worker start (a Node process loading the compiled worker, docs/sweeps.md) is part
 * of the wall time, as it is for a user.
 * Then the same through the BullMQ queue with two local workers (`queue_ratio` = queue wall
 * time / --jobs 1, goal <= 0.7), each on a fresh redis-server with workers already waiting,
 * as they would be on a cluster. Each figure is the better of two interleaved measurements.
 *
 * The shipped config is the headline since the issue asks for runs of the demo, which the app
 * ships over two days; this bench used to cut it to one day. A worker's fixed cost (start,
 * first runs on cold code) weighs against runs half as long there, so the one-day figures are
 * measured too and printed after (`one_day_*` fields): both stay visible.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateDemoData } from '../src/main/storage/demo-data';
import { setupSweep, type SweepPlan } from '../src/main/sweep/sweep-setup';
import { runLocal } from '../src/main/sweep/sweep-runner';
import { runQueued } from '../src/main/sweep/sweep-queue';
import { redisAvailable, startRedis } from '../test/sweep/redis-server';
import { emptyResult, round, type BenchResult } from './result';

export const BENCH_GRID = { fast: [3, 5, 8, 13], slow: [21, 34, 55, 89] };

/** `shipped`: the demo config as generated (both days); `one-day`: its first day only. */
export type BenchDays = 'shipped' | 'one-day';

export async function benchPlan(days: BenchDays = 'shipped'): Promise<SweepPlan> {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-bench-sweep-'));
  const data = join(dir, 'data');
  generateDemoData(data);
  const demo = JSON.parse(readFileSync(join(data, 'configs', 'demo.json'), 'utf8'));
  demo.backtest_config = { start_date: '2024-03-04', end_date: '2024-03-04', speed_multiplier: 0 };
  writeFileSync(join(data, 'configs', 'one-day.json'), JSON.stringify(demo));
  const spec = join(dir, 'spec.json');
  writeFileSync(
    spec,
    JSON.stringify({
      config: days === 'shipped' ? 'configs/demo.json' : 'configs/one-day.json',
      strategy: { file: 'strategies/ema-crossover.ts' },
      grid: BENCH_GRID,
    }),
  );
  const setup = await setupSweep(spec, data);
  if (!setup.ok) throw new Error(setup.problems.join('\n'));
  return setup.plan;
}

async function timed(run: () => Promise<Map<string, unknown>>): Promise<number> {
  const started = performance.now();
  const outcomes = await run();
  const seconds = (performance.now() - started) / 1000;
  const failed = [...outcomes.values()].filter((o) => o && typeof o === 'object' && 'error' in o);
  if (failed.length > 0)
    throw new Error(`${failed.length} runs failed: ${JSON.stringify(failed[0])}`);
  return seconds;
}

function startWorker(url: string, data: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      ...['--import', 'tsx', resolve('src/main/cli/sweep-worker.ts')],
      ...['--queue', url, '--data', data, '--concurrency', '1'],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((ready, failed) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('waiting for runs')) ready(child);
    });
    child.once('exit', (code) => failed(new Error(`sweep-worker exited (${code})`)));
  });
}

function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** One queued sweep on a fresh Redis (no results from a previous round to reuse). */
async function queuedOnce(plan: SweepPlan): Promise<number> {
  const redis = await startRedis();
  const workers = await Promise.all([
    startWorker(redis.url, plan.dataDir),
    startWorker(redis.url, plan.dataDir),
  ]);
  try {
    return await timed(() => runQueued(plan, redis.url));
  } finally {
    // Workers first, while Redis is still there for them to close their connections.
    await Promise.all(workers.map(stopWorker));
    await redis.stop();
  }
}

interface Figures {
  runs: number;
  one: number;
  two: number;
  /** null when no redis-server is installed. */
  viaQueue: number | null;
}

async function measure(days: BenchDays): Promise<Figures> {
  const plan = await benchPlan(days);
  const queue = redisAvailable();
  // Interleaved, best of two each: the machine is shared, and a burst of other work during
  // one measurement should not decide the ratio.
  const ones: number[] = [];
  const twos: number[] = [];
  const queued: number[] = [];
  for (let round = 0; round < 2; round++) {
    ones.push(await timed(() => runLocal(plan, 1)));
    twos.push(await timed(() => runLocal(plan, 2)));
    if (queue.ok) queued.push(await queuedOnce(plan));
  }
  const figures = {
    runs: plan.runs.length,
    one: Math.min(...ones),
    two: Math.min(...twos),
    viaQueue: queue.ok ? Math.min(...queued) : null,
  };
  const { runs, one, two, viaQueue } = figures;
  console.log(
    `${days}: ${runs} runs, --jobs 1: ${one.toFixed(2)} s; --jobs 2: ${two.toFixed(2)} s`,
  );
  console.log(`${days}: ratio ${(two / one).toFixed(2)} (goal <= 0.6)`);
  if (!queue.ok) console.log(`queue: ${queue.reason}`);
  else {
    console.log(
      `${days}: queue, 2 workers: ${viaQueue!.toFixed(2)} s; queue_ratio ${(viaQueue! / one).toFixed(2)} (goal <= 0.7)`,
    );
  }
  return figures;
}

export async function run(): Promise<BenchResult> {
  const shipped = await measure('shipped');
  const oneDay = await measure('one-day');
  const queueRatio = (f: Figures) => (f.viaQueue === null ? null : round(f.viaQueue / f.one));
  const result = {
    ...emptyResult('sweep'),
    ours_s: round(shipped.two),
    peer: '--jobs 1',
    peer_s: round(shipped.one),
    ratio: round(shipped.two / shipped.one),
    queue_s: shipped.viaQueue === null ? null : round(shipped.viaQueue),
    queue_ratio: queueRatio(shipped),
    one_day_s: round(oneDay.two),
    one_day_peer_s: round(oneDay.one),
    one_day_ratio: round(oneDay.two / oneDay.one),
    one_day_queue_s: oneDay.viaQueue === null ? null : round(oneDay.viaQueue),
    one_day_queue_ratio: queueRatio(oneDay),
  };
  return result;
}
