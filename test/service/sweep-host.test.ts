/**
 * The app's sweeps through the service: a spec with a bad grid is refused with each problem
 * naming its field; a good one is planned and its rows pushed as runs finish; Cancel kills
 * the workers and leaves the service ready for the next sweep.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  fromWireRows,
  type SweepProgress,
  type SweepSnapshot,
  type SweepStarted,
} from '../../src/shared/sweep-contract';
import { REPORT_FIELDS } from '../../src/shared/sweep-spec';
import { ApiRequestError } from '../../src/main/service/api-error';
import { SweepHost, type SweepRunner } from '../../src/main/service/sweep-host';
import type { ReportRow, RunOutcome } from '../../src/main/sweep/sweep-results';
import { demoConfig, demoData, recorder, type Recorder } from './service-helpers';

const open: Recorder[] = [];
function service(runner?: SweepRunner): Recorder {
  const r = recorder(runner ? { sweepRunner: runner } : {});
  open.push(r);
  return r;
}
afterEach(async () => {
  for (const r of open.splice(0)) await r.service.close();
});

/** One day of RIVN's minute bars: each real run is short. */
const config = () => ({
  ...demoConfig(),
  data_streams: [{ type: 'bars', symbol: 'RIVN', interval: '1m' }],
  backtest_config: { start_date: '2024-03-04', end_date: '2024-03-04', speed_multiplier: 0 },
});

const spec = (extra: Record<string, unknown> = {}) => ({
  strategy: { file: 'ema-crossover.ts' },
  grid: { fast: [5, 8], slow: { from: 13, to: 21, step: 8 } },
  ...extra,
});

/** A report whose net_pnl is fast * 10 + slow: every row is told apart by its figure. */
function fakeReport(params: Record<string, unknown>): ReportRow {
  const row = {} as ReportRow;
  for (const f of REPORT_FIELDS) row[f] = 0;
  row.net_pnl = Number(params.fast) * 10 + Number(params.slow);
  return row;
}

const instantRunner: SweepRunner = async (plan, _jobs, onOutcome) => {
  const out = new Map<string, RunOutcome>();
  for (const run of plan.runs) {
    const outcome = { run_id: run.run_id, report: fakeReport(run.params) };
    out.set(run.run_id, outcome);
    onOutcome(outcome);
  }
  return out;
};

/** Runs nothing until cancelled. */
const stuckRunner: SweepRunner = (_plan, _jobs, _onOutcome, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) resolve(new Map());
    else signal.addEventListener('abort', () => resolve(new Map()));
  });

function progressOf(r: Recorder): SweepProgress[] {
  return r.events.filter((e) => e.event === 'sweepProgress').map((e) => e.payload as SweepProgress);
}

async function ended(r: Recorder, sweepId: string): Promise<SweepProgress> {
  for (let i = 0; i < 600; i++) {
    const last = progressOf(r)
      .filter((p) => p.sweepId === sweepId)
      .at(-1);
    if (last && last.state !== 'running') return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the sweep did not end');
}

async function refusal(r: Recorder, payload: unknown): Promise<string[]> {
  const error = await r.call('sweepStart', payload).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiRequestError);
  return (error as ApiRequestError).issues ?? [(error as Error).message];
}

