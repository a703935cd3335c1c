/**
 * One registered stream's bounded queue of column chunks, and the async loader that keeps it
 * topped up. The loader waits while the queue is full: the chunks pending plus the one the
 * merge is reading never exceed `maxQueue` items, whatever the size of the data.
 */
import type { StreamBatch, StreamCursor } from '../../shared/stream-cursor';

/** Rows asked of a cursor at a time: large enough to amortise I/O, small enough to bound memory. */
const CHUNK_ROWS = 16_384;

export class StreamQueue {
  private readonly chunks: StreamBatch[] = [];
  /** Items in chunks not yet taken by the merge. */
  pendingRows = 0;
  /** Length of the chunk the merge is reading: still counted against the bound. */
  private inHand = 0;
  /** The chunk the merge is reading, finished when it takes the next. */
  private held: StreamBatch | null = null;
  exhausted = false;
  closed = false;
  error: unknown = null;

  private wakeLoader: (() => void) | null = null;
  /** One promise shared by every waiter, so a live merge that waits often piles up nothing. */
  private arrival: { promise: Promise<void>; resolve: () => void } | null = null;
  private loading: Promise<void> | null = null;

  constructor(
    readonly cursor: StreamCursor,
    private readonly maxQueue: number,
  ) {}

  /** Nothing pending, and more may come. */
  get starved(): boolean {
    return this.pendingRows === 0 && !this.exhausted && !this.closed;
  }

  startLoading(): void {
    this.loading ??= this.load();
  }

  /**
   * Hands the next chunk to the merge (and frees the previous one's room), or null. The merge
   * has copied every row it emitted from the previous chunk into session data by now, so the
   * cursor may have that chunk's memory back.
   */
  take(): StreamBatch | null {
    if (this.held) this.cursor.finished?.(this.held);
    const chunk = this.chunks.shift() ?? null;
    this.held = chunk;
    this.inHand = chunk ? chunk.length : 0;
    if (chunk) this.pendingRows -= chunk.length;
    this.wakeLoader?.();
    return chunk;
  }

  /** Timestamps of the first and last pending items. */
  pendingSpan(): { first: number | null; last: number | null } {
    const first = this.chunks[0];
    const last = this.chunks[this.chunks.length - 1];
    return {
      first: first ? first.timestamp[0]! : null,
      last: last ? last.timestamp[last.length - 1]! : null,
    };
  }

  /** Resolves when an item arrives, the stream ends, or it fails. */
  whenArrived(): Promise<void> {
    if (!this.starved) return Promise.resolve();
    if (!this.arrival) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.arrival = { promise, resolve };
    }
    return this.arrival.promise;
  }

  /** Drops pending items and releases the cursor. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.chunks.length = 0;
    this.held = null;
    this.pendingRows = 0;
    this.inHand = 0;
    this.wakeLoader?.();
    this.notifyArrival();
    this.cursor.abort?.();
    await this.loading?.catch(() => undefined);
    await this.cursor.close();
  }

  private async load(): Promise<void> {
    try {
      while (!this.closed) {
        const room = this.maxQueue - this.pendingRows - this.inHand;
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
        this.pendingRows += batch.length;
        this.notifyArrival();
      }
    } catch (error) {
      this.error = error;
      this.exhausted = true;
    }
    this.notifyArrival();
  }

  private notifyArrival(): void {
    const arrival = this.arrival;
    this.arrival = null;
    arrival?.resolve();
  }
}
