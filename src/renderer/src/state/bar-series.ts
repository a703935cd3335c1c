/**
 * One symbol × interval's completed bars, kept as growable typed arrays (decisions §4): the
 * renderer holds a whole 1s day per chart, and an object per bar would cost ten times the
 * memory. Appends are O(1) amortized; a bar that lands inside history (a refilled gap) is
 * inserted in place and bumps `revision`, which tells a chart to redraw from scratch once.
 */
import type { BarColumns, FormingBar } from '../../../shared/ipc-contract';

const FIELDS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
type Field = (typeof FIELDS)[number];

export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export class BarSeries {
  private columns: Record<Field, Float64Array>;
  private size = 0;
  /** Increments whenever history changed other than at its end. */
  revision = 0;

  constructor(capacity = 1024) {
    this.columns = allocate(Math.max(16, capacity));
  }

  get length(): number {
    return this.size;
  }

  get lastTime(): number | null {
    return this.size === 0 ? null : this.columns.time[this.size - 1];
  }

  timeAt(index: number): number {
    return this.columns.time[index];
  }

  barAt(index: number): Bar {
    const c = this.columns;
    return {
      time: c.time[index],
      open: c.open[index],
      high: c.high[index],
      low: c.low[index],
      close: c.close[index],
      volume: c.volume[index],
    };
  }

  /** Replaces everything (a resync). */
  reset(bars: BarColumns): void {
    this.size = 0;
    this.revision += 1;
    this.append(bars);
  }

  /**
   * Appends bars in time order. A bar at the last bar's time replaces it; one before it goes
   * into its sorted place (or replaces the bar at that time) and bumps the revision.
   * Returns how many bars were added at the end.
   */
  append(bars: BarColumns): number {
    const n = bars.time.length;
    let appended = 0;
    for (let i = 0; i < n; i += 1) {
      const t = bars.time[i];
      const last = this.lastTime;
      if (last === null || t > last) {
        this.ensureCapacity(this.size + 1);
        this.write(this.size, bars, i);
        this.size += 1;
        appended += 1;
      } else if (t === last) {
        this.write(this.size - 1, bars, i);
        this.revision += 1;
      } else {
        this.insertOrReplace(bars, i);
        this.revision += 1;
      }
    }
    return appended;
  }

  /** Index of the first bar at or after `time` (binary search). */
  indexAtOrAfter(time: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.columns.time[mid] < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insertOrReplace(bars: BarColumns, i: number): void {
    const index = this.indexAtOrAfter(bars.time[i]);
    if (index < this.size && this.columns.time[index] === bars.time[i]) {
      this.write(index, bars, i);
      return;
    }
    this.ensureCapacity(this.size + 1);
    for (const f of FIELDS) this.columns[f].copyWithin(index + 1, index, this.size);
    this.write(index, bars, i);
    this.size += 1;
  }

  private write(at: number, bars: BarColumns, i: number): void {
    const c = this.columns;
    c.time[at] = bars.time[i];
    c.open[at] = bars.open[i];
    c.high[at] = bars.high[i];
    c.low[at] = bars.low[i];
    c.close[at] = bars.close[i];
    c.volume[at] = bars.volume[i];
  }

  private ensureCapacity(needed: number): void {
    const capacity = this.columns.time.length;
    if (needed <= capacity) return;
    const next = allocate(Math.max(needed, capacity * 2));
    for (const f of FIELDS) next[f].set(this.columns[f].subarray(0, this.size));
    this.columns = next;
  }
}

function allocate(capacity: number): Record<Field, Float64Array> {
  return Object.fromEntries(FIELDS.map((f) => [f, new Float64Array(capacity)])) as Record<
    Field,
    Float64Array
  >;
}

/** A forming bar is stale once a completed bar at or after its start exists. */
export function liveForming(
  forming: FormingBar | null,
  lastCompleted: number | null,
): FormingBar | null {
  if (forming === null) return null;
  if (lastCompleted !== null && forming.time <= lastCompleted) return null;
  return forming;
}
