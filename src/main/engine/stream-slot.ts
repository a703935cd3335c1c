/**
 * The merge's view of one registered stream: the chunk it is reading, as plain fields the hot
 * loop can read without a getter or an array lookup, plus per-stream counters.
 */
import { intervalMs } from '../../shared/interval';
import type { RowsPrint } from '../../shared/rows-print';
import type { ColumnStore } from './column-store';
import { KIND_BAR, type StreamInfo } from './event-batch';
import type { QueueStat } from './queue-stats';
import type { StreamQueue } from './stream-queue';

const EMPTY = new Float64Array(0);

export class StreamSlot {
  readonly info: StreamInfo;
  /** Added to a stored timestamp to get availability time: the bar's length, or 0. */
  readonly offset: number;
  /** The current chunk's timestamps and value columns, and the head row in it. */
  ts: Float64Array = EMPTY;
  values: Float64Array[] = [];
  row = 0;
  end = 0;
  emitted = 0;
  staleSkipped = 0;
  /** Live mode: items emitted after the merge had passed their availability. */
  late = 0;
  /**
   * First row of the current chunk emitted but not yet copied into session data (-1: none),
   * and the store row it will land at. Emitted rows are copied as one run per column.
   */
  runStart = -1;
  runStoreRow = 0;

  constructor(
    readonly id: number,
    readonly queue: StreamQueue,
    /** Where this stream's items go in session data. */
    readonly store: ColumnStore,
    readonly kind: number,
    /** Where the prints of slabs taken go (a bounded session's bar streams), or null. */
    private readonly prints: RowsPrint[] | null = null,
  ) {
    const cursor = queue.cursor;
    const interval = kind === KIND_BAR ? (cursor.interval ?? '1m') : null;
    this.info = { id, symbol: cursor.symbol, type: cursor.type, interval };
    this.offset = interval ? intervalMs(interval) : 0;
  }

  /** Starts a run at the head row; returns the store row the head item will have. */
  startRun(): number {
    this.runStart = this.row;
    this.runStoreRow = this.store.length;
    return this.runStoreRow;
  }

  /** Copies the run emitted so far (rows runStart up to the head) into session data. */
  commitRun(): void {
    if (this.runStart < 0) return;
    this.store.appendRange(this.ts, this.values, this.runStart, this.row);
    this.runStart = -1;
  }

  /** Moves on to the queue's next chunk; false when none is pending. */
  takeChunk(): boolean {
    this.commitRun();
    const chunk = this.queue.take();
    if (!chunk) {
      this.row = this.end = 0;
      return false;
    }
    if (chunk.slabPrint && this.prints) this.prints.push(chunk.slabPrint);
    this.ts = chunk.timestamp;
    this.values = chunk.values;
    this.row = 0;
    this.end = chunk.length;
    return true;
  }

  drop(): void {
    this.commitRun();
    this.ts = EMPTY;
    this.values = [];
    this.row = this.end = 0;
  }

  stats(): QueueStat {
    const pending = this.queue.pendingSpan();
    const inHand = this.end - this.row;
    return {
      symbol: this.info.symbol,
      type: this.info.type,
      interval: this.info.interval,
      items: inHand + this.queue.pendingRows,
      first: inHand > 0 ? this.ts[this.row]! : pending.first,
      last: pending.last ?? (inHand > 0 ? this.ts[this.end - 1]! : null),
      emitted: this.emitted,
      stale_skipped: this.staleSkipped,
      late: this.late,
      exhausted: this.queue.exhausted && this.queue.pendingRows === 0 && inHand === 0,
    };
  }
}
