/**
 * Session-data stores to the contract's columns. Arrays of plain numbers, because that is what
 * survives JSON (the WebSocket) and structured clone (IPC) alike; copies are made only of the
 * rows asked for.
 */
import type { BarColumns, FormingBar, QuoteColumns, TickColumns } from '../../shared/ipc-contract';
import type { ColumnStore } from '../engine/column-store';
import type { DerivedBar } from '../engine/upkeep/derived-bars';

function slice(column: Float64Array, from: number, to: number): number[] {
  return Array.from(column.subarray(from, to));
}

/** Rows [from, to) of a base-bar store (open..volume) or a derived one (plus base_bars). */
export function barColumns(
  store: Pick<ColumnStore, 'length' | 'timestamp' | 'values'>,
  from = 0,
  to = store.length,
): BarColumns {
  const v = store.values;
  const columns: BarColumns = {
    time: slice(store.timestamp, from, to),
    open: slice(v[0]!, from, to),
    high: slice(v[1]!, from, to),
    low: slice(v[2]!, from, to),
    close: slice(v[3]!, from, to),
    volume: slice(v[4]!, from, to),
  };
  if (v.length > 5) columns.baseBars = slice(v[5]!, from, to);
  return columns;
}

export function quoteColumns(store: ColumnStore, from = 0, to = store.length): QuoteColumns {
  const v = store.values;
  return {
    time: slice(store.timestamp, from, to),
    bid: slice(v[0]!, from, to),
    ask: slice(v[1]!, from, to),
    bidSize: slice(v[2]!, from, to),
    askSize: slice(v[3]!, from, to),
  };
}

/** Rows [from, to) of a tick store (price, size), or only the rows in `pick` when given. */
export function tickColumns(
  store: ColumnStore,
  from = 0,
  to = store.length,
  pick?: number[],
): TickColumns {
  const [price, size] = store.values as [Float64Array, Float64Array];
  const rows = pick ?? Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
  return {
    time: rows.map((i) => store.timestamp[i]!),
    price: rows.map((i) => price[i]!),
    size: rows.map((i) => size[i]!),
    row: rows,
  };
}

export function emptyBars(derived: boolean): BarColumns {
  const columns: BarColumns = { time: [], open: [], high: [], low: [], close: [], volume: [] };
  if (derived) columns.baseBars = [];
  return columns;
}

export function formingBar(bar: Readonly<DerivedBar>): FormingBar {
  return {
    time: bar.start,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    baseBars: bar.base_bars,
  };
}

/** Index of the first row with timestamp > t. */
export function upperBound(store: ColumnStore, t: number): number {
  let lo = 0;
  let hi = store.length;
  const ts = store.timestamp;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
