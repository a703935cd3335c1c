/**
 * Typed-array columns that grow by doubling, with a `time` column kept in order: what the
 * renderer's bar and quote series are built on (docs/design.md §4: no object per row).
 */
export class GrowableColumns<F extends string> {
  columns: Record<F | 'time', Float64Array>;
  size = 0;

  constructor(
    private readonly fields: readonly (F | 'time')[],
    capacity: number,
  ) {
    this.columns = this.allocate(Math.max(16, capacity));
  }

  /** Makes room for `needed` rows, keeping the first `size`. */
  ensureCapacity(needed: number): void {
    const capacity = this.columns.time.length;
    if (needed <= capacity) return;
    const next = this.allocate(Math.max(needed, capacity * 2));
    for (const f of this.fields) next[f].set(this.columns[f].subarray(0, this.size));
    this.columns = next;
  }

  /** Index of the first row at or after `time` (binary search). */
  indexAtOrAfter(time: number): number {
    const times = this.columns.time;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid] < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Opens a hole of one row at `index`, moving the rows after it up. */
  shiftUp(index: number): void {
    this.ensureCapacity(this.size + 1);
    for (const f of this.fields) this.columns[f].copyWithin(index + 1, index, this.size);
    this.size += 1;
  }

  private allocate(capacity: number): Record<F | 'time', Float64Array> {
    return Object.fromEntries(this.fields.map((f) => [f, new Float64Array(capacity)])) as Record<
      F | 'time',
      Float64Array
    >;
  }
}
