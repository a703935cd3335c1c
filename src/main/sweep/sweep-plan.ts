/**
 * A sweep's runs: the grid (or a seeded sample of it) crossed with the windows. Pure: the same
 * spec, params and trading days give the same runs in the same order with the same ids, on
 * any machine, so results from many workers join by run id.
 */
import { createHash } from 'node:crypto';
import { resolveParams, type ParamField } from '../../shared/strategy/params';
import type { ParamValue, StrategyParams } from '../../shared/strategy/types';
import {
  axisValues,
  MAX_RUNS,
  type SweepSpec,
  type SweepWindow,
  type WalkForward,
} from '../../shared/sweep-spec';

/** A window, and for walk-forward which fold it belongs to and on which side. */
export interface PlannedWindow extends SweepWindow {
  fold?: number;
  sample?: 'in' | 'out';
}

export interface PlannedRun {
  run_id: string;
  /** The grid's values for this run, by param name in the grid's order. */
  grid: Record<string, ParamValue>;
  /** Everything handed to the strategy that is not a default: fixed params and grid values. */
  params: StrategyParams;
  window: PlannedWindow;
}

/** Every grid name the strategy does not declare, every value of the wrong type. */
export function gridProblems(spec: SweepSpec, fields: readonly ParamField[]): string[] {
  const problems: string[] = [];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const fixed = resolveParams(fields, spec.strategy.params);
  if (!fixed.ok) problems.push(...fixed.problems);
  for (const [name, axis] of Object.entries(spec.grid)) {
    const field = byName.get(name);
    if (!field) {
      const known = fields.map((f) => f.name).join(', ') || 'none';
      problems.push(`grid.${name}: unknown param (the strategy declares: ${known})`);
      continue;
    }
    if (!Array.isArray(axis) && field.kind !== 'number') {
      problems.push(`grid.${name}: a {from, to, step} range needs a number param (${field.kind})`);
      continue;
    }
    axisValues(axis).forEach((value, i) => {
      const checked = resolveParams(fields, { [name]: value });
      if (!checked.ok) {
        const why = checked.problems[0]!.replace(/^strategy\.params\.[^:]+: /, '');
        problems.push(`grid.${name}[${i}]: ${why}`);
      }
    });
  }
  return problems;
}

/** Walk-forward folds over `days` (sorted trading days): train, then test right after it. */
export function walkForwardWindows(
  days: readonly string[],
  wf: WalkForward,
): PlannedWindow[] | string {
  const need = wf.train_days + wf.test_days;
  if (days.length < need) {
    const have = days.length > 0 ? ` (${days[0]}..${days[days.length - 1]})` : '';
    return (
      `walk_forward needs train_days + test_days = ${need} trading days; ` +
      `the data has ${days.length}${have}`
    );
  }
  const windows: PlannedWindow[] = [];
  for (let i = 0, fold = 0; i + need <= days.length; i += wf.step_days, fold++) {
    windows.push(
      { start_date: days[i]!, end_date: days[i + wf.train_days - 1]!, fold, sample: 'in' },
      {
        start_date: days[i + wf.train_days]!,
        end_date: days[i + need - 1]!,
        fold,
        sample: 'out',
      },
    );
  }
  return windows;
}

/** sha256 of the params (keys sorted) and the window: the same run has the same id anywhere. */
export function runId(params: StrategyParams, window: SweepWindow): string {
  const sorted = Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
  const text = JSON.stringify([sorted, window.start_date, window.end_date]);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The number of grid points (random sampling may pick a few of very many). */
export function gridSize(spec: SweepSpec): number {
  let size = 1;
  for (const axis of Object.values(spec.grid)) size *= axisValues(axis).length;
  return size;
}

/** Runs in grid order (first param outermost), each point crossed with every window. */
export function expandRuns(
  spec: SweepSpec,
  windows: readonly PlannedWindow[],
): PlannedRun[] | string {
  const names = Object.keys(spec.grid);
  const axes = names.map((n) => axisValues(spec.grid[n]!));
  const size = gridSize(spec);
  if (!Number.isSafeInteger(size)) return 'the grid is too large to index; narrow it';
  const points =
    spec.random > 0 && spec.random < size ? sample(size, spec.random, spec.seed) : null;
  const total = (points?.length ?? size) * windows.length;
  if (total > MAX_RUNS) return `the sweep has more than ${MAX_RUNS} runs; narrow the grid`;
  const runs: PlannedRun[] = [];
  const seen = new Set<string>();
  const count = points?.length ?? size;
  for (let p = 0; p < count; p++) {
    let index = points ? points[p]! : p;
    const grid: Record<string, ParamValue> = {};
    // Mixed radix, last axis fastest.
    for (let a = axes.length - 1; a >= 0; a--) {
      const axis = axes[a]!;
      grid[names[a]!] = axis[index % axis.length]!;
      index = Math.floor(index / axis.length);
    }
    const ordered = Object.fromEntries(names.map((n) => [n, grid[n]!]));
    const params = { ...spec.strategy.params, ...ordered };
    for (const window of windows) {
      const id = runId(params, window);
      // A window repeated (in a list or across folds) is the same run: run it once.
      if (seen.has(id)) continue;
      seen.add(id);
      runs.push({ run_id: id, grid: ordered, params, window });
    }
  }
  return runs;
}

/** `n` distinct indexes in [0, size), sorted (Floyd's algorithm on a seeded generator). */
export function sample(size: number, n: number, seed: number): number[] {
  const next = mulberry32(seed);
  const chosen = new Set<number>();
  for (let j = size - n; j < size; j++) {
    const t = Math.floor(next() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