describe('sweeps in the service', { timeout: 120_000 }, () => {
  it('refuses bad grids, each problem naming its field', async () => {
    const r = service(instantRunner);
    expect(await refusal(r, { config: config(), spec: spec({ grid: {} }) })).toEqual([
      'grid: the grid is empty: name at least one param',
    ]);
    const unknown = await refusal(r, { config: config(), spec: spec({ grid: { nope: [1] } }) });
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toMatch(/^grid\.nope: unknown param \(the strategy declares: fast, slow/);
    const wrongType = await refusal(r, {
      config: config(),
      spec: spec({ grid: { fast: [5, 'x'] } }),
    });
    expect(wrongType).toHaveLength(1);
    expect(wrongType[0]).toMatch(/^grid\.fast\[1\]: /);
    expect(
      await refusal(r, { config: config(), spec: spec({ strategy: { file: '../x.ts' } }) }),
    ).toEqual(['strategy.file: pick a strategy file from data/strategies/']);
    const range = await refusal(r, {
      config: config(),
      spec: spec({ grid: { interval: { from: 1, to: 2, step: 1 } } }),
    });
    expect(range).toEqual([
      'grid.interval: a {from, to, step} range needs a number param (choice)',
    ]);
    // The schema's own refusal: the payload has no config.
    expect((await refusal(r, { spec: spec() }))[0]).toMatch(/^config: /);
    expect(progressOf(r)).toEqual([]);
  });

  it('pushes every run as a row with its params, then done', async () => {
    const r = service(instantRunner);
    const started = await r.call<SweepStarted>('sweepStart', { config: config(), spec: spec() });
    expect(started.total).toBe(4);
    expect(started.params).toEqual(['fast', 'slow']);
    expect(started.columns.slice(0, 5)).toEqual([
      'run_id',
      'param_fast',
      'param_slow',
      'start_date',
      'end_date',
    ]);
    const last = await ended(r, started.sweepId);
    expect(last).toMatchObject({ state: 'done', done: 4, total: 4, failed: 0, etaMs: null });
    const rows = progressOf(r).flatMap((p) => p.rows);
    const col = (name: string) => started.columns.indexOf(name);
    const seen = rows
      .map((row) => [row[col('param_fast')], row[col('param_slow')], row[col('net_pnl')]])
      .sort();
    // Brute force: the cross product of the two axes, each with its own figure.
    const expected = [5, 8]
      .flatMap((fast) => [13, 21].map((slow) => [fast, slow, fast * 10 + slow]))
      .sort();
    expect(seen).toEqual(expected);
    for (const row of rows) expect(row[col('start_date')]).toBe('2024-03-04');
  });

  it('sweepStatus gives a reloaded page the sweep with every row so far', async () => {
    const r = service(instantRunner);
    expect(await r.call('sweepStatus')).toBeNull();
    const started = await r.call<SweepStarted>('sweepStart', { config: config(), spec: spec() });
    await ended(r, started.sweepId);
    const snapshot = await r.call<SweepSnapshot>('sweepStatus');
    expect(snapshot.started).toEqual(started);
    expect(snapshot.progress).toMatchObject({ state: 'done', done: 4, total: 4 });
    // The same rows the pushes carried, each once.
    const pushed = progressOf(r).flatMap((p) => p.rows);
    const key = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();
    expect(key(snapshot.progress.rows)).toEqual(key(pushed));
  });

  it('carries Infinity and NaN figures through JSON, as the browser receives them', async () => {
    const extreme: SweepRunner = async (plan, _jobs, onOutcome) => {
      const out = new Map<string, RunOutcome>();
      for (const run of plan.runs) {
        const report = { ...fakeReport(run.params), profit_factor: Infinity, sharpe: NaN };
        report.avg_loss = -Infinity;
        const outcome = { run_id: run.run_id, report };
        out.set(run.run_id, outcome);
        onOutcome(outcome);
      }
      return out;
    };
    const r = service(extreme);
    const started = await r.call<SweepStarted>('sweepStart', { config: config(), spec: spec() });
    await ended(r, started.sweepId);
    const snapshot = await r.call<SweepSnapshot>('sweepStatus');
    const col = (name: string) => started.columns.indexOf(name);
    for (const rows of [progressOf(r).flatMap((p) => p.rows), snapshot.progress.rows]) {
      const back = fromWireRows(JSON.parse(JSON.stringify(rows)) as unknown[]);
      expect(back).toHaveLength(4);
      for (const row of back) {
        expect(row[col('profit_factor')]).toBe(Infinity);
        expect(row[col('avg_loss')]).toBe(-Infinity);
        expect(Number.isNaN(row[col('sharpe')])).toBe(true);
        expect(row[col('net_pnl')]).toBe(
          Number(row[col('param_fast')]) * 10 + Number(row[col('param_slow')]),
        );
      }
    }
  });

  it('refuses a second sweep while one runs; Cancel ends it and the next one starts', async () => {
    const r = service(stuckRunner);
    const first = await r.call<SweepStarted>('sweepStart', { config: config(), spec: spec() });
    const again = await refusal(r, { config: config(), spec: spec() });
    expect(again).toEqual(['A sweep is already running: cancel it or wait for it to end']);
    await r.call('sweepCancel', { sweepId: first.sweepId });
    expect(await ended(r, first.sweepId)).toMatchObject({ state: 'cancelled', done: 0 });
    const second = await r.call<SweepStarted>('sweepStart', { config: config(), spec: spec() });
    expect(second.sweepId).not.toBe(first.sweepId);
    // Cancelling a sweep that is no longer running is no error.
    await r.call('sweepCancel', { sweepId: first.sweepId });
  });

  it('a row finished right after a push is not held until the next run ends', async () => {
    const pushed: SweepProgress[] = [];
    // One run finishes at once (inside the throttle after the first push), the rest never do.
    const oneThenStuck: SweepRunner = async (plan, jobs, onOutcome, signal) => {
      onOutcome({ run_id: plan.runs[0]!.run_id, report: fakeReport(plan.runs[0]!.params) });
      return stuckRunner(plan, jobs, onOutcome, signal);
    };
    const host = new SweepHost({
      dataDir: demoData(),
      run: oneThenStuck,
      emit: (p) => pushed.push(p),
      throttleMs: 100,
    });
    await host.start({ config: config(), spec: spec() });
    for (let i = 0; i < 100 && !pushed.some((p) => p.done === 1); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await host.close();
    const first = pushed.find((p) => p.done === 1);
    expect(first).toMatchObject({ state: 'running', total: 4 });
    expect(first!.rows).toHaveLength(1);
    expect(first!.etaMs).not.toBeNull();
  });

  it('a runner that throws ends the sweep as failed with its message', async () => {
    const r = service(async () => {
      throw new Error('disk full');
    });
    const started = await r.call<SweepStarted>('sweepStart', { config: config(), spec: spec() });
    expect(await ended(r, started.sweepId)).toMatchObject({ state: 'failed', error: 'disk full' });
  });

  it('Cancel kills the real worker processes', async () => {
    const r = service();
    const started = await r.call<SweepStarted>('sweepStart', {
      config: config(),
      spec: spec(),
      jobs: 2,
    });
    // Wait until the workers exist, then cancel while they run.
    for (let i = 0; i < 400 && workerPids().length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(workerPids().length).toBeGreaterThan(0);
    await r.call('sweepCancel', { sweepId: started.sweepId });
    const last = await ended(r, started.sweepId);
    expect(last.state).toBe('cancelled');
    expect(last.done).toBeLessThan(4);
    expect(workerPids()).toEqual([]);
  });
});

/** This process's children that are sweep workers (not yet reaped ones excluded). */
function workerPids(): number[] {
  let out: string;
  try {
    out = execFileSync('ps', ['-o', 'pid=,stat=,args=', '--ppid', String(process.pid)], {
      encoding: 'utf8',
    });
  } catch {
    // ps exits 1 when there is no child at all.
    return [];
  }
  return out
    .split('\n')
    .filter((line) => line.includes('sweep-process') && !/\sZ/.test(line))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}
