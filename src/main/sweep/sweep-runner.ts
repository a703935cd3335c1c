/**
 * Runs a sweep's backtests on this machine: `jobs` worker processes, each taking the next run
 * in plan order as soon as it is free. Outcomes are keyed by run id, so the table does not
 * depend on which worker finished first. A worker that dies fails its run and is replaced.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { bundleStrategy, type StrategyBundle } from '../engine/strategy/strategy-loader';
import type { PlannedRun } from './sweep-plan';
import type { RunOutcome } from './sweep-results';
import type { SweepPlan } from './sweep-setup';
import type { WorkerRequest } from './sweep-process';
import { prepareWorkerEntry, workerEntry } from './sweep-worker-entry';
import { firstWindows, windowSlabFile, type WindowSlabFile } from './sweep-window-slabs';

export type OutcomeListener = (outcome: RunOutcome) => void;

/**
 * V8 flags of a worker that shares the cores with other workers. A Node process compiles
 * optimized code, collects garbage and tiers up wasm (parquet-wasm is 5 MB) on helper
 * threads: alone on a machine they use an idle core, but beside other workers they take
 * cores from them, and in a short sweep's workers they spent as much CPU as the runs
 * themselves. Measured in docs/sweeps.md.
 */
export const SHARED_CORE_FLAGS = ['--single-threaded', '--liftoff-only'];

export interface SpawnOptions {
  /** Other workers run beside this one on the machine's cores (the default). */
  sharedCores?: boolean;
}

