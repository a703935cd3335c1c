/**
 * Commits normalized import chunks into the stores, all or nothing (the orchestration; the
 * pieces are partition-spool, partition-merge, staging and sqlite-commit):
 *
 *   1. take the data directory's import lock, and recover any import a crash interrupted;
 *   2. stream the chunks: rows are split by their calendar's trading date into the spool
 *      (parquet) and inserted into one open SQLite transaction (sqlite);
 *   3. finalize each parquet partition: merge with the stored file (new rows replace old),
 *      write it under a temporary name in the staging directory, fsynced;
 *   4. write the staging manifest (the point of no return), COMMIT SQLite, rename the parts
 *      into place, remove the staging directory.
 *
 * A failure or a cancel before step 4 removes everything written (staging, a database or
 * directories the import created) and rolls SQLite back, so both stores are byte-identical to
 * before; a kill is handled by the staging rule (see staging.ts) on the next import.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isBaseInterval } from '../../../shared/interval';
import type { ImportResult, ImportTarget } from '../../../shared/import-contract';
import { DataError } from '../../../shared/stream-cursor';
import { STREAM_FIELDS, STREAM_TYPES } from '../../../shared/stream-types';
import { isValidSymbol } from '../../../shared/symbol';
import { parquetRoot } from '../parquet/parquet-layout';
import { checkMarketDbIntact, defaultDbPath } from '../sqlite/market-db';
import { acquireImportLock } from './import-lock';
import { ImportError, type ImportChunk } from './import-types';
import { PartitionFinalizer, type StreamTally } from './partition-finalizer';
import { PartitionSpool } from './partition-spool';
import { settleSqlite, SqliteImportWriter, sqliteUserVersion, streamId } from './sqlite-commit';
import { recoverStaging, removeIfEmpty, Staging } from './staging';
import { settleJournal } from '../migration/layout-migration';
import { legacyLayoutProblem } from '../migration/store-check';
import { calendarFor } from '../../../shared/market/calendars';
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import { TradingDates } from '../../../shared/market/zoned-time';

/** Where a commit reports: rows taken so far and the phase it is in. */
export interface CommitProgress {
  phase: 'reading' | 'writing' | 'publishing';
  rows: number;
  rowsPerSecond: number;
  /** Partitions finalized so far, and how many there are (writing phase). */
  partitionsDone: number;
  partitions: number;
}

/** Test hooks: throw from one of them to simulate a crash or failure at that point. */
export interface CommitFaults {
  /** Throws once this many rows have been taken from the chunks. */
  failAfterRows?: number;
  beforePartition?(index: number): void;
  beforeSqliteCommit?(): void;
  beforeRename?(index: number): void;
}

export interface CommitOptions {
  dataDir: string;
  to: ImportTarget;
  /** The database file (default `<data>/market.db`). */
  dbFile?: string;
  /** The source files, for the result and for messages. */
  files?: string[];
  signal?: AbortSignal;
  onProgress?: (p: CommitProgress) => void;
  faults?: CommitFaults;
  spoolBudgetBytes?: number;
}

export class ImportCancelled extends Error {
  override name = 'AbortError';
  constructor() {
    super('The import was cancelled; the stores are unchanged.');
  }
}

/**
 * Raised when SQLite committed but the parquet renames then failed and were undone: the one
 * case where the stores no longer agree. The message says which holds the import.
 */
export class PartialCommitError extends Error {
  override name = 'PartialCommitError';
}

const PROGRESS_EVERY_MS = 100;

