/**
 * The SQLite store's part of the catalog, from its indexes: bars are keyed (symbol, interval,
 * timestamp) and quotes/ticks indexed (symbol, timestamp), so each trading day is one index
 * seek to its first row and range counts that never touch the table rows. Days are found by
 * seeking past the previous one, so empty days cost nothing. The database is opened read-only.
 */
import { existsSync } from 'node:fs';
import type { CatalogEntry } from '../../../shared/import-contract';
import { isBaseInterval, type BaseInterval } from '../../../shared/interval';
import { toIsoMs } from '../../../shared/time';
import { calendarFor } from '../../../shared/market/calendars';
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import { TradingDates } from '../../../shared/market/zoned-time';
import { openMarketDb } from '../sqlite/market-db';
import { BARS_TABLE, QUOTES_TABLE, TICKS_TABLE, tableExists } from '../sqlite/schema';
import { barQuality } from './parquet-catalog';
import type { SessionOf } from './session-window';

/** One stream's trading day, without figures: what a coverage check needs. */
export type StreamDay = Pick<CatalogEntry, 'symbol' | 'kind' | 'interval' | 'date'>;

/** A stream's day as found by the seek, and how to count it when figures are wanted. */
interface Found extends StreamDay {
  first: number;
  end: number;
  /** Rows and last timestamp in [from, to). */
  count(from: number, to: number): { n: number; last: number };
}

/** Which calendar dates a symbol's rows (SQLite has no partitions: any calendar will do). */
export type CalendarOf = (symbol: string) => CalendarName;

export function listSqliteCatalog(
  file: string,
  sessionOf: SessionOf,
  calendarOf: CalendarOf = () => 'XNYS',
): CatalogEntry[] {
  return scan(file, calendarOf, (day) => {
    const { n, last } = day.count(day.first, day.end);
    const interval = day.interval;
    const session = interval ? sessionOf(day.symbol, day.date, calendarOf(day.symbol)) : null;
    const present = session ? day.count(session.open, session.close).n : 0;
    return {
      symbol: day.symbol,
      kind: day.kind,
      ...(interval ? { interval } : {}),
      date: day.date,
      store: 'sqlite',
      rows: n,
      first: toIsoMs(day.first),
      last: toIsoMs(last),
      quality: interval ? barQuality(session, present, interval) : null,
    };
  });
}

/** Which trading days each stream has, by index seeks alone (nothing is counted). */
export function listSqliteDays(file: string, calendarOf: CalendarOf = () => 'XNYS'): StreamDay[] {
  return scan(file, calendarOf, ({ symbol, kind, interval, date }) => ({
    symbol,
    kind,
    ...(interval ? { interval } : {}),
    date,
  }));
}

function scan<T>(file: string, calendarOf: CalendarOf, visit: (day: Found) => T): T[] {
  if (!existsSync(file)) return [];
  const store = openMarketDb(file);
  try {
    const db = store.db;
    const out: T[] = [];
    const walk = (
      stream: Pick<StreamDay, 'symbol' | 'kind' | 'interval'>,
      next: (cursor: number) => number | null,
      count: Found['count'],
    ): void => {
      const dates = new TradingDates(calendarFor(calendarOf(stream.symbol)));
      let cursor = -Number.MAX_SAFE_INTEGER;
      for (;;) {
        const first = next(cursor);
        if (first === null) break;
        const { date, end } = dates.dayOf(first);
        out.push(visit({ ...stream, date, first, end, count }));
        cursor = end;
      }
    };
    if (tableExists(db, BARS_TABLE)) {
      const streams = db.prepare(`SELECT DISTINCT symbol, interval FROM ${BARS_TABLE}`).all() as {
        symbol: string;
        interval: string;
      }[];
      const where = `FROM ${BARS_TABLE} WHERE symbol = ? AND interval = ?`;
      const next = db.prepare(`SELECT MIN(timestamp) AS t ${where} AND timestamp >= ?`);
      const count = db.prepare(
        `SELECT COUNT(*) AS n, MAX(timestamp) AS last ${where} AND timestamp >= ? AND timestamp < ?`,
      );
      for (const { symbol, interval } of streams) {
        if (!isBaseInterval(interval)) continue;
        walk(
          { symbol, kind: 'bars', interval: interval as BaseInterval },
          (cursor) => (next.get(symbol, interval, cursor) as { t: number | null }).t,
          (from, to) => count.get(symbol, interval, from, to) as { n: number; last: number },
        );
      }
    }
    for (const [table, kind] of [
      [QUOTES_TABLE, 'quotes'],
      [TICKS_TABLE, 'ticks'],
    ] as const) {
      if (!tableExists(db, table)) continue;
      const symbols = db.prepare(`SELECT DISTINCT symbol FROM ${table}`).all() as {
        symbol: string;
      }[];
      const where = `FROM ${table} WHERE symbol = ?`;
      const next = db.prepare(`SELECT MIN(timestamp) AS t ${where} AND timestamp >= ?`);
      const count = db.prepare(
        `SELECT COUNT(*) AS n, MAX(timestamp) AS last ${where} AND timestamp >= ? AND timestamp < ?`,
      );
      for (const { symbol } of symbols) {
        walk(
          { symbol, kind },
          (cursor) => (next.get(symbol, cursor) as { t: number | null }).t,
          (from, to) => count.get(symbol, from, to) as { n: number; last: number },
        );
      }
    }
    return out;
  } finally {
    store.close();
  }
}
