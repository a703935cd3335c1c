/**
 * A StreamCursor fed by a live feed: the feed appends rows, the coordinator's loader takes
 * them as batches. Bars are kept strictly increasing by start, so a bar that arrives twice
 * (from a backfill and from the stream, or a repeated frame) is counted and dropped; quotes
 * and ticks are kept non-decreasing, an older item being counted as late and dropped.
 */
import type { StreamBatch, StreamCursor, StreamKey } from '../../shared/stream-cursor';
import { STREAM_FIELDS, type StreamType } from '../../shared/stream-types';
import type { BaseInterval } from '../../shared/interval';

const INITIAL_ROWS = 256;

/** Where a recording takes every accepted row (values in STREAM_FIELDS order). */
export interface RowSink {
  append(timestamp: number, v0: number, v1: number, v2?: number, v3?: number, v4?: number): void;
}

export class LiveCursor implements StreamCursor {
  readonly symbol: string;
  readonly type: StreamType;
  readonly interval?: BaseInterval;
  private timestamps = new Float64Array(INITIAL_ROWS);
  private columns: Float64Array[];
  private length = 0;
  private ended = false;
  private waiter: (() => void) | null = null;
  /** The newest timestamp accepted; -Infinity before the first row. */
  last = -Infinity;
  /** Rows dropped because they repeated or preceded an accepted one. */
  duplicates = 0;
  accepted = 0;
  /** Set while the session records: every accepted row is appended to it too. */
  tap: RowSink | null = null;

  constructor(key: StreamKey) {
    this.symbol = key.symbol;
    this.type = key.type;
    if (key.interval) this.interval = key.interval;
    this.columns = STREAM_FIELDS[key.type].map(() => new Float64Array(INITIAL_ROWS));
  }

  get closed(): boolean {
    return this.ended;
  }

  /**
   * Appends one row (values in STREAM_FIELDS order); false when it is refused as a repeat or
   * out of order. Allocation happens only when the buffer grows, never per row.
   */
  push(timestamp: number, v0: number, v1: number, v2 = 0, v3 = 0, v4 = 0): boolean {
    if (this.ended) return false;
    const isBar = this.type === 'bars';
    if (isBar ? timestamp <= this.last : timestamp < this.last) {
      this.duplicates++;
      return false;
    }
    if (this.length === this.timestamps.length) this.grow();
    const i = this.length++;
    this.timestamps[i] = timestamp;
    const c = this.columns;
    c[0]![i] = v0;
    c[1]![i] = v1;
    if (c.length > 2) {
      c[2]![i] = v2;
      c[3]![i] = v3;
    }
    if (c.length > 4) c[4]![i] = v4;
    this.last = timestamp;
    this.accepted++;
    this.tap?.append(timestamp, v0, v1, v2, v3, v4);
    const wake = this.waiter;
    this.waiter = null;
    wake?.();
    return true;
  }

  async next(maxRows: number): Promise<StreamBatch | null> {
    while (this.length === 0 && !this.ended) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    if (this.length === 0) return null;
    const n = Math.min(maxRows, this.length);
    const batch: StreamBatch = {
      length: n,
      timestamp: this.timestamps.slice(0, n),
      values: this.columns.map((c) => c.slice(0, n)),
    };
    // Keep what was not taken at the front; the buffer is reused.
    this.timestamps.copyWithin(0, n, this.length);
    for (const c of this.columns) c.copyWithin(0, n, this.length);
    this.length -= n;
    return batch;
  }

  /** Ends the stream: a pending next() resolves with what is left, then null. */
  end(): void {
    this.ended = true;
    const wake = this.waiter;
    this.waiter = null;
    wake?.();
  }

  abort(): void {
    this.end();
  }

  async close(): Promise<void> {
    this.end();
  }

  private grow(): void {
    const size = this.timestamps.length * 2;
    const t = new Float64Array(size);
    t.set(this.timestamps);
    this.timestamps = t;
    this.columns = this.columns.map((c) => {
      const next = new Float64Array(size);
      next.set(c);
      return next;
    });
  }
}
