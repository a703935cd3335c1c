/**
 * The SQLite side of an import: every chunk goes into ONE transaction on the market database,
 * through the repository's writers, and nothing is visible to readers until it commits.
 *
 * The re-import rule is the parquet store's: new rows replace old. Bars are keyed (symbol,
 * interval, timestamp), so INSERT OR REPLACE applies it; the rows it replaced are counted from
 * the primary-key index (rows in the chunk's span before and after). Quotes and ticks may
 * share a timestamp, so they are appended and, at the end, every stored row of the symbol
 * whose timestamp the import also brought is deleted (those rows are the replaced count).
 *
 * When the database did not exist before, a rolled-back import removes the file it created,
 * so the data directory is left exactly as it was.
 */
import fs from 'node:fs';
import type { BaseInterval } from '../../../shared/interval';
import { STREAM_FIELDS } from '../../../shared/stream-types';
import { MarketDataRepository } from '../sqlite/market-data-repository';
import { openMarketDb, type MarketDb } from '../sqlite/market-db';
import { BARS_TABLE, QUOTES_TABLE, TICKS_TABLE } from '../sqlite/schema';
import { sqliteFailure } from '../sqlite/sqlite-errors';
import type { ImportChunk } from './import-types';

export interface SqliteStreamCounts {
  rows: number;
  replaced: number;
}

export class SqliteImportWriter {
  private store: MarketDb | null = null;
  private repo: MarketDataRepository | null = null;
  private existed = false;
  private inTransaction = false;
  private seqBefore = { quotes: 0, ticks: 0 };
  private readonly appended = new Map<string, SqliteStreamCounts>();
  private readonly counts = new Map<string, SqliteStreamCounts>();

  constructor(readonly file: string) {}

  /** Opens the database for writing and begins the transaction (taking the write lock). */
  begin(): void {
    this.existed = fs.existsSync(this.file);
    this.store = openMarketDb(this.file, { write: true });
    this.repo = new MarketDataRepository(this.store);
    this.guard(() => {
      this.store!.db.exec('BEGIN IMMEDIATE');
      this.inTransaction = true;
      this.seqBefore = { quotes: this.maxSeq(QUOTES_TABLE), ticks: this.maxSeq(TICKS_TABLE) };
    });
  }

  /** The user_version the committed transaction will leave (the staging manifest's marker). */
  nextUserVersion(): number {
    const current = this.store!.db.pragma('user_version', { simple: true }) as number;
    return current + 1;
  }

  write(chunk: ImportChunk): void {
    const repo = this.repo!;
    const named = namedColumns(chunk);
    const key = streamId(chunk.symbol, chunk.kind, chunk.interval);
    if (chunk.kind === 'bars') {
      const interval = chunk.interval as BaseInterval;
      const lo = minOf(chunk.timestamp, chunk.length);
      const hi = maxOf(chunk.timestamp, chunk.length);
      const before = this.countBars(chunk.symbol, interval, lo, hi);
      repo.insertBars(chunk.symbol, interval, named as Parameters<typeof repo.insertBars>[2]);
      const after = this.countBars(chunk.symbol, interval, lo, hi);
      add(this.counts, key, chunk.length, chunk.length - (after - before));
    } else if (chunk.kind === 'quotes') {
      repo.insertQuotes(chunk.symbol, named as Parameters<typeof repo.insertQuotes>[1]);
      add(this.appended, key, chunk.length, 0);
    } else {
      repo.insertTicks(chunk.symbol, named as Parameters<typeof repo.insertTicks>[1]);
      add(this.appended, key, chunk.length, 0);
    }
  }

