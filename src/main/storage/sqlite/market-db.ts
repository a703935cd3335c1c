/**
 * Opening the market database. Two modes, because the failure rules differ:
 *
 * - read (backtests, fills): the file must exist — a typo in a path must not leave an empty
 *   database behind — and is opened read-only, so a reader can never change it whatever goes
 *   wrong. Works on read-only files and directories.
 * - write (tests, the importer): creates the file if needed, turns on WAL (readers keep reading
 *   while an import commits) and runs the migrations.
 *
 * Every failure is a DataError naming the file (see sqlite-errors).
 */
import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataError } from '../../../shared/stream-cursor';
import { electronNativeBinding, isAbiMismatch } from './native-binding';
import { migrate, type MigrationResult } from './schema';
import { isSqliteError, sqliteFailure } from './sqlite-errors';

/** `<data>/market.db` unless the config names another file. */
export const DEFAULT_DB_FILE = 'market.db';

/** How long a statement waits for another connection's lock before reporting it. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * The largest WAL database read through an in-memory copy when its directory is read-only
 * (see openForReading); beyond it the user is asked to fix the directory instead.
 */
export const MAX_IN_MEMORY_COPY_BYTES = 1 << 30;

export function defaultDbPath(dataDir: string): string {
  return join(dataDir, DEFAULT_DB_FILE);
}

export interface OpenMarketDbOptions {
  /** Open for writing: create if missing, WAL, migrate. Default: read-only. */
  write?: boolean;
  busyTimeoutMs?: number;
}

export interface MarketDb {
  readonly file: string;
  readonly db: Database.Database;
  readonly writable: boolean;
  readonly busyTimeoutMs: number;
  /** Set when the database was opened for writing: what the migrations did. */
  readonly migration?: MigrationResult;
  /** Read from an in-memory copy (a WAL database in a read-only directory). */
  readonly inMemoryCopy: boolean;
  close(): void;
}

export function openMarketDb(path: string, options: OpenMarketDbOptions = {}): MarketDb {
  const file = resolve(path);
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  return options.write ? openForWriting(file, busyTimeoutMs) : openForReading(file, busyTimeoutMs);
}

function openForReading(file: string, busyTimeoutMs: number): MarketDb {
  if (!existsSync(file)) {
    throw new DataError(
      `No SQLite database at ${file}: the file does not exist (nothing was created). ` +
        'Check data_source.path, or import data first.',
      file,
    );
  }
  if (statSync(file).isDirectory()) {
    throw new DataError(`${file} is a directory, not a SQLite database file.`, file);
  }
  let db: Database.Database | undefined;
  readerOpened(file);
  try {
    db = construct(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
    probe(db);
    const store = wrap(file, db, { writable: false, busyTimeoutMs, inMemoryCopy: false });
    let closed = false;
    return {
      ...store,
      close() {
        store.close();
        if (!closed) readerClosed(file);
        closed = true;
      },
    };
  } catch (error) {
    db?.close();
    readerClosed(file);
    if (needsInMemoryCopy(error, file)) return openInMemoryCopy(file, busyTimeoutMs);
    throw sqliteFailure(error, { file, action: 'open', busyTimeoutMs });
  }
}

function openForWriting(file: string, busyTimeoutMs: number): MarketDb {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DataError(`${file}: cannot create its directory (${code}).`, file);
  }
  let db: Database.Database | undefined;
  const hadWal = walFilesPresent(file);
  try {
    db = construct(file, { timeout: busyTimeoutMs });
    // SQLite quietly opens a file it may not write read-only; say so before trying to write.
    if (db.readonly) {
      db.close();
      db = undefined;
      if (!hadWal) tidyWalFiles(file);
      throw new DataError(
        `${file}: cannot write: the database file is read-only (or immutable); nothing was changed.`,
        file,
      );
    }
    // Migrate first: a database refused for adoption must be left exactly as it was, and
    // switching to WAL rewrites the file header.
    const migration = migrate(db, file);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new DataError(`${file}: cannot switch to WAL mode (SQLite kept "${mode}").`, file);
    }
    return wrap(file, db, { writable: true, busyTimeoutMs, inMemoryCopy: false, migration });
  } catch (error) {
    db?.close();
    throw sqliteFailure(error, { file, action: 'write', busyTimeoutMs });
  }
}

/**
 * Checks a database before an import writes to it: `integrity_check` on files up to 64 MB,
 * `quick_check` (no index cross-checks, linear time) on larger ones. A damaged file is refused
 * with SQLite's own words, opened read-only, so it is left exactly as it was.
 */
