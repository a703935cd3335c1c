/**
 * What the Sweep view draws from a sweep's rows: the table sorted by any column, the heatmap
 * of two params against a metric, and, for walk-forward, each fold's best in-sample params
 * beside their out-of-sample result. Pure, so each is tested against a brute-force oracle.
 */
import type { SweepCell } from '../../../shared/sweep-contract';

export interface SweepTable {
  columns: string[];
  rows: SweepCell[][];
}

export interface SortKey {
  column: string;
  order: 'asc' | 'desc';
}

/** A figure to compare, or null when the cell has none (empty, NaN, failed run). */
export function numberOf(cell: SweepCell | undefined): number | null {
  return typeof cell === 'number' && !Number.isNaN(cell) ? cell : null;
}

/** Rows sorted by one column; cells without a value go last either way, ties by run id. */
export function sortRows(table: SweepTable, key: SortKey): SweepCell[][] {
  const c = table.columns.indexOf(key.column);
  const id = table.columns.indexOf('run_id');
  const sign = key.order === 'asc' ? 1 : -1;
  const missing = (v: SweepCell | undefined): boolean =>
    v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v));
  return [...table.rows].sort((a, b) => {
    const va = a[c];
    const vb = b[c];
    const ma = missing(va);
    const mb = missing(vb);
    if (ma !== mb) return ma ? 1 : -1;
    if (!ma && va !== vb) {
      const less =
        typeof va === 'number' && typeof vb === 'number' ? va < vb : String(va) < String(vb);
      return sign * (less ? -1 : 1);
    }
    return String(a[id]) < String(b[id]) ? -1 : String(a[id]) > String(b[id]) ? 1 : 0;
  });
}

export interface Heatmap {
  xs: SweepCell[];
  ys: SweepCell[];
  /** values[y][x]: the mean of the metric over the rows at that point, null when none has it. */
  values: (number | null)[][];
  /** How many rows went into each cell. */
  counts: number[][];
  min: number | null;
  max: number | null;
}

/**
 * The metric at each (x, y) pair of param values, averaged over the other params and the
 * windows; `keep` picks the rows (the in-sample ones of a walk-forward).
 */
export function heatmap(
  table: SweepTable,
  xParam: string,
  yParam: string,
  metric: string,
  keep: (row: SweepCell[]) => boolean = () => true,
): Heatmap {
  const xc = table.columns.indexOf(`param_${xParam}`);
  const yc = table.columns.indexOf(`param_${yParam}`);
  const mc = table.columns.indexOf(metric);
  const rows = table.rows.filter(keep);
  const xs = distinctSorted(rows.map((r) => r[xc] ?? null));
  const ys = distinctSorted(rows.map((r) => r[yc] ?? null));
  const sums = ys.map(() => xs.map(() => 0));
  const counts = ys.map(() => xs.map(() => 0));
  for (const row of rows) {
    const v = numberOf(row[mc]);
    if (v === null) continue;
    const x = xs.indexOf(row[xc] ?? null);
    const y = ys.indexOf(row[yc] ?? null);
    sums[y]![x]! += v;
    counts[y]![x]! += 1;
  }
  let min: number | null = null;
  let max: number | null = null;
  const values = sums.map((line, y) =>
    line.map((sum, x) => {
      const n = counts[y]![x]!;
      if (n === 0) return null;
      const mean = sum / n;
      min = min === null ? mean : Math.min(min, mean);
      max = max === null ? mean : Math.max(max, mean);
      return mean;
    }),
  );
  return { xs, ys, values, counts, min, max };
}

function distinctSorted(values: SweepCell[]): SweepCell[] {
  const out = [...new Set(values)];
  return out.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)),
  );
}

/**
 * A colour for `value` on the scale [min, max]: red below zero, green above it when the range
 * spans zero (a loss and a gain are different things), else dark to bright blue.
 */
export function heatColour(value: number, min: number, max: number): string {
  if (min < 0 && max > 0) {
    const t = value < 0 ? value / min : value / max;
    const a = 0.15 + 0.85 * Math.min(1, Math.max(0, t));
    return value < 0 ? `rgba(239, 83, 80, ${a.toFixed(3)})` : `rgba(38, 166, 154, ${a.toFixed(3)})`;
  }
  const t = max === min ? 1 : (value - min) / (max - min);
  return `rgba(66, 165, 245, ${(0.15 + 0.85 * t).toFixed(3)})`;
}

export interface FoldResult {
  fold: number;
  inStart: string;
  inEnd: string;
  outStart: string;
  outEnd: string;
  /** The grid values of the best in-sample run, by param name. */
  params: Record<string, SweepCell>;
  inSample: number | null;
  outOfSample: number | null;
  /** Run ids, to open either one. */
  inRunId: string;
  outRunId: string | null;
}

/**
 * Per fold: the in-sample run ranked best by `metric` (in `order`), and the out-of-sample run
 * of the same fold with the same params.
 */
export function walkForward(
  table: SweepTable,
  params: readonly string[],
  metric: string,
  order: 'asc' | 'desc',
): FoldResult[] {
  const col = (name: string) => table.columns.indexOf(name);
  const [fc, sc, mc, idc, startc, endc] = [
    'fold',
    'sample',
    metric,
    'run_id',
    'start_date',
    'end_date',
  ].map(col) as [number, number, number, number, number, number];
  const pcs = params.map((p) => col(`param_${p}`));
  const key = (row: SweepCell[]): string => JSON.stringify(pcs.map((c) => row[c]));
  const folds = new Map<number, { ins: SweepCell[][]; outs: Map<string, SweepCell[]> }>();
  for (const row of table.rows) {
    const fold = numberOf(row[fc]);
    if (fold === null) continue;
    let entry = folds.get(fold);
    if (!entry) folds.set(fold, (entry = { ins: [], outs: new Map() }));
    if (row[sc] === 'in') entry.ins.push(row);
    else if (row[sc] === 'out') entry.outs.set(key(row), row);
  }
  const out: FoldResult[] = [];
  for (const [fold, { ins, outs }] of [...folds].sort((a, b) => a[0] - b[0])) {
    const best = sortRows({ columns: table.columns, rows: ins }, { column: metric, order })[0];
    if (!best) continue;
    const oos = outs.get(key(best)) ?? null;
    const anyOut = oos ?? outs.values().next().value ?? null;
    out.push({
      fold,
      inStart: String(best[startc]),
      inEnd: String(best[endc]),
      outStart: anyOut ? String(anyOut[startc]) : '',
      outEnd: anyOut ? String(anyOut[endc]) : '',
      params: Object.fromEntries(params.map((p, i) => [p, best[pcs[i]!] ?? null])),
      inSample: numberOf(best[mc]),
      outOfSample: oos ? numberOf(oos[mc]) : null,
      inRunId: String(best[idc]),
      outRunId: oos ? String(oos[idc]) : null,
    });
  }
  return out;
}
