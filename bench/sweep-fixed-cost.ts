/**
 * `npm run bench -- sweep-fixed-cost`: what one local sweep worker costs, in CPU, which a shared
 * machine disturbs far less than wall time. Forks the compiled worker with the flags it has
 * beside another worker, sends it the sweep bench's 16 one-day runs one at a time, and reads
 * the process's CPU time (all its threads, from /proc) after each: the first run (process
 * start included), the first 8 (one of two workers' share) and all 16. Workers given the window
 * the parent decoded (docs/sweeps.md) alternate with workers decoding it themselves; each
 * figure is the median of WORKERS workers. `ratio` = CPU of 8 runs given the window / decoding.
 */
import { readFileSync } from 'node:fs';
import { bundleStrategy } from '../src/main/engine/strategy/strategy-loader';
import { requestOf, runOn, spawnWorker } from '../src/main/sweep/sweep-runner';
import { prepareWorkerEntry } from '../src/main/sweep/sweep-worker-entry';
import { firstWindows, windowSlabFile } from '../src/main/sweep/sweep-window-slabs';
import type { SweepPlan } from '../src/main/sweep/sweep-setup';
import { benchPlan } from './sweep';
import { emptyResult, round, type BenchResult } from './result';

const WORKERS = 6;

/** CPU seconds a process has used so far, all threads (utime + stime). */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface WorkerCost {
  first: number;
  eight: number;
  all: number;
}

async function oneWorker(plan: SweepPlan, slabsFile: string | null): Promise<WorkerCost> {
  const bundle = await bundleStrategy(plan.strategyFile);
  const worker = spawnWorker({ sharedCores: true });
  const after: number[] = [];
  try {
    for (const run of plan.runs) {
      const request = requestOf(plan, run, bundle);
      if (slabsFile && after.length === 0) request.slabsFile = slabsFile;
      const outcome = await runOn(worker, request);
      if (!('report' in outcome)) throw new Error(`run failed: ${JSON.stringify(outcome)}`);
      after.push(cpuOf(worker.pid!));
    }
  } finally {
    worker.kill();
  }
  return { first: after[0]!, eight: after[7]!, all: after.at(-1)! };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summary(label: string, costs: WorkerCost[]): WorkerCost {
  const m = {
    first: median(costs.map((c) => c.first)),
    eight: median(costs.map((c) => c.eight)),
    all: median(costs.map((c) => c.all)),
  };
  console.log(
    `${label}: first run ${m.first.toFixed(2)} s, 8 runs ${m.eight.toFixed(2)} s, ` +
      `16 runs ${m.all.toFixed(2)} s of CPU (median of ${costs.length} workers)`,
  );
  return m;
}

export async function run(): Promise<BenchResult> {
  if (process.platform !== 'linux') throw new Error('sweep-fixed-cost reads /proc: Linux only');
  const plan = await benchPlan('one-day');
  await prepareWorkerEntry();
  const started = process.cpuUsage();
  const slabs = await windowSlabFile(plan.config, plan.dataDir, firstWindows(plan.runs, 2));
  const used = process.cpuUsage(started);
  if (!slabs) throw new Error('the window could not be handed over');
  console.log(`parent: window decoded in ${((used.user + used.system) / 1e6).toFixed(2)} s of CPU`);
  const given: WorkerCost[] = [];
  const own: WorkerCost[] = [];
  try {
    for (let i = 0; i < WORKERS; i++) {
      own.push(await oneWorker(plan, null));
      given.push(await oneWorker(plan, slabs.path));
    }
  } finally {
    slabs.remove();
  }
  const decoding = summary('worker decoding the window', own);
  const handed = summary('worker given the window', given);
  return {
    ...emptyResult('sweep-fixed-cost'),
    ours_s: round(handed.eight),
    peer: 'worker decoding the window itself (CPU of 8 runs)',
    peer_s: round(decoding.eight),
    ratio: round(handed.eight / decoding.eight),
  };
}