export function checkMarketDbIntact(path: string): void {
  const file = resolve(path);
  if (!existsSync(file)) return;
  const check = statSync(file).size <= 64 * 2 ** 20 ? 'integrity_check' : 'quick_check';
  const store = openMarketDb(file);
  try {
    const rows = store.db.pragma(`${check}(20)`) as Array<Record<string, unknown>>;
    const words = rows.map((row) => String(Object.values(row)[0])).filter((w) => w !== 'ok');
    if (words.length > 0) {
      throw new DataError(
        `${file}: the database is damaged; nothing was imported. SQLite's ${check} says: ` +
          `${words.slice(0, 5).join('; ')}${words.length > 5 ? '; …' : ''}. ` +
          'Restore the file from a copy or rebuild it.',
        file,
      );
    }
  } catch (error) {
    throw sqliteFailure(error, { file, action: 'read' });
  } finally {
    store.close();
  }
}

function walFilesPresent(file: string): boolean {
  return existsSync(`${file}-wal`) || existsSync(`${file}-shm`);
}

/** This process's read-only connections per file, and whether -wal/-shm were there first. */
const readers = new Map<string, { open: number; hadWal: boolean }>();

function readerOpened(file: string): void {
  const entry = readers.get(file) ?? { open: 0, hadWal: walFilesPresent(file) };
  entry.open += 1;
  readers.set(file, entry);
}

function readerClosed(file: string): void {
  const entry = readers.get(file);
  if (!entry) return;
  entry.open -= 1;
  if (entry.open > 0) return;
  readers.delete(file);
  if (!entry.hadWal) tidyWalFiles(file);
}

/**
 * A read-only connection to a WAL database creates its -wal and -shm files and cannot remove
 * them (only a connection that may write checkpoints and deletes them on close). When they
 * were not there before we opened it, a writable connection reads the schema and closes again,
 * writing nothing: SQLite then removes both, but only if it is the last connection (it takes the
 * exclusive lock to do so), so a reader or writer elsewhere is never disturbed. Where the file
 * or directory may not be written, they stay (SQLite needs them to read at all).
 */
function tidyWalFiles(file: string): void {
  if (!walFilesPresent(file)) return;
  try {
    const db = construct(file, { fileMustExist: true, timeout: 0 });
    // Reading the schema joins the WAL; only a connection that did can clean it up on close.
    probe(db);
    db.close();
  } catch {
    // best effort: another connection holds the database, or it may not be written
  }
}

function construct(file: string | Buffer, options: Database.Options): Database.Database {
  const nativeBinding = electronNativeBinding();
  try {
    return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
  } catch (error) {
    if (!isAbiMismatch(error)) throw error;
    const runtime = process.versions.electron
      ? `Electron ${process.versions.electron}`
      : `Node ${process.versions.node}`;
    throw new DataError(
      `better-sqlite3's native addon was built for another runtime than ${runtime} ` +
        `(${(error as Error).message.split('\n')[0]}). Run "node scripts/rebuild-native.mjs".`,
    );
  }
}

/** Opening is lazy in SQLite; reading the schema forces the header and locks to be checked. */
function probe(db: Database.Database): void {
  db.pragma('schema_version', { simple: true });
}

function wrap(
  file: string,
  db: Database.Database,
  fields: Omit<MarketDb, 'file' | 'db' | 'close'>,
): MarketDb {
  return {
    file,
    db,
    ...fields,
    close() {
      if (db.open) db.close();
    },
  };
}

/**
 * A WAL database can be read only where SQLite may create its -shm file next to it. In a
 * read-only directory without one it refuses even a read-only open (SQLite's own limit: only
 * an `immutable` URI avoids it, and better-sqlite3 does not take URIs). The file is then read
 * into memory with its header marked as a rollback-journal database, which SQLite can open
 * from a buffer; the file itself is untouched.
 */
function needsInMemoryCopy(error: unknown, file: string): boolean {
  if (!isSqliteError(error)) return false;
  if (!/^SQLITE_(READONLY_DIRECTORY|CANTOPEN|READONLY_CANTINIT)/.test(error.code)) return false;
  try {
    accessSync(dirname(file), constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

function openInMemoryCopy(file: string, busyTimeoutMs: number): MarketDb {
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new DataError(
      `${file}: cannot read: its directory is read-only and ${wal} holds changes not yet ` +
        'written into the database. Open it once where the directory is writable.',
      file,
    );
  }
  const size = statSync(file).size;
  if (size > MAX_IN_MEMORY_COPY_BYTES) {
    throw new DataError(
      `${file}: cannot read: it is a WAL database in a read-only directory, where SQLite ` +
        'cannot create its -shm file, and too large to read through memory. Make the ' +
        'directory writable, or copy the database somewhere writable.',
      file,
    );
  }
  const bytes = readFileSync(file);
  // Header bytes 18-19 are the read/write format versions: 2 = WAL, 1 = rollback journal.
  if (bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  let db: Database.Database | undefined;
  try {
    db = construct(bytes, { readonly: true, timeout: busyTimeoutMs });
    probe(db);
    return wrap(file, db, { writable: false, busyTimeoutMs, inMemoryCopy: true });
  } catch (error) {
    db?.close();
    throw sqliteFailure(error, { file, action: 'read', busyTimeoutMs });
  }
}