  /**
   * Applies new-replaces-old to appended quotes and ticks and sets the commit marker (when
   * parquet is written too); still inside the transaction. Returns rows and replaced counts per stream id.
   */
  prepare(userVersion?: number): Map<string, SqliteStreamCounts> {
    this.guard(() => {
      for (const [key, counts] of this.appended) {
        const [symbol, kind] = key.split('|');
        const table = kind === 'quotes' ? QUOTES_TABLE : TICKS_TABLE;
        const seq = kind === 'quotes' ? this.seqBefore.quotes : this.seqBefore.ticks;
        const { changes } = this.store!.db.prepare(
          `DELETE FROM ${table} WHERE symbol = ? AND seq <= ? AND timestamp IN ` +
            `(SELECT timestamp FROM ${table} WHERE symbol = ? AND seq > ?)`,
        ).run(symbol, seq, symbol, seq);
        this.counts.set(key, { rows: counts.rows, replaced: changes });
      }
      if (userVersion !== undefined) {
        this.store!.db.pragma(`user_version = ${Math.trunc(userVersion)}`);
      }
    });
    return this.counts;
  }

  commit(): void {
    this.guard(() => {
      this.store!.db.exec('COMMIT');
      this.inTransaction = false;
    });
  }

  /** Rolls back (when a transaction is open) and closes; removes a database it created. */
  abort(): void {
    try {
      if (this.inTransaction && this.store?.db.inTransaction) this.store.db.exec('ROLLBACK');
    } finally {
      this.inTransaction = false;
      this.close();
      if (!this.existed) {
        for (const suffix of ['', '-wal', '-shm', '-journal']) {
          fs.rmSync(`${this.file}${suffix}`, { force: true });
        }
      }
    }
  }

  close(): void {
    this.store?.close();
    this.store = null;
    this.repo = null;
  }

  private countBars(symbol: string, interval: string, lo: number, hi: number): number {
    const row = this.store!.db.prepare(
      `SELECT COUNT(*) AS n FROM ${BARS_TABLE} WHERE symbol = ? AND interval = ? AND timestamp BETWEEN ? AND ?`,
    ).get(symbol, interval, lo, hi) as { n: number };
    return row.n;
  }

  private maxSeq(table: string): number {
    const row = this.store!.db.prepare(`SELECT MAX(seq) AS s FROM ${table}`).get() as {
      s: number | null;
    };
    return row.s ?? 0;
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw sqliteFailure(error, { file: this.file, action: 'write' });
    }
  }
}

/**
 * A database's user_version; null when there is no file. Opened for writing on purpose: after
 * a crash the committed version may sit in the -wal file, and a writer's close folds it into
 * the database and removes the -wal and -shm files, which a read-only connection would leave.
 */
export function sqliteUserVersion(file: string): number | null {
  if (!fs.existsSync(file)) return null;
  const store = openMarketDb(file, { write: true });
  try {
    return store.db.pragma('user_version', { simple: true }) as number;
  } finally {
    store.close();
  }
}

/**
 * After a killed import the database keeps its -wal and -shm files (SQLite ignores the
 * uncommitted frames in them). Opening it for writing and closing it again folds in anything
 * committed and removes both, so the directory is as it was. A no-op without a -wal file.
 */
export function settleSqlite(file: string): void {
  if (fs.existsSync(`${file}-wal`) && fs.existsSync(file)) sqliteUserVersion(file);
}

export function streamId(symbol: string, kind: string, interval?: string): string {
  return `${symbol}|${kind}|${interval ?? ''}`;
}

function namedColumns(chunk: ImportChunk): Record<string, ArrayLike<number>> {
  const out: Record<string, ArrayLike<number>> = {
    timestamp: chunk.timestamp.subarray(0, chunk.length),
  };
  STREAM_FIELDS[chunk.kind].forEach((field, i) => {
    out[field] = chunk.values[i].subarray(0, chunk.length);
  });
  return out;
}

function add(
  map: Map<string, SqliteStreamCounts>,
  key: string,
  rows: number,
  replaced: number,
): void {
  const c = map.get(key) ?? { rows: 0, replaced: 0 };
  c.rows += rows;
  c.replaced += replaced;
  map.set(key, c);
}

function minOf(a: Float64Array, n: number): number {
  let m = Infinity;
  for (let i = 0; i < n; i++) if (a[i] < m) m = a[i];
  return m;
}

function maxOf(a: Float64Array, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (a[i] > m) m = a[i];
  return m;
}
