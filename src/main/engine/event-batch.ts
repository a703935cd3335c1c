/**
 * What the coordinator hands its consumers: a batch of merged items as columns. The batch is
 * reused; a consumer copies what it keeps before returning.
 */
import type { BaseInterval } from '../../shared/interval';
import type { StreamType } from '../../shared/stream-types';

export const KIND_BAR = 0;
export const KIND_QUOTE = 1;
export const KIND_TICK = 2;

export const KIND_OF: Record<StreamType, number> = {
  bars: KIND_BAR,
  quotes: KIND_QUOTE,
  ticks: KIND_TICK,
};

/** Up to five value columns: OHLCV for bars, bid/ask/bid_size/ask_size, price/size. */
export const MAX_FIELDS = 5;

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
  readonly values: Float64Array[];

  constructor(readonly capacity: number) {
    this.stream = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.timestamp = new Float64Array(capacity);
    this.available = new Float64Array(capacity);
    this.clock = new Float64Array(capacity);
    this.values = Array.from({ length: MAX_FIELDS }, () => new Float64Array(capacity));
  }
}

export type BatchConsumer = (batch: EventBatch, streams: readonly StreamInfo[]) => void;
