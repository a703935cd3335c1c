/**
 * The SQL that reads one stream, shared by cursors, preflight and fills so they select exactly
 * the same rows.
 *
 * Reads page by keyset, never OFFSET: each page seeks the index just past the last row seen,
 * so every page costs the same however deep into the stream it is. Bars are unique per
 * (symbol, interval, timestamp), so the timestamp alone is the key. Quotes and ticks may share a
 * timestamp: their key is (timestamp, seq), seq being the rowid, which the (symbol, timestamp)
 * index already carries — rows come in time order, and in input order within one instant.
 */
import { isBaseInterval } from '../../../shared/interval';
import { DataError, type DateRange, type StreamKey } from '../../../shared/stream-cursor';
import { STREAM_FIELDS } from '../../../shared/stream-types';
import { isValidSymbol } from '../../../shared/symbol';
import { exchangeTimeToUtc, nextDate, toIsoMs } from '../../../shared/time';
import { BARS_TABLE, QUOTES_TABLE, TICKS_TABLE } from './schema';

/**
 * The widest instants a Date can hold. Open ranges use them rather than dropping the bound, so
 * text or infinite timestamps (which sort outside any number range) never slip into a stream.
 */
export const MIN_TIME_MS = -8.64e15;
export const MAX_TIME_MS = 8.64e15;

/** A half-open time window [lo, hi) in UTC epoch ms, and how to describe it to a user. */
export interface TimeBounds {
  lo: number;
  hi: number;
  label: string;
}

