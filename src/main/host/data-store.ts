/**
 * Picks and opens the store a config names, for every host, and the store gaps are refilled
 * from.
 *
 *   parquet: `data_source.path` (default: the data directory) holds `parquet/…`.
 *   sqlite:  `data_source.path` (default: `<data>/market.db`) is the database file; a directory
 *            there means its `market.db`.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { SessionConfig } from '../../shared/session-config';
import type { BarFillSource, DateRange } from '../../shared/stream-cursor';
import { ParquetBarHistory } from '../storage/parquet/parquet-day-reader';
import { ParquetBarFillSource } from '../storage/parquet/parquet-fill-source';
import { listStoreFiles, parquetRoot, streamFilePath } from '../storage/parquet/parquet-layout';
import { ParquetStreamSource } from '../storage/parquet/parquet-source';
import {
  ParquetReader,
  readerWorkerEntry,
  type ReaderWorkerEntry,
} from '../storage/parquet/parquet-reader';
import type { SlabCache } from '../storage/parquet/slab-cache';
import { WorkerParquetSource } from '../storage/parquet/worker-parquet-source';
import { DEFAULT_DB_FILE, defaultDbPath } from '../storage/sqlite/market-db';
import { SqliteBarFillSource } from '../storage/sqlite/sqlite-fill-source';
import { SqliteStreamSource } from '../storage/sqlite/sqlite-source';
import { checkParquetStore } from '../storage/migration/store-check';
import { listSqliteDays } from '../storage/catalog/sqlite-catalog';
import { baseIntervalOf } from '../../shared/stream-interval';
import { calendarsOf, type DataStore } from './session-host';

export interface DataStoreOptions {
  /** Skip bad rows (and count them) instead of refusing the session. */
  skipInvalid?: boolean;
  /** SQLite only: how long to wait for another connection's lock (default 5 s). */
  busyTimeoutMs?: number;
  /**
   * Parquet only: decode in a reader worker thread, ahead of the merge. Off by default (a sweep
   * already runs a backtest per core); `auto` uses one on 2 cores or more for a session expected
   * to stream a million rows or more (docs/long-sessions.md has the measure).
   */
  readerWorker?: boolean | 'auto';
  /**
   * The reader worker's entry, for a process that runs bundled somewhere the entry's usual
   * places (beside the bundle, or compiled from the sources) cannot be found from.
   */
  readerWorkerEntry?: ReaderWorkerEntry;
  /**
   * Parquet only: decoded files kept across sessions of this process (a sweep worker runs many
   * sessions over the same days). Not used with a reader worker, which decodes in its thread.
   */
  slabCache?: SlabCache;
}

/** A store with what it reads from, and a way to let go of it (a database connection). */
export interface OpenedDataStore extends DataStore {
  /** `sqlite /data/market.db`, `parquet /data`. */
  readonly description: string;
  close(): void;
}

/** Cores from which `readerWorker: 'auto'` may decode in a worker: one for it, one for the merge. */
const AUTO_READER_CORES = 2;
/**
 * Rows a session must be expected to stream before `auto` starts a worker for it. Below this,
 * starting the thread (a quarter of a second on 2 cores) costs more than decoding beside the
 * merge saves; above it, the worker is the faster and the leaner (docs/long-sessions.md).
 */
const AUTO_READER_ROWS = 1_000_000;
/** Rows a day, for the estimate: a 1m bar stream's, and any other's (1s bars, quotes, ticks). */
const MINUTE_BARS_A_DAY = 390;
const DENSE_ROWS_A_DAY = 23_400;
const DAY_MS = 86_400_000;

export type DataStoreResult =
  { ok: true; store: OpenedDataStore } | { ok: false; problems: string[] };

/** A fill source the upkeep can hold; close() releases a database connection, if any. */
export type FillSource = BarFillSource & { close?(): void };

export function createDataStore(
  config: SessionConfig,
  dataDir: string,
  options: DataStoreOptions = {},
): DataStoreResult {
  const skipInvalid = options.skipInvalid ?? false;
  if (config.data_source.type === 'sqlite') {
    const file = sqliteFile(config, dataDir);
    const opened = openSqliteStore(file, skipInvalid, options.busyTimeoutMs);
    // SQLite rows have no partition: each symbol's days are dated by its session calendar.
    const calendarOf = calendarsOf(config);
    if (opened.ok)
      opened.store.catalog = async () => listSqliteDays(file, (s) => calendarOf(s).name);
    return opened;
  }
  const root = parquetDir(config, dataDir);
  // An import or a migration killed part-way is settled first: a session never reads a mix.
  const settled = checkParquetStore(root);
  if (!settled.ok) return { ok: false, problems: [settled.problem] };
  const wanted =
    options.readerWorker === 'auto'
      ? availableParallelism() >= AUTO_READER_CORES && expectedRows(config) >= AUTO_READER_ROWS
      : (options.readerWorker ?? false);
  const entry = wanted ? (options.readerWorkerEntry ?? readerWorkerEntry()) : null;
  const reader = entry ? new ParquetReader({ worker: entry }) : null;
  const parquet = reader
    ? new WorkerParquetSource(root, reader, { skipInvalid })
    : new ParquetStreamSource(root, {
        skipInvalid,
        ...(options.slabCache ? { slabCache: options.slabCache } : {}),
      });
  return {
    ok: true,
    store: {
      source: parquet,
      description: `parquet ${root}`,
      async preflight(key, range) {
        const report = await parquet.preflight(key, range);
        return {
          rows: skipInvalid ? report.validRows : report.totalRows,
          skipped: skipInvalid ? report.invalidRows : 0,
          problems: report.ok ? [] : report.problems.map((p) => p.message),
        };
      },
      // Partition paths alone: opening a session reads no footer it does not stream.
      catalog: () => listStoreFiles(root),
      dayFile: (key, date) => streamFilePath(root, key, date),
      skipInvalid,
      history: new ParquetBarHistory(root, { skipInvalid }),
      close() {
        void reader?.close();
      },
    },
  };
}

