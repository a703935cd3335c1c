/**
 * What the coordinator hands its consumers: a batch of merged items as columns. An item's
 * values are in session data, and the batch says where (`row` in the stream's store). The
 * batch is reused; a consumer copies what it keeps before returning.
 */
import type { BaseInterval } from '../../shared/interval';
import type { StreamType } from '../../shared/stream-types';
import type { ColumnStore } from './column-store';

export const KIND_BAR = 0;
export const KIND_QUOTE = 1;
export const KIND_TICK = 2;

export const KIND_OF: Record<StreamType, number> = {
  bars: KIND_BAR,
  quotes: KIND_QUOTE,
  ticks: KIND_TICK,
};

export interface StreamInfo {
  /** Slot id, as written in `EventBatch.stream`. */
  id: number;
  symbol: string;
  type: StreamType;
  interval: BaseInterval | null;
}

export class EventBatch {
  length = 0;
  /** Sequence number of the first item (0-based, counting every emitted item). */
  firstSeq = 0;
  readonly stream: Int32Array;
  readonly kind: Uint8Array;
  /** Stored timestamp: bar start, or the quote's or tick's time. */
  readonly timestamp: Float64Array;
  /** When the item became available: bar end, or its own time. */
  readonly available: Float64Array;
  /** The backtest clock after the item. */
  readonly clock: Float64Array;
  /** The item's row in its stream's session-data store. */
  readonly row: Int32Array;
  constructor(
    readonly capacity: number,
    /** Session-data store per stream id: bars_base, quotes or ticks of the stream's symbol. */
    readonly stores: readonly ColumnStore[],
  ) {
    this.stream = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.timestamp = new Float64Array(capacity);
    this.available = new Float64Array(capacity);
    this.clock = new Float64Array(capacity);
    this.row = new Int32Array(capacity);
  }

  /**
   * Field `field` of item `i`, in STREAM_FIELDS order: open..volume, bid..ask_size or
   * price, size.
   */
  value(field: number, i: number): number {
    return this.stores[this.stream[i]!]!.values[field]![this.row[i]!]!;
  }
}

export type BatchConsumer = (batch: EventBatch, streams: readonly StreamInfo[]) => void;
