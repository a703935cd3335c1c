/**
 * The Sweep view's pure parts: the form becomes the spec the host plans (or problems keyed by
 * the field the user edits), the host's problems land on the same keys, and the table's sort,
 * heatmap and walk-forward pairing agree with brute force over the rows.
 */
import { describe, expect, it } from 'vitest';
import type { ParamField } from '../../src/shared/strategy/params';
import type { SweepCell } from '../../src/shared/sweep-contract';
import { SweepSpecSchema } from '../../src/shared/sweep-spec';
import {
  buildSpec,
  emptyForm,
  newAxis,
  problemsByField,
  withFixedParams,
  type SweepForm,
} from '../../src/renderer/src/state/sweep-form';
import {
  heatColour,
  heatmap,
  sortRows,
  walkForward,
  type SweepTable,
} from '../../src/renderer/src/state/sweep-table';

const FIELDS: ParamField[] = [
  { name: 'fast', kind: 'number', default: 9, label: 'Fast' },
  { name: 'slow', kind: 'number', default: 21, label: 'Slow' },
  { name: 'interval', kind: 'choice', default: '1m', label: 'I', choices: ['1s', '1m', '5m'] },
  { name: 'allow_short', kind: 'boolean', default: false, label: 'Short' },
];

const form = (patch: Partial<SweepForm> = {}): SweepForm => ({
  ...emptyForm({ start: '2024-03-04', end: '2024-03-04' }),
  strategy: 'ema-crossover.ts',
  ...patch,
});

const listAxis = (name: string, list: string) => ({
  ...newAxis(FIELDS.find((f) => f.name === name)!),
  mode: 'list' as const,
  list,
});

describe('sweep form', () => {
  it('builds a spec the sweep schema accepts, values typed by their param', () => {
    const built = buildSpec(
      form({
        axes: [
          listAxis('fast', '5, 8'),
          { ...newAxis(FIELDS[1]!), from: '13', to: '21', step: '8' },
          listAxis('interval', '1m, 5m'),
          listAxis('allow_short', 'true, false'),
        ],
      }),
      FIELDS,
    );
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.spec.grid).toEqual({
      fast: [5, 8],
      slow: { from: 13, to: 21, step: 8 },
      interval: ['1m', '5m'],
      allow_short: [true, false],
    });
    const parsed = SweepSpecSchema.safeParse({ ...built.spec, config: {} });
    expect(parsed.success).toBe(true);
    expect(built.span).toBeUndefined();
  });

  it('keys each problem by the field the user edits', () => {
    const empty = buildSpec(form({ strategy: '' }), FIELDS);
    expect(empty).toEqual({
      ok: false,
      problems: {
        strategy: ['pick a strategy'],
        grid: ['the grid is empty: add at least one param'],
      },
    });
    const bad = buildSpec(
      form({
        axes: [
          listAxis('fast', '5, x'),
          { ...newAxis(FIELDS[1]!), from: '30', to: '20', step: '1' },
          listAxis('interval', '2h'),
          listAxis('allow_short', 'yes'),
          { ...listAxis('fast', '1'), name: 'nope' },
        ],
        windows: [{ start: '2024-03-05', end: '2024-03-04' }],
      }),
      FIELDS,
    );
    expect(bad).toEqual({
      ok: false,
      problems: {
        'grid.fast': ['"x" is not a number'],
        'grid.slow': ['from must not be after to'],
        'grid.interval': ['"2h" is not one of 1s, 1m, 5m'],
        'grid.allow_short': ['"yes" is not true or false'],
        'grid.nope': ['unknown param (the strategy declares: fast, slow, interval, allow_short)'],
        windows: ['window 1: the start is after the end'],
      },
    });
  });

  it('walk-forward: whole days, and the span the config must cover', () => {
    const wf = form({ axes: [listAxis('fast', '5')], windowMode: 'walk_forward' });
    const bad = buildSpec({ ...wf, trainDays: '0', testDays: '1.5', stepDays: '' }, FIELDS);
    expect(bad.ok ? [] : bad.problems.walk_forward).toEqual([
      'train_days: a whole number of days, at least 1',
      'test_days: a whole number of days, at least 1',
      'step_days: a whole number of days, at least 1',
    ]);
    const good = buildSpec(
      {
        ...wf,
        trainDays: '5',
        testDays: '2',
        stepDays: '2',
        span: { start: '2024-03-01', end: '2024-03-29' },
      },
      FIELDS,
    );
    expect(good).toMatchObject({
      ok: true,
      span: { start_date: '2024-03-01', end_date: '2024-03-29' },
      spec: { walk_forward: { train_days: 5, test_days: 2, step_days: 2 } },
    });
    if (good.ok) expect(good.spec.windows).toBeUndefined();
  });

  it("holds the editor's other params of the same strategy fixed", () => {
    const spec = { strategy: { file: 'ema-crossover.ts' }, grid: { fast: [5, 8] } };
    const editor = { strategy: { file: 'ema-crossover.ts', params: { fast: 3, qty: 50 } } };
    expect(withFixedParams(spec, editor)).toEqual({
      strategy: { file: 'ema-crossover.ts', params: { qty: 50 } },
      grid: { fast: [5, 8] },
    });
    const other = { strategy: { file: 'opening-range-breakout.ts', params: { qty: 50 } } };
    expect(withFixedParams(spec, other)).toBe(spec);
    expect(withFixedParams(spec, {})).toBe(spec);
  });

  it("puts the host's problems on the same keys", () => {
    expect(
      problemsByField([
        'grid.fast[1]: expected a number',
        'grid.nope: unknown param (the strategy declares: fast)',
        'grid: the grid is empty: name at least one param',
        'window 2023-01-02..2023-01-02: RIVN 1m bars: no data',
        'walk_forward needs train_days + test_days = 2 trading days; the data has 1',
        'strategy.file: pick a strategy file from data/strategies/',
        'config.data_streams: required',
      ]),
    ).toEqual({
      'grid.fast': ['fast[1]: expected a number'],
      'grid.nope': ['nope: unknown param (the strategy declares: fast)'],
      grid: ['grid: the grid is empty: name at least one param'],
      windows: ['window 2023-01-02..2023-01-02: RIVN 1m bars: no data'],
      walk_forward: ['walk_forward needs train_days + test_days = 2 trading days; the data has 1'],
      strategy: ['strategy.file: pick a strategy file from data/strategies/'],
      form: ['config.data_streams: required'],
    });
  });
});

