/**
 * The app's sweeps: one at a time, planned by the CLI's own setup (so the app and
 * `npm run sweep` refuse the same specs with the same words) and run by its local runner in
 * worker processes. Progress is pushed as rows finish, throttled, and once at the end; Cancel
 * kills the workers and leaves the service as it was.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Output } from '../../shared/ipc-contract';
import type {
  SweepProgress,
  SweepSnapshot,
  SweepStarted,
  SweepState,
} from '../../shared/sweep-contract';
import { isStrategyName, toWireCell, type SweepWireCell } from '../../shared/sweep-contract';
import { parseSweepSpec } from '../../shared/sweep-spec';
import { ApiRequestError } from './api-error';
import { strategyPath } from './strategy-files';
import { planSweep, type SweepPlan } from '../sweep/sweep-setup';
import { resultTable, type RunOutcome } from '../sweep/sweep-results';

/** The runner the host drives: the local one, or a stand-in in tests. */
export type SweepRunner = (
  plan: SweepPlan,
  jobs: number,
  onOutcome: (outcome: RunOutcome) => void,
  signal: AbortSignal,
) => Promise<Map<string, RunOutcome>>;

export interface SweepHostOptions {
  dataDir: string;
  run: SweepRunner;
  emit: (progress: SweepProgress) => void;
  /** Pushes no more often than this while running (the last push is never held back). */
  throttleMs?: number;
  now?: () => number;
}

/** Where the planner's problems are said to be: the request's own `spec`. */
const WHERE = 'spec';

interface Running {
  id: string;
  plan: SweepPlan;
  abort: AbortController;
  done: Promise<void>;
  started: SweepStarted;
  /** Every outcome so far, and the last progress pushed (its rows left out). */
  outcomes: RunOutcome[];
  progress: SweepProgress;
}

export class SweepHost {
  private running: Running | null = null;
  private last: Running | null = null;

  constructor(private readonly options: SweepHostOptions) {}

