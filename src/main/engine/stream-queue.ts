/**
 * One registered stream: its cursor, a bounded queue of column chunks, and the async loader
 * that keeps the queue topped up. The loader waits while the queue is full, so memory stays
 * at `maxQueue` items per stream whatever the size of the data.
 */
import type { StreamBatch, StreamCursor } from '../../shared/stream-cursor';
import type { BaseInterval } from '../../shared/interval';
import { intervalMs } from '../../shared/interval';
import type { StreamType } from '../../shared/stream-types';

/** Rows asked of a cursor at a time: large enough to amortise I/O, small enough to bound memory. */
const CHUNK_ROWS = 16_384;

export class StreamQueue {
  readonly symbol: string;
  readonly type: StreamType;
  readonly interval: BaseInterval | null;
  /** Added to a stored timestamp to get availability time: the bar's length, or 0. */
  readonly availabilityOffset: number;

  private readonly chunks: StreamBatch[] = [];
  /** Index of the head row in chunks[0]. */
  headRow = 0;
  /** Items queued and not yet taken. */
  queued = 0;
  exhausted = false;
  closed = false;
  error: unknown = null;

  emitted = 0;
  staleSkipped = 0;

  private wakeLoader: (() => void) | null = null;
  private readonly arrivalWaiters: Array<() => void> = [];
  private loading: Promise<void> | null = null;

  constructor(
    readonly id: number,
    readonly cursor: StreamCursor,
    private readonly maxQueue: number,
  ) {
    this.symbol = cursor.symbol;
    this.type = cursor.type;
    this.interval = cursor.type === 'bars' ? (cursor.interval ?? '1m') : null;
    this.availabilityOffset = this.interval ? intervalMs(this.interval) : 0;
  }

  /** The chunk holding the head item; undefined when nothing is queued. */
  get head(): StreamBatch | undefined {
    return this.chunks[0];
  }

  get headAvailable(): number {
    return this.chunks[0]!.timestamp[this.headRow]! + this.availabilityOffset;
  }

  get hasHead(): boolean {
    return this.queued > 0;
  }

  /** Waiting for data that is still to come. */
  get starved(): boolean {
    return this.queued === 0 && !this.exhausted && !this.closed;
  }

  startLoading(): void {
    this.loading ??= this.load();
  }

  /** Moves past the head item; returns true if another is queued. */
  advance(): boolean {
    this.queued--;
    const chunk = this.chunks[0]!;
    if (++this.headRow >= chunk.length) {
      this.chunks.shift();
      this.headRow = 0;
      this.wakeLoader?.();
    }
    return this.queued > 0;
  }

  /** Resolves when an item arrives, the stream ends, or it fails. */
  whenArrived(): Promise<void> {
    if (!this.starved) return Promise.resolve();
    return new Promise((resolve) => this.arrivalWaiters.push(resolve));
  }

  /** Items queued with their first and last timestamps, for queue stats. */
  span(): { items: number; first: number | null; last: number | null } {
    if (this.queued === 0) return { items: 0, first: null, last: null };
    const lastChunk = this.chunks[this.chunks.length - 1]!;
    return {
      items: this.queued,
      first: this.chunks[0]!.timestamp[this.headRow]!,
      last: lastChunk.timestamp[lastChunk.length - 1]!,
    };
  }

  /** Drops pending items and releases the cursor. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.chunks.length = 0;
    this.queued = 0;
    this.wakeLoader?.();
    this.notifyArrival();
    await this.loading?.catch(() => undefined);
    await this.cursor.close();
  }

  private async load(): Promise<void> {
    try {
      while (!this.closed) {
        const room = this.maxQueue - this.queued;
        if (room <= 0) {
          await new Promise<void>((resolve) => (this.wakeLoader = resolve));
          this.wakeLoader = null;
          continue;
        }
        const batch = await this.cursor.next(Math.min(CHUNK_ROWS, room));
        if (this.closed) return;
        if (batch === null) {
          this.exhausted = true;
          break;
        }
        if (batch.length === 0) continue;
        this.chunks.push(batch);
        this.queued += batch.length;
        this.notifyArrival();
      }
    } catch (error) {
      this.error = error;
      this.exhausted = true;
    }
    this.notifyArrival();
  }

  private notifyArrival(): void {
    for (const resolve of this.arrivalWaiters.splice(0)) resolve();
  }
}
