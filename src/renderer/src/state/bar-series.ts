/**
 * One symbol × interval's completed bars, kept as growable typed arrays (docs/design.md §4): the
 * renderer holds a whole 1s day per chart, and an object per bar would cost ten times the
 * memory. Appends are O(1) amortized; a bar that lands inside history (a refilled gap) is
 * inserted in place and bumps `revision`, which tells a chart to redraw from scratch once.
 */
import type { BarColumns, FormingBar } from '../../../shared/ipc-contract';
import { GrowableColumns } from './growable-columns';

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
  private readonly rows: GrowableColumns<Field>;
  /** Increments whenever history changed other than at its end. */
  revision = 0;

  constructor(capacity = 1024) {
    this.rows = new GrowableColumns(FIELDS, capacity);
  }

  get length(): number {
    return this.rows.size;
  }

  get lastTime(): number | null {
    return this.rows.size === 0 ? null : this.rows.columns.time[this.rows.size - 1];
  }

  timeAt(index: number): number {
    return this.rows.columns.time[index];
  }

  highAt(index: number): number {
    return this.rows.columns.high[index];
  }

  lowAt(index: number): number {
    return this.rows.columns.low[index];
  }

  barAt(index: number): Bar {
    const c = this.rows.columns;
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
    this.rows.size = 0;
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
        this.rows.ensureCapacity(this.rows.size + 1);
        this.write(this.rows.size, bars, i);
        this.rows.size += 1;
        appended += 1;
      } else if (t === last) {
        this.write(this.rows.size - 1, bars, i);
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
    return this.rows.indexAtOrAfter(time);
  }

  private insertOrReplace(bars: BarColumns, i: number): void {
    const index = this.indexAtOrAfter(bars.time[i]);
    if (index < this.rows.size && this.rows.columns.time[index] === bars.time[i]) {
      this.write(index, bars, i);
      return;
    }
    this.rows.shiftUp(index);
    this.write(index, bars, i);
  }

  private write(at: number, bars: BarColumns, i: number): void {
    const c = this.rows.columns;
    c.time[at] = bars.time[i];
    c.open[at] = bars.open[i];
    c.high[at] = bars.high[i];
    c.low[at] = bars.low[i];
    c.close[at] = bars.close[i];
    c.volume[at] = bars.volume[i];
  }
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