export async function commitImport(
  chunks: AsyncIterable<ImportChunk>,
  options: CommitOptions,
): Promise<ImportResult> {
  const started = performance.now();
  const dataDir = path.resolve(options.dataDir);
  const writesParquet = options.to !== 'sqlite';
  const writesSqlite = options.to !== 'parquet';
  const dbFile = path.resolve(options.dbFile ?? defaultDbPath(dataDir));
  const label = options.files?.join(', ') ?? 'import';

  const createdDataDir = !fs.existsSync(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = acquireImportLock(dataDir);
  let staging: Staging | null = null;
  let createdRoot = false;
  let spool: PartitionSpool | null = null;
  let finalizer: PartitionFinalizer | null = null;
  let sqlite: SqliteImportWriter | null = null;
  let sqliteCommitted = false;
  try {
    // A damaged database is refused before anything (recovery included) writes to it.
    if (writesSqlite) checkMarketDbIntact(dbFile);
    recoverStaging(dataDir, sqliteUserVersion);
    settleSqlite(dbFile);
    if (writesParquet) {
      // New partitions beside old flat files would leave a store neither layout reads whole.
      settleJournal(dataDir);
      const legacy = legacyLayoutProblem(dataDir);
      if (legacy) throw new ImportError([{ file: dataDir, message: legacy }]);
      createdRoot = !fs.existsSync(parquetRoot(dataDir));
      staging = new Staging(dataDir);
      staging.create();
      spool = new PartitionSpool(staging.spillDir, options.spoolBudgetBytes);
    }
    if (writesSqlite) {
      sqlite = new SqliteImportWriter(dbFile);
      sqlite.begin();
    }

    const tallies = new Map<string, StreamTally>();
    if (spool && staging) {
      finalizer = new PartitionFinalizer(dataDir, spool, staging, tallies, {
        ...(options.faults?.beforePartition
          ? { beforePartition: options.faults.beforePartition }
          : {}),
        throwIfAborted: () => throwIfAborted(options.signal),
      });
    }
    const report = progressReporter(options.onProgress, started);
    const dates = new CalendarDates();
    let rows = 0;
    for await (const chunk of chunks) {
      throwIfAborted(options.signal);
      checkChunk(chunk, label);
      const tally = tallyOf(tallies, chunk);
      // Duplicates inside one file, which the reader dropped before they got here.
      tally.duplicatesDropped += chunk.duplicatesDropped ?? 0;
      const chunkDates = dates.of(chunk.calendar);
      if (spool && finalizer) await spoolChunk(spool, finalizer, chunk, chunkDates, tally);
      else
        for (let i = 0; i < chunk.length; i++) {
          tally.days.add(chunkDates.dayOf(chunk.timestamp[i]).date);
        }
      sqlite?.write(chunk);
      rows += chunk.length;
      const limit = options.faults?.failAfterRows;
      if (limit !== undefined && rows >= limit) {
        throw new Error(`injected failure after ${rows} rows`);
      }
      report('reading', rows, 0, 0);
    }
    throwIfAborted(options.signal);

    await finalizer?.finish((done, total) => report('writing', rows, done, total));
    const marker = writesParquet && sqlite ? sqlite.nextUserVersion() : undefined;
    const counts = sqlite?.prepare(marker);
    if (!writesParquet && counts) {
      for (const [id, c] of counts) {
        const tally = tallies.get(id);
        if (tally) Object.assign(tally, { rows: c.rows, replaced: c.replaced });
      }
    }
    throwIfAborted(options.signal);

    options.faults?.beforeSqliteCommit?.();
    staging?.writeManifest(
      marker !== undefined ? { file: dbFile, userVersion: marker } : undefined,
    );
    if (sqlite) {
      sqlite.commit();
      sqliteCommitted = true;
      sqlite.close();
    }
    report('publishing', rows, 0, 0);
    if (staging) {
      try {
        staging.publish(options.faults?.beforeRename);
      } catch (error) {
        if (!sqliteCommitted) throw error;
        throw new PartialCommitError(
          `${label}: SQLite (${dbFile}) has the import, but moving the parquet files into ` +
            `place failed and was undone, so the parquet store does not have it ` +
            `(${(error as Error).message}). Run the import again with --to parquet.`,
        );
      }
      staging.remove(false);
    }
    return {
      files: options.files ?? [],
      target: options.to,
      streams: [...tallies.values()]
        .sort((a, b) => (streamIdOf(a) < streamIdOf(b) ? -1 : 1))
        .map((t) => ({
          symbol: t.symbol,
          kind: t.kind,
          ...(t.interval ? { interval: t.interval } : {}),
          rows: t.rows,
          replaced: t.replaced,
          duplicatesDropped: t.duplicatesDropped,
          tradingDays: [...t.days].sort(),
        })),
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    spool?.discard();
    staging?.remove(createdRoot);
    if (!sqliteCommitted) sqlite?.abort();
    throw error;
  } finally {
    sqlite?.close();
    lock.release();
    if (createdDataDir) removeIfEmpty(dataDir);
  }
}

/** One TradingDates per calendar, so each keeps its own cached day. */
class CalendarDates {
  private readonly byName = new Map<CalendarName, TradingDates>();

  of(name: CalendarName = 'XNYS'): TradingDates {
    let dates = this.byName.get(name);
    if (!dates) this.byName.set(name, (dates = new TradingDates(calendarFor(name))));
    return dates;
  }
}

/** Cuts a chunk into runs of one trading date and appends each to its partition. */
async function spoolChunk(
  spool: PartitionSpool,
  finalizer: PartitionFinalizer,
  chunk: ImportChunk,
  dates: TradingDates,
  tally: StreamTally,
): Promise<void> {
  const ts = chunk.timestamp;
  let from = 0;
  while (from < chunk.length) {
    const day = dates.dayOf(ts[from]);
    let to = from + 1;
    while (to < chunk.length && ts[to] >= day.start && ts[to] < day.end) to++;
    const key = {
      symbol: chunk.symbol,
      kind: chunk.kind,
      interval: chunk.interval,
      date: day.date,
      ...(chunk.calendar ? { calendar: chunk.calendar } : {}),
    };
    await finalizer.arriving(key);
    spool.append(key, ts, chunk.values, from, to);
    tally.days.add(day.date);
    from = to;
  }
}

function tallyOf(tallies: Map<string, StreamTally>, chunk: ImportChunk): StreamTally {
  const id = streamId(chunk.symbol, chunk.kind, chunk.interval);
  let tally = tallies.get(id);
  if (!tally) {
    tally = {
      symbol: chunk.symbol,
      kind: chunk.kind,
      ...(chunk.kind === 'bars' ? { interval: chunk.interval } : {}),
      rows: 0,
      replaced: 0,
      duplicatesDropped: 0,
      days: new Set(),
    };
    tallies.set(id, tally);
  }
  return tally;
}

function streamIdOf(t: StreamTally): string {
  return streamId(t.symbol, t.kind, t.interval);
}

/** The contract's invariants, checked cheaply: a reader bug must not corrupt a store. */
function checkChunk(chunk: ImportChunk, file: string): void {
  const problem = (message: string): never => {
    throw new ImportError([{ file, message }]);
  };
  if (!isValidSymbol(chunk.symbol)) problem(`invalid symbol "${chunk.symbol}" in a chunk`);
  if (!(STREAM_TYPES as readonly string[]).includes(chunk.kind)) {
    problem(`unknown stream kind "${String(chunk.kind)}"`);
  }
  if (chunk.kind === 'bars' && !isBaseInterval(chunk.interval)) {
    problem(`bars need a base interval (1s or 1m), got "${String(chunk.interval)}"`);
  }
  const width = STREAM_FIELDS[chunk.kind].length;
  if (chunk.values.length !== width) {
    problem(`${chunk.kind} chunk has ${chunk.values.length} value columns, expected ${width}`);
  }
  if (chunk.timestamp.length < chunk.length || chunk.values.some((v) => v.length < chunk.length)) {
    problem(`chunk of ${chunk.length} rows has shorter columns`);
  }
  for (let i = 0; i < chunk.length; i++) {
    if (!Number.isSafeInteger(chunk.timestamp[i])) {
      throw new DataError(`${file}: timestamp ${chunk.timestamp[i]} is not whole epoch ms`, file);
    }
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ImportCancelled();
}

function progressReporter(
  onProgress: CommitOptions['onProgress'],
  started: number,
): (phase: CommitProgress['phase'], rows: number, done: number, total: number) => void {
  let last = 0;
  return (phase, rows, done, total) => {
    if (!onProgress) return;
    const now = performance.now();
    if (phase === 'reading' && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    const seconds = (now - started) / 1000;
    onProgress({
      phase,
      rows,
      rowsPerSecond: seconds > 0 ? rows / seconds : 0,
      partitionsDone: done,
      partitions: total,
    });
  };
}
