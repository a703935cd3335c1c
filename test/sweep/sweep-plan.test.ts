import { describe, expect, it } from 'vitest';
import { paramFields } from '../../src/shared/strategy/params';
import { parseSweepSpec, type SweepSpec } from '../../src/shared/sweep-spec';
import {
  expandRuns,
  gridProblems,
  runId,
  sample,
  walkForwardWindows,
  type PlannedRun,
} from '../../src/main/sweep/sweep-plan';

const fields = paramFields({
  fast: 9,
  slow: 21,
  interval: { default: '1m', choices: ['1s', '1m', '5m'] },
  qty: 100,
  allow_short: false,
}).fields;

function spec(extra: Record<string, unknown>): SweepSpec {
  const result = parseSweepSpec({
    config: 'configs/demo.json',
    strategy: { file: 'strategies/ema-crossover.ts' },
    ...extra,
  });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result.spec;
}

const day = { start_date: '2024-03-04', end_date: '2024-03-04' };
const day2 = { start_date: '2024-03-05', end_date: '2024-03-05' };

function runs(s: SweepSpec, windows = [day]): PlannedRun[] {
  const r = expandRuns(s, windows);
  if (typeof r === 'string') throw new Error(r);
  return r;
}

describe('grid checks against the strategy', () => {
  it('accepts declared params of the right type', () => {
    expect(
      gridProblems(
        spec({ grid: { fast: [5, 8], interval: ['1s', '5m'], allow_short: [true, false] } }),
        fields,
      ),
    ).toEqual([]);
  });

  it('names an unknown param, a wrong type, a bad choice and a range over a non-number', () => {
    expect(
      gridProblems(
        spec({
          grid: {
            speed: [1],
            fast: [5, 'x'],
            interval: ['1s', '2m'],
            allow_short: { from: 0, to: 1, step: 1 },
          },
          strategy: { file: 'a.ts', params: { slow: 'long' } },
        }),
        fields,
      ),
    ).toEqual([
      'strategy.params.slow: expected a number, got a string',
      'grid.speed: unknown param (the strategy declares: fast, slow, interval, qty, allow_short)',
      'grid.fast[1]: expected a number, got a string',
      'grid.interval[1]: expected one of 1s, 1m, 5m, got "2m"',
      'grid.allow_short: a {from, to, step} range needs a number param (boolean)',
    ]);
  });
});

describe('expansion', () => {
  it('crosses every axis with every window, first axis outermost (brute-force oracle)', () => {
    const s = spec({
      grid: { fast: [5, 8], slow: { from: 20, to: 30, step: 5 }, interval: ['1s', '1m'] },
      strategy: { file: 'a.ts', params: { qty: 50 } },
    });
    const expected: { params: Record<string, unknown>; window: typeof day }[] = [];
    for (const fast of [5, 8])
      for (const slow of [20, 25, 30])
        for (const interval of ['1s', '1m'])
          for (const window of [day, day2])
            expected.push({ params: { qty: 50, fast, slow, interval }, window });
    const got = runs(s, [day, day2]);
    expect(got.map((r) => ({ params: r.params, window: r.window }))).toEqual(expected);
    expect(got[0]!.grid).toEqual({ fast: 5, slow: 20, interval: '1s' });
    expect(new Set(got.map((r) => r.run_id)).size).toBe(got.length);
  });

  it('gives ids that depend on params and window only, not on key order or the rest', () => {
    expect(runId({ a: 1, b: 'x' }, day)).toBe(runId({ b: 'x', a: 1 }, day));
    expect(runId({ a: 1 }, day)).not.toBe(runId({ a: 2 }, day));
    expect(runId({ a: 1 }, day)).not.toBe(runId({ a: 1 }, day2));
    expect(runId({ a: 1 }, day)).not.toBe(runId({ a: '1' }, day));
    expect(runId({ a: 1 }, day)).toMatch(/^[0-9a-f]{16}$/);
    const a = runs(spec({ grid: { fast: [5, 8] }, rank_by: 'sharpe' }));
    const b = runs(spec({ grid: { fast: [5, 8] }, random: 0 }));
    expect(a.map((r) => r.run_id)).toEqual(b.map((r) => r.run_id));
  });

  it('runs a repeated window once', () => {
    expect(runs(spec({ grid: { fast: [5, 8] } }), [day, day, day2])).toHaveLength(4);
  });

  it('samples `random` distinct grid points, the same for the same seed', () => {
    const s = spec({ grid: { fast: { from: 1, to: 20, step: 1 }, slow: [20, 30] }, random: 7 });
    const first = runs(s);
    expect(first).toHaveLength(7);
    expect(runs(s)).toEqual(first);
    const all = runs(spec({ grid: { fast: { from: 1, to: 20, step: 1 }, slow: [20, 30] } }));
    const allIds = new Set(all.map((r) => r.run_id));
    expect(first.every((r) => allIds.has(r.run_id))).toBe(true);
    expect(new Set(first.map((r) => r.run_id)).size).toBe(7);
    const other = runs(
      spec({ grid: { fast: { from: 1, to: 20, step: 1 }, slow: [20, 30] }, random: 7, seed: 9 }),
    );
    expect(other.map((r) => r.run_id)).not.toEqual(first.map((r) => r.run_id));
    // More samples than points: the whole grid.
    expect(runs(spec({ grid: { fast: [1, 2] }, random: 5 }))).toHaveLength(2);
  });

  it('samples uniformly enough that every index is reachable', () => {
    const hits = new Uint32Array(10);
    for (let seed = 0; seed < 2000; seed++) for (const i of sample(10, 3, seed)) hits[i]!++;
    // Each index is expected 600 times.
    for (const h of hits) expect(h).toBeGreaterThan(450);
    for (let seed = 0; seed < 50; seed++) {
      const s = sample(1000, 50, seed);
      expect(new Set(s).size).toBe(50);
      expect(s).toEqual([...s].sort((a, b) => a - b));
      expect(s.every((i) => i >= 0 && i < 1000)).toBe(true);
    }
  });

  it('refuses a sweep past the run limit', () => {
    const r = expandRuns(
      spec({
        grid: { fast: { from: 1, to: 1000, step: 1 }, slow: { from: 1, to: 1000, step: 1 } },
      }),
      [day],
    );
    expect(r).toMatch(/more than 100000 runs/);
  });
});

describe('walk-forward', () => {
  const days = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08', '2024-03-11'];

  it('folds train then test, stepping by step_days (brute-force oracle)', () => {
    const wf = { train_days: 2, test_days: 1, step_days: 2 };
    const expected = [];
    for (let i = 0, fold = 0; i + 3 <= days.length; i += 2, fold++) {
      expected.push({ start_date: days[i], end_date: days[i + 1], fold, sample: 'in' });
      expected.push({ start_date: days[i + 2], end_date: days[i + 2], fold, sample: 'out' });
    }
    expect(walkForwardWindows(days, wf)).toEqual(expected);
    expect(expected).toHaveLength(4);
  });

  it('names how many days it needs when the data has too few', () => {
    expect(
      walkForwardWindows(days.slice(0, 2), { train_days: 2, test_days: 1, step_days: 1 }),
    ).toBe(
      'walk_forward needs train_days + test_days = 3 trading days; the data has 2 (2024-03-04..2024-03-05)',
    );
  });
});