export interface StreamQuery {
  key: StreamKey;
  table: string;
  /** The column that identifies a row: rowid for bars, seq for quotes and ticks. */
  idColumn: string;
  bounds: TimeBounds;
  /** `symbol = ? [AND interval = ?]` and its parameters. */
  keyWhere: string;
  keyParams: string[];
  /** `rowid|seq, timestamp, <fields>` */
  select: string;
  orderBy: string;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A config date range as UTC bounds: from exchange-local midnight of start_date to exchange-local
 * midnight after end_date (both dates inclusive, DST handled by the exchange time zone).
 */
export function rangeBounds(range: DateRange): TimeBounds {
  const { start_date: start, end_date: end } = range;
  if (start !== undefined) checkDate(start, 'start_date');
  if (end !== undefined) checkDate(end, 'end_date');
  if (start && end && start > end) {
    throw new DataError(`start_date ${start} is after end_date ${end}; the range is empty.`);
  }
  return {
    lo: start ? exchangeTimeToUtc(start, 0, 0) : MIN_TIME_MS,
    hi: end ? exchangeTimeToUtc(nextDate(end), 0, 0) : MAX_TIME_MS,
    label:
      !start && !end
        ? 'any date'
        : `${start ?? 'the earliest date'} to ${end ?? 'the latest date'}`,
  };
}

/** Explicit UTC bounds, as the upkeep asks for fills. */
export function msBounds(startMs: number, endMs: number): TimeBounds {
  return { lo: startMs, hi: endMs, label: `${toIsoMs(startMs)} to ${toIsoMs(endMs)}` };
}

export function streamQuery(key: StreamKey, bounds: TimeBounds): StreamQuery {
  if (!isValidSymbol(key.symbol)) {
    throw new DataError(
      `Invalid symbol "${key.symbol}": use upper-case letters, digits, '.' and '-' (at most 32).`,
    );
  }
  const fields = STREAM_FIELDS[key.type].join(', ');
  if (key.type === 'bars') {
    if (!isBaseInterval(key.interval)) {
      throw new DataError(
        `Bar streams come from 1s or 1m bars only, not "${String(key.interval)}".`,
      );
    }
    return {
      key,
      table: BARS_TABLE,
      idColumn: 'rowid',
      bounds,
      keyWhere: 'symbol = ? AND interval = ?',
      keyParams: [key.symbol, key.interval],
      select: `rowid, timestamp, ${fields}`,
      orderBy: 'timestamp',
    };
  }
  return {
    key,
    table: key.type === 'quotes' ? QUOTES_TABLE : TICKS_TABLE,
    idColumn: 'seq',
    bounds,
    keyWhere: 'symbol = ?',
    keyParams: [key.symbol],
    select: `seq, timestamp, ${fields}`,
    orderBy: 'timestamp, seq',
  };
}

export interface Sql {
  text: string;
  params: (string | number)[];
}

/** Rows of the stream inside its bounds, optionally only those matching `extra`. */
export function countSql(query: StreamQuery, extra?: string): Sql {
  const { table, keyWhere, keyParams, bounds } = query;
  return {
    text:
      `SELECT COUNT(*) FROM ${table} WHERE ${keyWhere} AND timestamp >= ? AND timestamp < ?` +
      (extra ? ` AND ${extra}` : ''),
    params: [...keyParams, bounds.lo, bounds.hi],
  };
}

/** The first page; bind a row limit after the returned params. */
export function firstPageSql(query: StreamQuery, extra?: string): Sql {
  const { table, keyWhere, keyParams, bounds, select, orderBy } = query;
  return {
    text:
      `SELECT ${select} FROM ${table} WHERE ${keyWhere} AND timestamp >= ? AND timestamp < ?` +
      `${extra ? ` AND ${extra}` : ''} ORDER BY ${orderBy} LIMIT ?`,
    params: [...keyParams, bounds.lo, bounds.hi],
  };
}

/**
 * The page after the row (`lastTs`, `lastId`); parameters are keyParams, then the key of the
 * last row (timestamp for bars; timestamp, seq otherwise), then hi, then the limit.
 */
export function nextPageSql(query: StreamQuery): string {
  const { table, keyWhere, select, orderBy } = query;
  const after = query.key.type === 'bars' ? 'timestamp > ?' : '(timestamp, seq) > (?, ?)';
  return `SELECT ${select} FROM ${table} WHERE ${keyWhere} AND ${after} AND timestamp < ? ORDER BY ${orderBy} LIMIT ?`;
}

export function nextPageParams(
  query: StreamQuery,
  lastTs: number,
  lastId: number,
  limit: number,
): (string | number)[] {
  const after = query.key.type === 'bars' ? [lastTs] : [lastTs, lastId];
  return [...query.keyParams, ...after, query.bounds.hi, limit];
}

/** A statement with its parameters inlined, for messages a user can paste into sqlite3. */
export function renderSql(sql: Sql): string {
  let i = 0;
  return sql.text.replace(/\?/g, () => {
    const value = sql.params[i++];
    return typeof value === 'string' ? `'${value.replace(/'/g, "''")}'` : String(value);
  });
}

/** `AAPL 1m bars`, `SPY quotes`. */
export function streamName(key: StreamKey): string {
  return key.type === 'bars' ? `${key.symbol} ${key.interval} bars` : `${key.symbol} ${key.type}`;
}

/**
 * A bad row, located so it can be found again: the file, the table, its rowid (or seq) and its
 * time. `DataError.row` is that rowid.
 */
export function rowError(
  query: StreamQuery,
  file: string,
  id: number,
  timestamp: unknown,
  problem: { field: string; message: string },
): DataError {
  const what = streamName(query.key).replace(/s$/, '');
  const when =
    typeof timestamp === 'number' && Math.abs(timestamp) <= MAX_TIME_MS
      ? `at ${toIsoMs(timestamp)}`
      : 'with no usable time';
  return new DataError(
    `${file}: table ${query.table}, ${query.idColumn} ${id} (${what} ${when}), ` +
      `field "${problem.field}" ${problem.message}`,
    file,
    id,
    problem.field,
  );
}

function checkDate(date: string, what: string): void {
  const ms = DATE_PATTERN.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  const valid = !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
  if (!valid) throw new DataError(`${what} "${date}" is not a calendar date (YYYY-MM-DD).`);
}
