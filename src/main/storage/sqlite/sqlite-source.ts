/**
 * The engine's StreamSource over the SQLite store. One read-only connection serves every cursor
 * and the preflight; it is opened on first use (a lock or a missing file found then is retried
 * on the next call, not remembered) and closed by close().
 */
import {
  DataError,
  type DateRange,
  type StreamKey,
  type StreamSource,
} from '../../../shared/stream-cursor';
import { openMarketDb, type MarketDb } from './market-db';
import { SqliteStreamCursor, type SqliteCursorOptions } from './sqlite-cursor';
import { guardSqlite } from './sqlite-errors';
import {
  checkTable,
  noDataError,
  preflightSqlite,
  type SqlitePreflightOptions,
  type SqlitePreflightReport,
} from './sqlite-preflight';
import { countSql, rangeBounds, streamQuery } from './stream-query';

export interface SqliteSourceOptions extends SqliteCursorOptions {
  busyTimeoutMs?: number;
}

export class SqliteStreamSource implements StreamSource {
  private store?: MarketDb;

  constructor(
    readonly file: string,
    private readonly options: SqliteSourceOptions = {},
  ) {}

  /** The read-only connection, opened if need be; throws a DataError naming the file. */
  connect(): MarketDb {
    this.store ??= openMarketDb(this.file, { busyTimeoutMs: this.options.busyTimeoutMs });
    return this.store;
  }

  async open(key: StreamKey, range: DateRange): Promise<SqliteStreamCursor> {
    const store = this.connect();
    const query = streamQuery(key, rangeBounds(range));
    const context = {
      file: store.file,
      action: 'read' as const,
      table: query.table,
      busyTimeoutMs: store.busyTimeoutMs,
    };
    return guardSqlite(context, () => {
      checkTable(store, query);
      const sql = countSql(query);
      const rows = store.db
        .prepare(sql.text)
        .pluck()
        .get(...sql.params) as number;
      if (rows === 0) throw noDataError(store, query);
      return new SqliteStreamCursor(store, query, rows, this.options);
    });
  }

  /** Counts and validates a whole stream in SQL without loading it; see preflightSqlite. */
  async preflight(
    key: StreamKey,
    range: DateRange,
    options: Omit<SqlitePreflightOptions, 'skipInvalid'> = {},
  ): Promise<SqlitePreflightReport> {
    let store: MarketDb;
    try {
      store = this.connect();
    } catch (error) {
      if (!(error instanceof DataError)) throw error;
      return {
        key,
        range,
        file: this.file,
        totalRows: 0,
        validRows: 0,
        invalidRows: 0,
        problems: [error],
        ok: false,
      };
    }
    return preflightSqlite(store, key, range, {
      skipInvalid: this.options.skipInvalid,
      ...options,
    });
  }

  close(): void {
    this.store?.close();
    this.store = undefined;
  }
}
