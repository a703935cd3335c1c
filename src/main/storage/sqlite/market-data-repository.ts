/**
 * Row-level access to the market database for the edges: the plan's get_bars_by_symbol (API
 * responses, tests) and the bulk writers tests and the importer use. The engine's hot path
 * reads through SqliteStreamSource instead, as columns.
 */
import type { Interval } from '../../../shared/interval';
import { isInterval } from '../../../shared/interval';
import type { BarData } from '../../../shared/records';
import { DataError } from '../../../shared/stream-cursor';
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';
import { isValidSymbol, normalizeSymbol } from '../../../shared/symbol';
import type { MarketDb } from './market-db';
import { BARS_TABLE, QUOTES_TABLE, TICKS_TABLE } from './schema';
import { guardSqlite } from './sqlite-errors';

/**
 * A value column may hold null (or NaN): stored as NULL, which preflight then reports. Types,
 * not interfaces, so they fit the writer's by-name column map.
 */
type Column = ArrayLike<number | null>;

export type BarColumns = {
  /** Bar starts, UTC epoch ms (integers). */
  timestamp: ArrayLike<number>;
  open: Column;
  high: Column;
  low: Column;
  close: Column;
  volume: Column;
};

export type QuoteColumns = {
  timestamp: ArrayLike<number>;
  bid: Column;
  ask: Column;
  bid_size: Column;
  ask_size: Column;
};

export type TickColumns = {
  timestamp: ArrayLike<number>;
  price: Column;
  size: Column;
};

export class MarketDataRepository {
  constructor(readonly store: MarketDb) {}

  /**
   * Bars of one symbol and interval with start in [start, end) (UTC epoch ms), in time order.
   * Missing values come back as NaN.
   */
  getBarsBySymbol(
    symbol: string,
    start: number,
    end: number,
    interval: Interval = '1m',
  ): BarData[] {
    const sym = normalizeSymbol(symbol);
    return this.guard('read', BARS_TABLE, () => {
      const rows = this.store.db
        .prepare(
          `SELECT timestamp, open, high, low, close, volume FROM ${BARS_TABLE} ` +
            'WHERE symbol = ? AND interval = ? AND timestamp >= ? AND timestamp < ? ORDER BY timestamp',
        )
        .raw(true)
        .all(sym, interval, start, end) as unknown[][];
      return rows.map(([timestamp, open, high, low, close, volume]) => ({
        timestamp: timestamp as number,
        symbol: sym,
        interval,
        open: num(open),
        high: num(high),
        low: num(low),
        close: num(close),
        volume: num(volume),
      }));
    });
  }

  /**
   * Writes bars in one transaction; a bar already stored for (symbol, interval, timestamp) is
   * replaced (re-importing a day corrects it rather than failing). Returns the rows written.
   */
  insertBars(symbol: string, interval: Interval, columns: BarColumns): number {
    if (!isInterval(interval)) throw new DataError(`Unknown bar interval "${String(interval)}".`);
    return this.insert(
      'bars',
      BARS_TABLE,
      `INSERT OR REPLACE INTO ${BARS_TABLE} (symbol, interval, timestamp, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [symbol, interval],
      columns,
    );
  }

  /** Appends quotes in one transaction; their order among equal timestamps is kept. */
  insertQuotes(symbol: string, columns: QuoteColumns): number {
    return this.insert(
      'quotes',
      QUOTES_TABLE,
      `INSERT INTO ${QUOTES_TABLE} (symbol, timestamp, bid, ask, bid_size, ask_size) VALUES (?, ?, ?, ?, ?, ?)`,
      [symbol],
      columns,
    );
  }

  /** Appends ticks in one transaction; their order among equal timestamps is kept. */
  insertTicks(symbol: string, columns: TickColumns): number {
    return this.insert(
      'ticks',
      TICKS_TABLE,
      `INSERT INTO ${TICKS_TABLE} (symbol, timestamp, price, size) VALUES (?, ?, ?, ?)`,
      [symbol],
      columns,
    );
  }

  private insert(
    type: StreamType,
    table: string,
    sql: string,
    prefix: string[],
    columns: { timestamp: ArrayLike<number> } & Record<string, ArrayLike<number | null>>,
  ): number {
    const symbol = prefix[0];
    if (!isValidSymbol(symbol)) {
      throw new DataError(
        `Invalid symbol "${symbol}": use upper-case letters, digits, '.' and '-' (at most 32).`,
      );
    }
    const fields = STREAM_FIELDS[type];
    const timestamps = columns.timestamp;
    const values = fields.map((field) => {
      const column = columns[field];
      if (!column || column.length !== timestamps.length) {
        throw new DataError(
          `${table}: column ${field} has ${column?.length ?? 'no'} values for ${timestamps.length} timestamps.`,
        );
      }
      return column;
    });
    // Checked before the transaction, so a bad argument writes nothing.
    for (let i = 0; i < timestamps.length; i++) {
      if (!Number.isSafeInteger(timestamps[i])) {
        throw new DataError(
          `${table}: timestamp ${timestamps[i]} at index ${i} is not whole epoch milliseconds.`,
        );
      }
    }
    return this.guard('write', table, () => {
      const statement = this.store.db.prepare(sql);
      const write = this.store.db.transaction(() => {
        const row: (string | number | null)[] = [...prefix, 0, ...fields.map(() => null)];
        const base = prefix.length + 1;
        for (let i = 0; i < timestamps.length; i++) {
          row[prefix.length] = timestamps[i];
          for (let k = 0; k < values.length; k++) row[base + k] = values[k][i];
          statement.run(row);
        }
        return timestamps.length;
      });
      // IMMEDIATE: take the write lock up front, so a lock held elsewhere fails before any work.
      return write.immediate();
    });
  }

  private guard<T>(action: 'read' | 'write', table: string, fn: () => T): T {
    return guardSqlite(
      { file: this.store.file, action, table, busyTimeoutMs: this.store.busyTimeoutMs },
      fn,
    );
  }
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}