const COLUMNS = [
  'run_id',
  'param_fast',
  'param_slow',
  'start_date',
  'end_date',
  'fold',
  'sample',
  'net_pnl',
  'error',
];

/** A seeded table: fast × slow × 3 folds × in/out, some figures missing. */
function table(): SweepTable {
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 200 - 100;
  const rows: SweepCell[][] = [];
  for (const fast of [3, 5, 8])
    for (const slow of [13, 21])
      for (const fold of [0, 1, 2])
        for (const sample of ['in', 'out']) {
          const day = `2024-03-0${fold * 2 + (sample === 'in' ? 1 : 2)}`;
          const pnl = fast === 8 && slow === 21 && fold === 1 ? null : Math.round(rand());
          rows.push([
            `${fast}-${slow}-${fold}-${sample}`,
            fast,
            slow,
            day,
            day,
            fold,
            sample,
            pnl,
            null,
          ]);
        }
  return { columns: COLUMNS, rows };
}

describe('sweep results', () => {
  it('sorts by any column, missing figures last either way', () => {
    const t = table();
    for (const order of ['asc', 'desc'] as const) {
      const sorted = sortRows(t, { column: 'net_pnl', order });
      const figures = sorted.map((r) => r[7]);
      const present = figures.filter((v) => v !== null) as number[];
      expect(present).toEqual([...present].sort((a, b) => (order === 'asc' ? a - b : b - a)));
      expect(figures.slice(present.length).every((v) => v === null)).toBe(true);
      expect(sorted).toHaveLength(t.rows.length);
    }
    const byId = sortRows(t, { column: 'run_id', order: 'asc' }).map((r) => r[0]);
    expect(byId).toEqual([...byId].sort());
  });

  it('heatmap: each cell the mean of its rows (brute force), the in-sample ones when asked', () => {
    const t = table();
    const keep = (row: SweepCell[]) => row[6] === 'in';
    const map = heatmap(t, 'fast', 'slow', 'net_pnl', keep);
    expect(map.xs).toEqual([3, 5, 8]);
    expect(map.ys).toEqual([13, 21]);
    for (const [yi, slow] of [13, 21].entries()) {
      for (const [xi, fast] of [3, 5, 8].entries()) {
        const figures = t.rows
          .filter((r) => r[1] === fast && r[2] === slow && r[6] === 'in' && r[7] !== null)
          .map((r) => r[7] as number);
        expect(map.counts[yi]![xi]).toBe(figures.length);
        expect(map.values[yi]![xi]).toBeCloseTo(
          figures.reduce((a, b) => a + b, 0) / figures.length,
        );
      }
    }
    const all = map.values.flat() as number[];
    expect(map.min).toBe(Math.min(...all));
    expect(map.max).toBe(Math.max(...all));
    // No Y param: one row over X.
    expect(heatmap(t, 'fast', '', 'net_pnl').ys).toEqual([null]);
  });

  it('colours losses red and gains green when the range spans zero, else one hue', () => {
    expect(heatColour(-10, -10, 20)).toMatch(/^rgba\(239, 83, 80, 1\.000\)$/);
    expect(heatColour(20, -10, 20)).toMatch(/^rgba\(38, 166, 154, 1\.000\)$/);
    expect(heatColour(5, 5, 9)).toBe('rgba(66, 165, 245, 0.150)');
    expect(heatColour(9, 5, 9)).toBe('rgba(66, 165, 245, 1.000)');
  });

  it('walk-forward: per fold the best in-sample params and their out-of-sample figure', () => {
    const t = table();
    for (const order of ['desc', 'asc'] as const) {
      const folds = walkForward(t, ['fast', 'slow'], 'net_pnl', order);
      expect(folds.map((f) => f.fold)).toEqual([0, 1, 2]);
      for (const f of folds) {
        // Brute force: every in-sample row of the fold, the best figure wins.
        const ins = t.rows.filter((r) => r[5] === f.fold && r[6] === 'in' && r[7] !== null);
        const best = ins.reduce((a, b) =>
          (
            order === 'desc'
              ? (b[7] as number) > (a[7] as number)
              : (b[7] as number) < (a[7] as number)
          )
            ? b
            : a,
        );
        expect(f.inSample).toBe(best[7]);
        const oos = t.rows.find(
          (r) =>
            r[5] === f.fold && r[6] === 'out' && r[1] === f.params.fast && r[2] === f.params.slow,
        )!;
        expect(f.outOfSample).toBe(oos[7]);
        expect(f.outRunId).toBe(oos[0]);
        expect(f.outStart).toBe(oos[3]);
      }
    }
  });
});