  async start(request: Output<'sweepStart'>): Promise<SweepStarted> {
    if (this.running) {
      throw new ApiRequestError('A sweep is already running: cancel it or wait for it to end');
    }
    const plan = await this.plan(request);
    // Planning is async: a second start may have won the race.
    if (this.running) {
      throw new ApiRequestError('A sweep is already running: cancel it or wait for it to end');
    }
    const id = randomUUID();
    const abort = new AbortController();
    const jobs = Math.min(request.jobs ?? availableParallelism(), plan.runs.length);
    const table = resultTable(plan.spec, plan.fields, [], new Map());
    const started: SweepStarted = {
      sweepId: id,
      total: plan.runs.length,
      columns: table.columns,
      params: Object.keys(plan.spec.grid),
      fixed: plan.spec.strategy.params,
      strategy: strategyName(request),
      rankBy: plan.spec.rank_by,
      rankOrder: plan.spec.rank_order,
      walkForward: plan.spec.walk_forward !== undefined,
    };
    const running: Running = {
      id,
      plan,
      abort,
      done: Promise.resolve(),
      started,
      outcomes: [],
      progress: {
        sweepId: id,
        state: 'running',
        done: 0,
        total: plan.runs.length,
        failed: 0,
        elapsedMs: 0,
        etaMs: null,
        rows: [],
      },
    };
    // The runs start after this reply is on its way, so no progress precedes the sweep's id.
    running.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.execute(running, jobs),
    );
    this.running = running;
    this.last = running;
    return started;
  }

  /** The sweep running now, else the last one, with all its rows; null before any. */
  snapshot(): SweepSnapshot | null {
    const last = this.last;
    if (!last) return null;
    return {
      started: last.started,
      progress: { ...last.progress, rows: rowsOf(last.plan, last.outcomes) },
    };
  }

  /** Resolves once the workers are gone; a sweep that already ended is no error. */
  async cancel(sweepId: string): Promise<void> {
    const running = this.running;
    if (!running || running.id !== sweepId) return;
    running.abort.abort();
    await running.done;
  }

  async close(): Promise<void> {
    if (this.running) await this.cancel(this.running.id);
  }

  /** The spec checked, then planned against the data; every problem refuses the request. */
  private async plan(request: Output<'sweepStart'>): Promise<SweepPlan> {
    const strategy = request.spec.strategy as Record<string, unknown> | undefined;
    const name = strategy?.file;
    if (name !== undefined && !isStrategyName(name)) {
      throw new ApiRequestError('The sweep has problems', [
        'strategy.file: pick a strategy file from data/strategies/',
      ]);
    }
    const spec = {
      ...request.spec,
      config: request.config,
      ...(name !== undefined
        ? { strategy: { ...strategy, file: relativeStrategy(this.options.dataDir, name) } }
        : {}),
    };
    const parsed = parseSweepSpec(spec);
    if (!parsed.ok) throw new ApiRequestError('The sweep has problems', parsed.problems);
    const setup = await planSweep(parsed.spec, WHERE, this.options.dataDir);
    if (!setup.ok) {
      throw new ApiRequestError(
        'The sweep has problems',
        setup.problems.map((p) => p.replace(`${WHERE}: `, '')),
      );
    }
    return setup.plan;
  }

  private async execute(running: Running, jobs: number): Promise<void> {
    const { plan } = running;
    const now = this.options.now ?? Date.now;
    const throttle = this.options.throttleMs ?? 200;
    const started = now();
    const outcomes = new Map<string, RunOutcome>();
    let pending: RunOutcome[] = [];
    let failed = 0;
    let lastPush = -Infinity;
    let held: ReturnType<typeof setTimeout> | null = null;
    const push = (state: SweepState, error?: string): void => {
      if (held) clearTimeout(held);
      held = null;
      const elapsedMs = now() - started;
      const done = outcomes.size;
      const rows = rowsOf(plan, pending);
      pending = [];
      lastPush = now();
      const progress: SweepProgress = {
        sweepId: running.id,
        state,
        done,
        total: plan.runs.length,
        failed,
        elapsedMs,
        etaMs:
          done > 0 && state === 'running' ? (elapsedMs / done) * (plan.runs.length - done) : null,
        rows,
        ...(error ? { error } : {}),
      };
      running.progress = { ...progress, rows: [] };
      this.options.emit(progress);
    };
    const onOutcome = (outcome: RunOutcome): void => {
      outcomes.set(outcome.run_id, outcome);
      running.outcomes.push(outcome);
      if ('error' in outcome) failed++;
      pending.push(outcome);
      if (outcomes.size >= plan.runs.length || held) return;
      const wait = lastPush + throttle - now();
      if (wait <= 0) push('running');
      // Too soon after the last push: this row goes out with the next one, at the latest then.
      else held = setTimeout(() => push('running'), wait);
    };
    push('running');
    try {
      await this.options.run(plan, jobs, onOutcome, running.abort.signal);
      push(running.abort.signal.aborted ? 'cancelled' : 'done');
    } catch (error) {
      push('failed', error instanceof Error ? error.message : String(error));
    } finally {
      if (this.running === running) this.running = null;
    }
  }
}

/** The table's rows of these outcomes (the plan's order; the view sorts), as they travel. */
function rowsOf(plan: SweepPlan, outcomes: readonly RunOutcome[]): SweepWireCell[][] {
  if (outcomes.length === 0) return [];
  const ids = new Set(outcomes.map((o) => o.run_id));
  const runs = plan.runs.filter((r) => ids.has(r.run_id));
  const table = resultTable(
    plan.spec,
    plan.fields,
    runs,
    new Map(outcomes.map((o) => [o.run_id, o])),
  );
  return table.rows.map((row) => row.map(toWireCell));
}

function strategyName(request: Output<'sweepStart'>): string {
  const strategy = request.spec.strategy as { file?: unknown } | undefined;
  return String(strategy?.file ?? '');
}

/** `strategies/<name>`, after the name was checked to be a plain file there. */
function relativeStrategy(dataDir: string, name: string): string {
  strategyPath(dataDir, name);
  return `strategies/${name}`;
}
