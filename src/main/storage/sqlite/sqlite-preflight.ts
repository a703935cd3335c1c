/**
 * Preflight for the SQLite store: everything a session would read, checked before it starts.
 * Counting happens in SQL (one indexed pass each, nothing loaded into JS); only the few bad rows
 * shown to the user are fetched and described, by the same JS rules the cursor applies, so the
 * counts here are what a session would skip.
 */
import type Database from 'better-sqlite3';
import { DataError, type DateRange, type StreamKey } from '../../../shared/stream-cursor';
import { toIsoMs } from '../../../shared/time';
import type { MarketDb } from './market-db';
import { invalidRowSql, rowProblem } from './row-checks';
import { unreadableReason } from './schema';
import { sqliteFailure } from './sqlite-errors';
import {
  MAX_TIME_MS,
  MIN_TIME_MS,
  countSql,
  firstPageSql,
  rangeBounds,
  renderSql,
  rowError,
  streamName,
  streamQuery,
  type StreamQuery,
} from './stream-query';

export interface SqlitePreflightOptions {
  /** Judge as a skipInvalid session would: bad rows are acceptable, only counted. */
  skipInvalid?: boolean;
  /** Bad rows described in `problems` (all are counted); default 5. */
  maxProblems?: number;
}

export interface SqlitePreflightReport {
  key: StreamKey;
  range: DateRange;
  file: string;
  table?: string;
  /** Rows of the stream in range, plus rows whose timestamp cannot be placed in time. */
  totalRows: number;
  /** Rows a session receives. */
  validRows: number;
  invalidRows: number;
  /** Missing data, unusable database, then bad rows (each naming file, table, rowid, field). */
  problems: DataError[];
  /** A session may start: data exists, the database is usable, bad rows absent or skipped. */
  ok: boolean;
}

export function preflightSqlite(
  store: MarketDb,
  key: StreamKey,
  range: DateRange,
  options: SqlitePreflightOptions = {},
): SqlitePreflightReport {
  const report: SqlitePreflightReport = {
    key,
    range,
    file: store.file,
    totalRows: 0,
    validRows: 0,
    invalidRows: 0,
    problems: [],
    ok: false,
  };
  let query: StreamQuery;
  try {
    query = streamQuery(key, rangeBounds(range));
  } catch (error) {
    report.problems.push(error as DataError);
    return report;
  }
  report.table = query.table;
  const context = {
    file: store.file,
    action: 'read' as const,
    table: query.table,
    busyTimeoutMs: store.busyTimeoutMs,
  };
  try {
    checkTable(store, query);
    const { db } = store;
    const inRange = count(db, countSql(query));
    if (inRange === 0) {
      report.problems.push(noDataError(store, query));
      return report;
    }
    const bad = invalidRowSql(key.type);
    const invalid = count(db, countSql(query, bad));
    const unplaceable = unplaceableRows(db, query);
    report.totalRows = inRange + unplaceable.count;
    report.invalidRows = invalid + unplaceable.count;
    report.validRows = inRange - invalid;

    const max = options.maxProblems ?? 5;
    report.problems.push(...unplaceable.problems(store.file, max));
    if (invalid > 0) report.problems.push(...badRows(store, query, bad, max));
    const shown = report.problems.length;
    if (report.invalidRows > shown) {
      report.problems.push(
        new DataError(
          `${store.file}: table ${query.table} has ${report.invalidRows} invalid rows of ` +
            `${streamName(key)} for ${query.bounds.label} (the first ${shown} are listed).`,
          store.file,
        ),
      );
    }
  } catch (error) {
    report.problems.push(sqliteFailure(error, context));
    return report;
  }
  report.ok = report.invalidRows === 0 || options.skipInvalid === true;
  return report;
}

/** Refuses a table the stream cannot be read from, as a "no data" problem naming what lacks. */
export function checkTable(store: MarketDb, query: StreamQuery): void {
  const reason = unreadableReason(store.db, query.table);
  if (reason) {
    throw new DataError(`No ${streamName(query.key)} in ${store.file}: ${reason}.`, store.file);
  }
}

/**
 * "No data" naming the database, the query that found nothing and, cheaply (min/max on the
 * index), what the stream does hold, which is usually the real answer (a wrong date range).
 */
export function noDataError(store: MarketDb, query: StreamQuery): DataError {
  const name = streamName(query.key);
  const span = store.db
    .prepare(
      `SELECT MIN(timestamp) AS lo, MAX(timestamp) AS hi FROM ${query.table} ` +
        `WHERE ${query.keyWhere} AND timestamp >= ? AND timestamp < ?`,
    )
    .get(...query.keyParams, MIN_TIME_MS, MAX_TIME_MS) as { lo: number | null; hi: number | null };
  const held =
    span.lo === null || span.hi === null
      ? `The database has no ${name} at all.`
      : `Its ${name} run from ${toIsoMs(span.lo)} to ${toIsoMs(span.hi)} (bar starts, UTC).`;
  return new DataError(
    `No ${name} from ${query.bounds.label} in ${store.file}: ` +
      `${renderSql(countSql(query))} counted 0 rows. ${held}`,
    store.file,
  );
}

function count(db: Database.Database, sql: { text: string; params: (string | number)[] }): number {
  return db
    .prepare(sql.text)
    .pluck()
    .get(...sql.params) as number;
}

function badRows(store: MarketDb, query: StreamQuery, bad: string, max: number): DataError[] {
  const sql = firstPageSql(query, bad);
  const rows = store.db
    .prepare(sql.text)
    .raw(true)
    .all(...sql.params, max) as unknown[][];
  return rows.map((row) => {
    const problem = rowProblem(query.key.type, row, 2) ?? {
      field: '?',
      message: 'breaks a rule the SQL check and the JS check disagree on',
    };
    return rowError(query, store.file, row[0] as number, row[1], problem);
  });
}

/**
 * Rows of the stream whose timestamp is not a usable number (text, a blob, infinite). No range
 * can select them, so a session would silently miss them; they are reported whatever the range.
 * Text and blobs sort after every number, so two index seeks find them all.
 */
function unplaceableRows(
  db: Database.Database,
  query: StreamQuery,
): { count: number; problems(file: string, max: number): DataError[] } {
  const { table, keyWhere, keyParams, idColumn } = query;
  const parts = [
    { from: `FROM ${table} WHERE ${keyWhere} AND timestamp < ?`, bound: MIN_TIME_MS },
    { from: `FROM ${table} WHERE ${keyWhere} AND timestamp >= ?`, bound: MAX_TIME_MS },
  ];
  const n = parts.reduce(
    (sum, { from, bound }) =>
      sum +
      (db
        .prepare(`SELECT COUNT(*) ${from}`)
        .pluck()
        .get(...keyParams, bound) as number),
    0,
  );
  return {
    count: n,
    problems(file, max) {
      if (n === 0) return [];
      const rows = parts
        .flatMap(
          ({ from, bound }) =>
            db
              .prepare(`SELECT ${idColumn}, timestamp ${from} LIMIT ?`)
              .raw(true)
              .all(...keyParams, bound, max) as unknown[][],
        )
        .slice(0, max);
      return rows.map(([id, ts]) =>
        rowError(query, file, id as number, ts, {
          field: 'timestamp',
          message: `${describeTimestamp(ts)}; expected epoch milliseconds (UTC)`,
        }),
      );
    },
  };
}

function describeTimestamp(value: unknown): string {
  if (typeof value === 'string') return `is text ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'number') return `is ${value}, outside the range of dates`;
  if (value === null) return 'is NULL';
  return 'is a blob';
}