/**
 * The store gaps are refilled from: the OTHER store when it exists in the data directory
 * (sqlite `<data>/market.db` when streaming parquet, `<data>/parquet` when streaming sqlite),
 * since a gap in one is often present in the other; else the streaming store itself.
 */
export function createFillSource(config: SessionConfig, dataDir: string): FillSource {
  const data = resolve(dataDir);
  const calendarOf = calendarsOf(config);
  const fileDates = (symbol: string) => calendarOf(symbol).name;
  if (config.data_source.type === 'sqlite') {
    if (existsSync(parquetRoot(data))) {
      return new ParquetBarFillSource(data, { calendarOf: fileDates });
    }
    return new SqliteBarFillSource(sqliteFile(config, data));
  }
  const db = defaultDbPath(data);
  if (existsSync(db)) return new SqliteBarFillSource(db);
  // The store being streamed: files unchanged since now hold nothing the stream will lack.
  return new ParquetBarFillSource(parquetDir(config, data), {
    streamed: { since: Date.now() - MTIME_SLACK_MS, range: sessionRange(config) },
    calendarOf: fileDates,
  });
}

/**
 * File times can lag the clock by a file system's timestamp granularity: a file written in the
 * last seconds before a session opens counts as changed, and is read.
 */
const MTIME_SLACK_MS = 2000;

function sessionRange(config: SessionConfig): DateRange {
  const { start_date, end_date } = config.backtest_config ?? {};
  return { ...(start_date ? { start_date } : {}), ...(end_date ? { end_date } : {}) };
}

/**
 * Why `data_source.path` may not be opened by an API host, or null when it may: there it must
 * name something inside the data directory (links followed), since the config comes from a page
 * and must not make the host read any file it names. The CLI, run by the user, may read anywhere.
 */
export function dataSourceOutside(config: SessionConfig, dataDir: string): string | null {
  const path = config.data_source.path;
  if (!path) return null;
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const root = real(resolve(dataDir));
  const target = real(resolve(root, path));
  const rel = relative(root, target);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) return null;
  return `data_source.path ${JSON.stringify(path)} is outside the data directory; name a file or folder inside it`;
}

/** The database file a sqlite config reads. */
export function sqliteFile(config: SessionConfig, dataDir: string): string {
  const path = config.data_source.path;
  if (!path) return defaultDbPath(resolve(dataDir));
  const file = resolve(dataDir, path);
  return existsSync(file) && statSync(file).isDirectory() ? join(file, DEFAULT_DB_FILE) : file;
}

/** The folder holding a parquet config's `parquet/…` tree. */
export function parquetDir(config: SessionConfig, dataDir: string): string {
  const path = config.data_source.path;
  return path ? resolve(dataDir, path) : resolve(dataDir);
}

function openSqliteStore(
  file: string,
  skipInvalid: boolean,
  busyTimeoutMs: number | undefined,
): DataStoreResult {
  const sqlite = new SqliteStreamSource(file, { skipInvalid, busyTimeoutMs });
  // Opened now, once: a missing, locked or corrupt file is one clear problem, not one per stream.
  try {
    sqlite.connect();
  } catch (error) {
    return { ok: false, problems: [error instanceof Error ? error.message : String(error)] };
  }
  // Released days are read back from the same database (rows it would skip are left out, as
  // the stream left them out; a difference is caught when the day is read back).
  const history = new SqliteBarFillSource(file, { busyTimeoutMs });
  return {
    ok: true,
    store: {
      source: sqlite,
      description: `sqlite ${file}`,
      history: {
        description: history.description,
        readDaySync: (symbol, interval, day) =>
          history.fetchBarsSync(symbol, interval, day.start, day.end),
        whereIs: (symbol, interval, date) => `${file} (${symbol} ${interval} bars of ${date})`,
      },
      async preflight(key, range) {
        const report = await sqlite.preflight(key, range);
        return {
          rows: skipInvalid ? report.validRows : report.totalRows,
          skipped: skipInvalid ? report.invalidRows : 0,
          problems: report.ok ? [] : report.problems.map((p) => p.message),
        };
      },
      close: () => {
        history.close();
        sqlite.close();
      },
    },
  };
}

/**
 * About how many rows a backtest will stream, from its streams and its trading days (without
 * reading the store): enough to tell a quick look at a few days from a long run. A range left
 * open is taken as long.
 */
export function expectedRows(config: SessionConfig): number {
  const start = config.backtest_config?.start_date;
  const end = config.backtest_config?.end_date;
  if (!start || !end) return Number.POSITIVE_INFINITY;
  const from = Date.parse(`${start}T00:00:00Z`);
  const to = Date.parse(`${end}T00:00:00Z`) + DAY_MS;
  const calendarOf = calendarsOf(config);
  let rows = 0;
  for (const stream of config.data_streams) {
    const days = calendarOf(stream.symbol).sessionsBetween(from, to).length;
    const minuteBars = stream.type === 'bars' && baseIntervalOf(stream) === '1m';
    rows += days * (minuteBars ? MINUTE_BARS_A_DAY : DENSE_ROWS_A_DAY);
  }
  return rows;
}
