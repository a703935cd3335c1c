/**
 * A stream cursor whose slabs are decoded and checked by the reader worker. It hands out the
 * same batches, in the same order, with the same errors, as ParquetStreamCursor; taking a slab
 * lets the worker decode one more, so a stream never has more than its prefetch waiting.
 */
import type { BaseInterval } from '../../../shared/interval';
import type { StreamBatch, StreamCursor, StreamKey } from '../../../shared/stream-cursor';
import type { StreamType } from '../../../shared/stream-types';

/** What the cursor needs of the reader that feeds it. */
export interface SlabFeed {
  /** The cursor took a slab: the worker may decode the next. */
  credit(stream: number): void;
  /** The cursor is done with the stream (read to the end, failed or closed early). */
  release(stream: number): void;
  /** Memory of slabs whose every row the consumer finished, for the worker to decode into. */
  recycle(buffers: ArrayBuffer[]): void;
}

/** A slab handed out in part or whole, and how many of its rows the consumer finished. */
interface SlabInUse {
  slab: StreamBatch;
  finishedRows: number;
}

export class WorkerStreamCursor implements StreamCursor {
  readonly symbol: string;
  readonly type: StreamType;
  readonly interval?: BaseInterval;

  private readonly arrived: StreamBatch[] = [];
  /** Slabs with rows handed out and not all finished, oldest first (rarely more than two). */
  private readonly inUse: SlabInUse[] = [];
  private current?: StreamBatch;
  private position = 0;
  private ended = false;
  private failure?: Error;
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(
    key: StreamKey,
    readonly totalRows: number,
    readonly largestDayRows: number,
    private readonly id: number,
    private readonly feed: SlabFeed,
  ) {
    this.symbol = key.symbol;
    this.type = key.type;
    if (key.interval) this.interval = key.interval;
  }

  /** From the reader: a slab, packed as in reader-protocol.ts. */
  deliver(
    length: number,
    timestamp: Float64Array,
    values: Float64Array[],
    fingerprint?: number,
  ): void {
    if (this.closed) return;
    const slab: StreamBatch = { length, timestamp, values };
    if (fingerprint !== undefined) {
      slab.slabPrint = {
        first: timestamp[0]!,
        last: timestamp[length - 1]!,
        rows: length,
        fingerprint,
      };
    }
    this.arrived.push(slab);
    this.notify();
  }

  /** From the reader: no more slabs. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  /** From the reader: the next slab failed (or the worker died); earlier slabs still count. */
  fail(error: Error): void {
    if (this.closed) return;
    this.failure ??= error;
    this.notify();
  }

  /** Same contract as ParquetStreamCursor.next: views of the current slab, never empty. */
  async next(maxRows: number): Promise<StreamBatch | null> {
    if (!Number.isInteger(maxRows) || maxRows < 1) {
      throw new RangeError(`maxRows must be a positive integer, got ${maxRows}`);
    }
    while (!this.closed) {
      if (this.current && this.position < this.current.length) return this.take(maxRows);
      const slab = this.arrived.shift();
      if (slab) {
        this.current = slab;
        this.position = 0;
        this.inUse.push({ slab, finishedRows: 0 });
        this.feed.credit(this.id);
        continue;
      }
      this.current = undefined;
      if (this.failure) {
        // A failed stream stays failed: later calls see the same error, not rows past it.
        const failure = this.failure;
        await this.close();
        this.failure = failure;
        throw failure;
      }
      if (this.ended) {
        this.release();
        return null;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.failure) throw this.failure;
    return null;
  }

  /**
   * Once every row of a slab is finished, its buffers go back to the worker: nothing on this
   * thread views them any more, and the worker decodes the next slabs into them. Left to the
   * collector, dead slabs would pile up here between full collections (they count as external
   * memory), more of them the longer the session.
   */
  finished(batch: StreamBatch): void {
    const buffer = batch.timestamp.buffer;
    const index = this.inUse.findIndex((s) => s.slab.timestamp.buffer === buffer);
    if (index < 0) return;
    const use = this.inUse[index]!;
    use.finishedRows += batch.length;
    if (use.finishedRows < use.slab.length) return;
    this.inUse.splice(index, 1);
    if (this.current === use.slab) this.current = undefined;
    const buffers = new Set<ArrayBuffer>();
    for (const column of [use.slab.timestamp, ...use.slab.values]) {
      buffers.add(column.buffer as ArrayBuffer);
    }
    this.feed.recycle([...buffers]);
  }

  /** A pending next() resolves null now, rather than after the worker's next slab. */
  abort(): void {
    void this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.arrived.length = 0;
    this.inUse.length = 0;
    this.current = undefined;
    this.release();
    this.notify();
  }

  private released = false;
  private release(): void {
    if (this.released) return;
    this.released = true;
    this.feed.release(this.id);
  }

  private take(maxRows: number): StreamBatch {
    const batch = this.current!;
    const start = this.position;
    const end = Math.min(batch.length, start + maxRows);
    this.position = end;
    if (start === 0 && end === batch.length) return batch;
    const part: StreamBatch = {
      length: end - start,
      timestamp: batch.timestamp.subarray(start, end),
      values: batch.values.map((column) => column.subarray(start, end)),
    };
    if (start === 0 && batch.slabPrint) part.slabPrint = batch.slabPrint;
    return part;
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
