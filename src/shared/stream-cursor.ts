/**
 * How the engine reads stores. Storage implements these; the engine consumes them; neither
 * imports the other (DEVELOPERS.md: imports run one way).
 */
import type { BaseInterval } from './interval';
import type { RowsPrint } from './rows-print';
import type { StreamType } from './stream-types';

/** A chunk of one stream, as columns. */
export interface StreamBatch {
  /** Rows in this batch; every column has at least this many entries. */
  length: number;
  /**
   * UTC epoch milliseconds: the bar START for bars (availability is start + interval, decisions
   * §1), the exact time for quotes and ticks. Strictly increasing for bars, non-decreasing for
   * quotes and ticks.
   */
  timestamp: Float64Array;
  /** One column per field, in `STREAM_FIELDS[type]` order. */
  values: Float64Array[];
  /**
   * On the first batch of a slab the reader fingerprinted: the whole slab's print (all its
   * rows, flags zero), so a session releasing exactly those rows need not make it again.
   */
  slabPrint?: RowsPrint;
}

export interface StreamKey {
  symbol: string;
  type: StreamType;
  /** Set for bar streams only. */
  interval?: BaseInterval;
}

export interface StreamCursor extends StreamKey {
  /** Rows this cursor will yield in all, when the store knows it cheaply (presizes storage). */
  readonly totalRows?: number;
  /**
   * Rows of its fullest file when the store keeps one file a trading day (the parquet store):
   * a bounded session sizes a symbol's base bars from it once instead of growing by doubling.
   */
  readonly largestDayRows?: number;
  /**
   * The next batch of at most `maxRows` rows, or null once exhausted. Rejects with a
   * `DataError` that names the file, row and field when the data is bad.
   */
  next(maxRows: number): Promise<StreamBatch | null>;
  /**
   * A live feed's next() may wait indefinitely for rows: abort() makes a pending next()
   * resolve null, so a session can close without waiting for data. Stored data needs none.
   */
  abort?(): void;
  /**
   * The consumer reads `batch` no more: it copied what it keeps. A cursor whose batches are views
   * of memory it can reuse (the reader worker's slabs) takes the memory back once every batch
   * viewing it is finished, instead of leaving it to the collector. Optional on both sides: a
   * batch never finished is simply collected.
   */
  finished?(batch: StreamBatch): void;
  close(): Promise<void>;
}

/** Exchange-local trading dates, inclusive; absent bounds mean "all data available". */
export interface DateRange {
  start_date?: string;
  end_date?: string;
}

export interface StreamSource {
  /** Opens a cursor over one configured stream. Rejects with a DataError if it has no data. */
  open(key: StreamKey, range: DateRange): Promise<StreamCursor>;
}

/** A problem in stored data, located precisely enough for a user to go and fix it. */
export class DataError extends Error {
  override name = 'DataError';
  constructor(
    message: string,
    readonly file?: string,
    readonly row?: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Where the upkeep refills gaps from: base bars of one symbol by time range. A fetch may fail
 * (a locked database, a file being written); the upkeep retries with backoff.
 */
export interface BarFillSource {
  /** Says what is being read, for gap reports: `sqlite data/market.db`, `parquet data/`. */
  readonly description: string;
  /** Bars with start in [startMs, endMs), in time order. */
  fetchBars(
    symbol: string,
    interval: BaseInterval,
    startMs: number,
    endMs: number,
  ): Promise<StreamBatch>;
  /**
   * The same answer at once, when the source can give it without waiting (a SQLite query, a
   * file already decoded), else undefined. The upkeep's cycles run inside the merge: a cycle
   * that needs no wait costs no trip through the event loop.
   */
  fetchBarsSync?(
    symbol: string,
    interval: BaseInterval,
    startMs: number,
    endMs: number,
  ): StreamBatch | undefined;
}

/**
 * Where a bounded session reads base bars back after releasing them from memory: the store it
 * streamed them from, one exchange-local trading day at a time, synchronously (a strategy's
 * look-back is a synchronous call). A day that cannot be read throws, naming the file.
 */
export interface BarHistorySource {
  readonly description: string;
  /** Every bar of the day (`date`, whose bars start in [start, end)), in time order. */
  readDaySync(
    symbol: string,
    interval: BaseInterval,
    day: { date: string; start: number; end: number },
  ): StreamBatch;
  /** Where the day is kept, for messages (a file, a database). */
  whereIs(symbol: string, interval: BaseInterval, date: string): string;
}
