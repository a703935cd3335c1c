/**
 * A cursor over columns already in memory: for tests, benchmarks, and hosts that feed
 * data they produced themselves.
 */
import type { BaseInterval } from '../../shared/interval';
import type { StreamBatch, StreamCursor } from '../../shared/stream-cursor';
import { STREAM_FIELDS, type StreamType } from '../../shared/stream-types';

export interface MemoryStreamInit {
  symbol: string;
  type: StreamType;
  interval?: BaseInterval;
  timestamp: ArrayLike<number>;
  /** Keyed by field name (open, high, ..., bid, ask, ..., price, size). */
  values: Record<string, ArrayLike<number>>;
}

export class MemoryStreamCursor implements StreamCursor {
  readonly symbol: string;
  readonly type: StreamType;
  readonly interval?: BaseInterval;
  readonly totalRows: number;
  private readonly timestamp: Float64Array;
  private readonly columns: Float64Array[];
  private offset = 0;
  closed = false;

  constructor(init: MemoryStreamInit) {
    this.symbol = init.symbol;
    this.type = init.type;
    if (init.interval) this.interval = init.interval;
    this.timestamp = asFloat64(init.timestamp);
    this.totalRows = this.timestamp.length;
    this.columns = STREAM_FIELDS[init.type].map((field) => {
      const column = init.values[field];
      if (!column)
        throw new Error(`MemoryStreamCursor ${init.symbol} ${init.type}: missing ${field}`);
      if (column.length !== this.totalRows) {
        throw new Error(
          `MemoryStreamCursor ${init.symbol} ${init.type}: ${field} has the wrong length`,
        );
      }
      return asFloat64(column);
    });
  }

  async next(maxRows: number): Promise<StreamBatch | null> {
    if (this.closed || this.offset >= this.totalRows) return null;
    const start = this.offset;
    const end = Math.min(this.totalRows, start + Math.max(1, maxRows));
    this.offset = end;
    return {
      length: end - start,
      timestamp: this.timestamp.subarray(start, end),
      values: this.columns.map((c) => c.subarray(start, end)),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Float64Arrays are used as they are (callers hand over columns they no longer change). */
function asFloat64(column: ArrayLike<number>): Float64Array {
  return column instanceof Float64Array ? column : Float64Array.from(column);
}
