/**
 * `npm run bench -- sweep`: 16 runs of the demo EMA crossover (a 4×4 grid over one demo day),
 * wall time with 2 worker processes / with 1 (`ratio`, goal <= 0.6 on 2 cores). Worker start
 * (a Node process with the TypeScript loader) is part of the wall time, as it is for a user.
 * Each figure is the better of two interleaved measurements.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoData } from '../src/main/storage/demo-data';
import { setupSweep, type SweepPlan } from '../src/main/sweep/sweep-setup';
import { runLocal } from '../src/main/sweep/sweep-runner';
import { emptyResult, round, type BenchResult } from './result';

export const BENCH_GRID = { fast: [3, 5, 8, 13], slow: [21, 34, 55, 89] };

export async function benchPlan(): Promise<SweepPlan> {
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
      config: 'configs/one-day.json',
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

export async function run(): Promise<BenchResult> {
  const plan = await benchPlan();
  // Interleaved, best of two each: the machine is shared, and a burst of other work during
  // one measurement should not decide the ratio.
  const ones: number[] = [];
  const twos: number[] = [];
  for (let round = 0; round < 2; round++) {
    ones.push(await timed(() => runLocal(plan, 1)));
    twos.push(await timed(() => runLocal(plan, 2)));
  }
  const one = Math.min(...ones);
  const two = Math.min(...twos);
  const runs = plan.runs.length;
  console.log(`${runs} runs, --jobs 1: ${one.toFixed(2)} s; --jobs 2: ${two.toFixed(2)} s`);
  console.log(`ratio ${(two / one).toFixed(2)} (goal <= 0.6)`);
  return {
    ...emptyResult('sweep'),
    ours_s: round(two),
    peer: '--jobs 1',
    peer_s: round(one),
    ratio: round(two / one),
  };
}
