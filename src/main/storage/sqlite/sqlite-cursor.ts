/**
 * A cursor over one stream in the SQLite store: keyset pages (see stream-query) turned into
 * columns. Each page is checked before any of it is handed out, so a session never receives a
 * bad row: the cursor rejects (default) or, with skipInvalid, drops and counts it.
 *
 * better-sqlite3 is synchronous; pages are bounded (`chunkRows`) so one call never holds the
 * thread for long, whatever `maxRows` the caller asks for.
 */
import type Database from 'better-sqlite3';
import type { BaseInterval } from '../../../shared/interval';
import type {
  DataError,
  StreamBatch,
  StreamCursor,
  StreamKey,
} from '../../../shared/stream-cursor';
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';
import type { MarketDb } from './market-db';
import { rowProblem } from './row-checks';
import { sqliteFailure } from './sqlite-errors';
import {
  firstPageSql,
  nextPageParams,
  nextPageSql,
  rowError,
  type StreamQuery,
} from './stream-query';

/** Rows fetched per query at most: ~4 MB of columns for bars. */
export const DEFAULT_CHUNK_ROWS = 65_536;

export interface SqliteCursorOptions {
  /** Drop bad rows (counted in skippedRows) instead of rejecting. */
  skipInvalid?: boolean;
  /** Sees every bad row, thrown or skipped. */
  onProblem?: (problem: DataError) => void;
  chunkRows?: number;
}

type Row = unknown[];

export class SqliteStreamCursor implements StreamCursor {
  readonly symbol: string;
  readonly type: StreamType;
  readonly interval?: BaseInterval;
  /** Rows in range (COUNT at open); with skipInvalid an upper bound. */
  readonly totalRows: number;
  skippedRows = 0;

  private readonly first: Database.Statement;
  private readonly after: Database.Statement;
  private readonly width: number;
  private last?: { ts: number; id: number };
  private exhausted = false;
  private closed = false;
  private failure?: unknown;

  constructor(
    private readonly store: MarketDb,
    private readonly query: StreamQuery,
    totalRows: number,
    private readonly options: SqliteCursorOptions = {},
  ) {
    const key: StreamKey = query.key;
    this.symbol = key.symbol;
    this.type = key.type;
    if (key.interval) this.interval = key.interval;
    this.totalRows = totalRows;
    this.width = STREAM_FIELDS[key.type].length;
    this.first = this.guard(() => store.db.prepare(firstPageSql(query).text).raw(true));
    this.after = this.guard(() => store.db.prepare(nextPageSql(query)).raw(true));
  }

  /** At most `maxRows` rows, never an empty batch; null once exhausted. Calls must not overlap. */
  async next(maxRows: number): Promise<StreamBatch | null> {
    try {
      return this.nextSync(maxRows);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  /** next(), answered at once: better-sqlite3 reads synchronously. */
  nextSync(maxRows: number): StreamBatch | null {
    if (!Number.isInteger(maxRows) || maxRows < 1) {
      throw new RangeError(`maxRows must be a positive integer, got ${maxRows}`);
    }
    if (this.failure) throw this.failure;
    const limit = Math.min(maxRows, this.options.chunkRows ?? DEFAULT_CHUNK_ROWS);
    try {
      while (!this.closed && !this.exhausted) {
        const batch = this.guard(() => this.readPage(limit));
        if (batch.length > 0) return batch;
      }
      return null;
    } catch (error) {
      // A failed stream stays failed: later calls see the same error, not rows past it.
      this.failure = error;
      this.closed = true;
      throw error;
    }
  }

  async close(): Promise<void> {
    // The connection belongs to the source, which other cursors share.
    this.closed = true;
  }

  /**
   * One page straight into columns. Rows are iterated rather than fetched as one array: no
   * second copy of the page exists in JS, which roughly halves the cost per row.
   */
  private readPage(limit: number): StreamBatch {
    const { last, width, type } = this;
    const rows = (
      last
        ? this.after.iterate(...nextPageParams(this.query, last.ts, last.id, limit))
        : this.first.iterate(...firstPageSql(this.query).params, limit)
    ) as IterableIterator<Row>;
    const timestamp = new Float64Array(limit);
    const values = Array.from({ length: width }, () => new Float64Array(limit));
    let read = 0;
    let kept = 0;
    let lastRow: Row | undefined;
    for (const row of rows) {
      read++;
      lastRow = row;
      const problem = rowProblem(type, row, 2);
      if (problem) {
        const error = rowError(this.query, this.store.file, row[0] as number, row[1], problem);
        this.options.onProblem?.(error);
        if (!this.options.skipInvalid) throw error;
        this.skippedRows++;
        continue;
      }
      timestamp[kept] = row[1] as number;
      for (let k = 0; k < width; k++) values[k][kept] = row[2 + k] as number;
      kept++;
    }
    if (read < limit) this.exhausted = true;
    // The page key moves past every row read, kept or not.
    if (lastRow) this.last = { id: lastRow[0] as number, ts: lastRow[1] as number };
    if (kept === limit) return { length: kept, timestamp, values };
    return {
      length: kept,
      timestamp: timestamp.subarray(0, kept),
      values: values.map((column) => column.subarray(0, kept)),
    };
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw sqliteFailure(error, {
        file: this.store.file,
        action: 'read',
        table: this.query.table,
        busyTimeoutMs: this.store.busyTimeoutMs,
      });
    }
  }
}
