/**
 * Runs a sweep's backtests on this machine: `jobs` worker processes, each taking the next run
 * in plan order as soon as it is free. Outcomes are keyed by run id, so the table does not
 * depend on which worker finished first. A worker that dies fails its run and is replaced.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { PlannedRun } from './sweep-plan';
import type { RunOutcome } from './sweep-results';
import type { SweepPlan } from './sweep-setup';
import type { WorkerRequest } from './sweep-process';

let workerEntry = fileURLToPath(new URL('./sweep-process.ts', import.meta.url));

/**
 * The desktop build has no TypeScript sources: its engine worker points the runner at the
 * bundled entry (plain JS, run without the tsx loader).
 */
export function useWorkerEntry(file: string): void {
  workerEntry = file;
}

export type OutcomeListener = (outcome: RunOutcome) => void;

/** The worker's node flags: this process's, so the TypeScript loader (tsx) comes along. */
function workerExecArgv(): string[] {
  const own = process.execArgv.filter((a) => !a.startsWith('--inspect'));
  if (!workerEntry.endsWith('.ts')) return own;
  return own.some((a) => a.includes('tsx')) ? own : [...own, '--import', 'tsx'];
}

export function spawnWorker(): ChildProcess {
  const child = fork(workerEntry, [], {
    execArgv: workerExecArgv(),
    // Structured clone keeps Infinity and NaN (a profit factor without losses), JSON would not.
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  // A failed send surfaces as the exit the run waits for.
  child.on('error', () => undefined);
  return child;
}

export function requestOf(plan: SweepPlan, run: PlannedRun): WorkerRequest {
  return {
    run_id: run.run_id,
    request: {
      config: plan.config,
      dataDir: plan.dataDir,
      strategyFile: plan.strategyFile,
      params: run.params,
      window: { start_date: run.window.start_date, end_date: run.window.end_date },
    },
  };
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
  let next = 0;
  const take = (): PlannedRun | undefined => (signal?.aborted ? undefined : plan.runs[next++]);
  const record = (outcome: RunOutcome): void => {
    if (signal?.aborted) return;
    outcomes.set(outcome.run_id, outcome);
    onOutcome(outcome);
  };
  const lanes = Array.from({ length: Math.max(1, Math.min(jobs, plan.runs.length)) }, () =>
    lane(plan, take, record, signal),
  );
  await Promise.all(lanes);
  return outcomes;
}

/** One worker slot: runs until the plan is exhausted, respawning its process if it dies. */
async function lane(
  plan: SweepPlan,
  take: () => PlannedRun | undefined,
  record: OutcomeListener,
  signal?: AbortSignal,
): Promise<void> {
  let worker: ChildProcess | null = null;
  const kill = (): void => void worker?.kill('SIGKILL');
  signal?.addEventListener('abort', kill);
  try {
    for (let run = take(); run; run = take()) {
      if (!worker || worker.exitCode !== null || worker.signalCode !== null) worker = spawnWorker();
      const outcome = await runOn(worker, requestOf(plan, run));
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
