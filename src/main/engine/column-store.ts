/**
 * A time series held as columns: one Float64Array per field plus a flags byte, grown by
 * doubling and appended in time order. This is what keeps a session of 1s bars at about
 * 49 bytes a bar instead of an object (and its hidden class) per bar (docs/design.md §4).
 */

/** Set on a bar that no source had and that the session made up (fill-forward). */
export const FLAG_SYNTHETIC = 1;

const MIN_CAPACITY = 64;
/** Rows up to which appendRange copies in a loop rather than through column views. */
const SHORT_RUN = 64;

export class ColumnStore {
  private _length = 0;
  timestamp: Float64Array;
  readonly values: Float64Array[];
  flags: Uint8Array;

  constructor(
    readonly fields: readonly string[],
    capacity = MIN_CAPACITY,
  ) {
    const cap = Math.max(1, capacity);
    this.timestamp = new Float64Array(cap);
    this.values = fields.map(() => new Float64Array(cap));
    this.flags = new Uint8Array(cap);
  }

  get length(): number {
    return this._length;
  }

  get capacity(): number {
    return this.timestamp.length;
  }

  /** Bytes held by the columns, used or not: the honest memory figure. */
  get byteLength(): number {
    let bytes = this.timestamp.byteLength + this.flags.byteLength;
    for (const column of this.values) bytes += column.byteLength;
    return bytes;
  }

  /**
   * Grows to hold at least `rows` rows in total. Callers that know the final size (from
   * parquet metadata) reserve once, so no doubling slack is left behind.
   */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.timestamp = grow(this.timestamp, rows, this._length);
    for (let j = 0; j < this.values.length; j++) {
      this.values[j] = grow(this.values[j]!, rows, this._length);
    }
    const flags = new Uint8Array(rows);
    flags.set(this.flags.subarray(0, this._length));
    this.flags = flags;
  }

  /**
   * Appends rows [from, to) of column batches in one copy per column: the merge appends each
   * stream's run this way rather than row by row (docs/design.md §4).
   */
  appendRange(
    timestamp: Float64Array,
    source: readonly Float64Array[],
    from: number,
    to: number,
  ): void {
    const count = to - from;
    if (count <= 0) return;
    const n = this._length;
    if (n + count > this.timestamp.length) this.reserve(Math.max(MIN_CAPACITY, n * 2, n + count));
    const values = this.values;
    if (count <= SHORT_RUN) {
      // Short runs are the rule when upkeep cycles cut the merge every few dozen rows: a loop
      // beats making a view of every column for each.
      const ts = this.timestamp;
      for (let i = 0; i < count; i++) ts[n + i] = timestamp[from + i]!;
      for (let j = 0; j < values.length; j++) {
        const into = values[j]!;
        const column = source[j]!;
        for (let i = 0; i < count; i++) into[n + i] = column[from + i]!;
      }
      const flags = this.flags;
      for (let i = 0; i < count; i++) flags[n + i] = 0;
    } else {
      this.timestamp.set(timestamp.subarray(from, to), n);
      for (let j = 0; j < values.length; j++) values[j]!.set(source[j]!.subarray(from, to), n);
      this.flags.fill(0, n, n + count);
    }
    this._length = n + count;
  }

  append(timestamp: number, fieldValues: readonly number[], flags = 0): void {
    const n = this._length;
    if (n > 0 && timestamp < this.timestamp[n - 1]!) {
      throw new RangeError('append out of time order; use insertOrdered');
    }
    if (n === this.timestamp.length) this.reserve(Math.max(MIN_CAPACITY, n * 2));
    this.timestamp[n] = timestamp;
    for (let j = 0; j < this.values.length; j++) this.values[j]![n] = fieldValues[j]!;
    this.flags[n] = flags;
    this._length = n + 1;
  }

  /** Index of the first row with timestamp >= t (binary search). */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this._length;
    const ts = this.timestamp;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Inserts a row at its place in time, for gap fills. Returns false, and changes nothing,
   * when a row with that timestamp is already there: a refill never duplicates a bar.
   */
  insertOrdered(timestamp: number, fieldValues: readonly number[], flags = 0): boolean {
    const at = this.lowerBound(timestamp);
    if (at < this._length && this.timestamp[at] === timestamp) return false;
    if (this._length === this.timestamp.length)
      this.reserve(Math.max(MIN_CAPACITY, this._length * 2));
    const n = this._length;
    this.timestamp.copyWithin(at + 1, at, n);
    this.flags.copyWithin(at + 1, at, n);
    for (const column of this.values) column.copyWithin(at + 1, at, n);
    this.timestamp[at] = timestamp;
    for (let j = 0; j < this.values.length; j++) this.values[j]![at] = fieldValues[j]!;
    this.flags[at] = flags;
    this._length = n + 1;
    return true;
  }

  /**
   * Removes the first `count` rows (the oldest), keeping the capacity: a bounded session
   * releases days from the front while the same columns keep filling at the back.
   */
  dropFront(count: number): void {
    const n = this._length;
    const k = Math.min(Math.max(0, count), n);
    if (k === 0) return;
    this.timestamp.copyWithin(0, k, n);
    for (const column of this.values) column.copyWithin(0, k, n);
    this.flags.copyWithin(0, k, n);
    this._length = n - k;
  }

  /** One row as a plain object, for edges that need one (API responses, tests). */
  row(i: number): Record<string, number> {
    if (i < 0 || i >= this._length)
      throw new RangeError(`row ${i} out of range 0..${this._length - 1}`);
    const out: Record<string, number> = { timestamp: this.timestamp[i]! };
    this.fields.forEach((field, j) => {
      out[field] = this.values[j]![i]!;
    });
    return out;
  }

  /** Views of the used part of each column (no copy). */
  columns(): { timestamp: Float64Array; values: Float64Array[]; flags: Uint8Array } {
    const n = this._length;
    return {
      timestamp: this.timestamp.subarray(0, n),
      values: this.values.map((c) => c.subarray(0, n)),
      flags: this.flags.subarray(0, n),
    };
  }
}

function grow(column: Float64Array, capacity: number, used: number): Float64Array {
  const next = new Float64Array(capacity);
  next.set(column.subarray(0, used));
  return next;
}
