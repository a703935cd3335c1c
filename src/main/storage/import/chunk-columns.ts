/**
 * The growing columns of one symbol's next chunk, and the sort-mode helper that joins a
 * symbol's held columns and orders them by time.
 */

export class Columns {
  length = 0;
  readonly timestamp: Float64Array;
  readonly values: Float64Array[];
  /** Duplicates of this chunk's rows dropped (each follows the row it repeats). */
  dropped = 0;
  /** Source row numbers, kept only when sorting (to name rows after the sort). */
  readonly rows?: Float64Array;

  constructor(capacity: number, fields: number, keepRows = false) {
    this.timestamp = new Float64Array(capacity);
    this.values = Array.from({ length: fields }, () => new Float64Array(capacity));
    if (keepRows) this.rows = new Float64Array(capacity);
  }
}

export interface SortedRows {
  timestamp: Float64Array;
  rows: Float64Array;
  values: Float64Array[];
  /** Indexes into the arrays above in time order; equal times keep their file order. */
  order: Uint32Array;
}

/** Joins held columns (kept with row numbers) and sorts them by time, stably. */
export function concatSorted(held: Columns[], fieldCount: number): SortedRows {
  const total = held.reduce((n, c) => n + c.length, 0);
  const timestamp = new Float64Array(total);
  const rows = new Float64Array(total);
  const values = Array.from({ length: fieldCount }, () => new Float64Array(total));
  let at = 0;
  for (const c of held) {
    timestamp.set(c.timestamp.subarray(0, c.length), at);
    rows.set(c.rows!.subarray(0, c.length), at);
    c.values.forEach((col, k) => values[k].set(col.subarray(0, c.length), at));
    at += c.length;
  }
  const order = new Uint32Array(total);
  for (let i = 0; i < total; i++) order[i] = i;
  order.sort((a, b) => timestamp[a] - timestamp[b] || a - b);
  return { timestamp, rows, values, order };
}