/** A worker process; the compiled entry once prepareWorkerEntry() has resolved. */
export function spawnWorker(options: SpawnOptions = {}): ChildProcess {
  const entry = workerEntry();
  // A full collection after each run keeps a worker in the memory it already has (sweep-process.ts).
  const flags = [...((options.sharedCores ?? true) ? SHARED_CORE_FLAGS : []), '--expose-gc'];
  const child = fork(entry.file, [], {
    execArgv: [...entry.execArgv, ...flags],
    // Structured clone keeps Infinity and NaN (a profit factor without losses), JSON would not.
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  // A failed send surfaces as the exit the run waits for.
  child.on('error', () => undefined);
  return child;
}

export function requestOf(
  plan: SweepPlan,
  run: PlannedRun,
  strategyBundle?: StrategyBundle,
): WorkerRequest {
  return {
    run_id: run.run_id,
    request: {
      config: plan.config,
      dataDir: plan.dataDir,
      strategyFile: plan.strategyFile,
      ...(strategyBundle ? { strategyBundle } : {}),
      params: run.params,
      window: { start_date: run.window.start_date, end_date: run.window.end_date },
    },
  };
}

/** Workers started ahead of a sweep (while it is planned), taken by the next runLocal. */
const ahead: { child: ChildProcess; sharedCores: boolean }[] = [];

function sharesCores(lanes: number): boolean {
  // One worker on a machine of several cores leaves the others to its helper threads.
  return lanes * 2 > availableParallelism();
}

/**
 * Starts `jobs` workers now, so they load while the sweep is planned; runLocal uses them (and
 * stops those it does not need). A caller that plans nothing can leave them: they exit with
 * this process.
 */
export async function startWorkersAhead(jobs: number): Promise<void> {
  await prepareWorkerEntry();
  const sharedCores = sharesCores(jobs);
  // More than the cores is the user's call, made once the plan says how many runs there are.
  const count = Math.min(jobs, availableParallelism());
  while (ahead.length < count) ahead.push({ child: spawnWorker({ sharedCores }), sharedCores });
}

function takeAhead(sharedCores: boolean): ChildProcess | null {
  for (let started = ahead.shift(); started; started = ahead.shift()) {
    const { child } = started;
    const alive = child.exitCode === null && child.signalCode === null;
    if (alive && started.sharedCores === sharedCores) return child;
    child.kill();
  }
  return null;
}

/**
 * `signal` cancels: no further run starts, the worker processes are killed, and the runs they
 * were on get no outcome (the map holds only runs that finished before).
 */
export async function runLocal(
  plan: SweepPlan,
  jobs: number,
  onOutcome: OutcomeListener = () => undefined,
  signal?: AbortSignal,
): Promise<Map<string, RunOutcome>> {
  const outcomes = new Map<string, RunOutcome>();
  await prepareWorkerEntry();
  let next = 0;
  const take = (): PlannedRun | undefined => (signal?.aborted ? undefined : plan.runs[next++]);
  const record = (outcome: RunOutcome): void => {
    if (signal?.aborted) return;
    outcomes.set(outcome.run_id, outcome);
    onOutcome(outcome);
  };
  const count = Math.max(1, Math.min(jobs, plan.runs.length));
  const sharedCores = sharesCores(count);
  // Compiled here once while the workers start, not by each worker.
  const bundle = bundleStrategy(plan.strategyFile).catch(() => undefined);
  // Decoded here once, also while the workers start, rather than by each of them.
  const slabs = windowSlabFile(plan.config, plan.dataDir, firstWindows(plan.runs, count));
  const lanes = Array.from({ length: count }, () =>
    lane(plan, take, record, sharedCores, { bundle, slabs }, signal),
  );
  try {
    await Promise.all(lanes);
  } finally {
    (await slabs)?.remove();
  }
  for (let left = takeAhead(sharedCores); left; left = takeAhead(sharedCores)) left.kill();
  return outcomes;
}

/** One worker slot: runs until the plan is exhausted, respawning its process if it dies. */
async function lane(
  plan: SweepPlan,
  take: () => PlannedRun | undefined,
  record: OutcomeListener,
  sharedCores: boolean,
  ready: { bundle: Promise<StrategyBundle | undefined>; slabs: Promise<WindowSlabFile | null> },
  signal?: AbortSignal,
): Promise<void> {
  let worker: ChildProcess | null = null;
  /** The worker process holds the parent's decoded window. */
  let given = false;
  const kill = (): void => void worker?.kill('SIGKILL');
  signal?.addEventListener('abort', kill);
  try {
    for (let run = take(); run; run = take()) {
      if (!worker || worker.exitCode !== null || worker.signalCode !== null) {
        worker = takeAhead(sharedCores) ?? spawnWorker({ sharedCores });
        given = false;
      }
      const request = requestOf(plan, run, await ready.bundle);
      if (!given) {
        const slabs = await ready.slabs;
        if (slabs) request.slabsFile = slabs.path;
        given = true;
      }
      // Cancelled while the strategy compiled or the window decoded: the worker may be gone.
      if (signal?.aborted) break;
      const outcome = await runOn(worker, request);
      if ('died' in outcome) {
        worker = null;
        record({ run_id: run.run_id, error: outcome.died });
      } else record(outcome);
    }
  } finally {
    signal?.removeEventListener('abort', kill);
    worker?.kill();
  }
}

/** Sends one run to a worker process; resolves with its outcome, or why the process died. */
export function runOn(
  worker: ChildProcess,
  request: WorkerRequest,
): Promise<RunOutcome | { died: string }> {
  return new Promise((resolve) => {
    // A worker that exited before this call (killed by a cancel) would never say so again.
    if (worker.exitCode !== null || worker.signalCode !== null) {
      resolve({ died: `the worker process had exited (${worker.signalCode ?? worker.exitCode})` });
      return;
    }
    let stderr = '';
    const onData = (chunk: Buffer): void => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    };
    const done = (): void => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      worker.stderr?.off('data', onData);
    };
    const onMessage = (outcome: RunOutcome): void => {
      done();
      resolve(outcome);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      done();
      const last = stderr.trim().split('\n').slice(-3).join(' | ');
      resolve({
        died: `the worker process exited (${signal ?? `code ${code}`}) during the run${last ? `: ${last}` : ''}`,
      });
    };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    worker.stderr?.on('data', onData);
    worker.send(request);
  });
}
