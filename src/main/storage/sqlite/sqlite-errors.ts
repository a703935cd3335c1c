/**
 * SQLite failures as DataErrors a user can act on. better-sqlite3 reports a bare code and a
 * terse message ("database is locked") with no file name; every store error here names the
 * database file and says what to do, while keeping SQLite's own words so they can be searched.
 */
import { DataError } from '../../../shared/stream-cursor';

export type SqliteAction = 'open' | 'read' | 'write';

/** What better-sqlite3 throws: an Error with a SQLITE_* code. */
export function isSqliteError(error: unknown): error is Error & { code: string } {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

export interface SqliteErrorContext {
  /** The database file. */
  file: string;
  action: SqliteAction;
  /** The busy timeout in force, for "locked" messages. */
  busyTimeoutMs?: number;
  /** The table involved, when one is. */
  table?: string;
}

/**
 * Wraps `error` (a SqliteError, or anything else) as a DataError naming the file. DataErrors
 * pass through unchanged, so callers can wrap whole blocks without double-wrapping.
 */
export function sqliteFailure(error: unknown, context: SqliteErrorContext): DataError {
  if (error instanceof DataError) return error;
  const { file, action } = context;
  const where = context.table ? `${file} (table ${context.table})` : file;
  if (!isSqliteError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new DataError(`${where}: cannot ${action}: ${message}`, file);
  }
  const { code } = error;
  const said = `"${error.message}", ${code}`;
  let message: string;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    const waited =
      context.busyTimeoutMs !== undefined ? ` after waiting ${context.busyTimeoutMs} ms` : '';
    message =
      `${where}: database is locked by another connection; gave up${waited} (${said}). ` +
      'Close the program holding it, or try again.';
  } else if (code === 'SQLITE_NOTADB') {
    message = `${file} is not a database: SQLite does not recognise its contents (${said}).`;
  } else if (code.startsWith('SQLITE_CORRUPT')) {
    message =
      `${where}: the database is malformed (${said}). ` +
      'Nothing was changed; restore the file from a copy or rebuild it.';
  } else if (code === 'SQLITE_READONLY_DIRECTORY') {
    message =
      `${where}: cannot ${action}: the directory holding the database is read-only, and ` +
      `SQLite needs to create its -wal and -shm files there (${said}).`;
  } else if (code.startsWith('SQLITE_READONLY')) {
    message = `${where}: cannot ${action}: the database is read-only (${said}).`;
  } else if (code.startsWith('SQLITE_CANTOPEN')) {
    message = `${where}: cannot open the database file (${said}).`;
  } else if (code === 'SQLITE_FULL') {
    message = `${where}: cannot ${action}: the disk is full (${said}).`;
  } else if (code.startsWith('SQLITE_IOERR')) {
    message = `${where}: I/O error while trying to ${action} (${said}).`;
  } else {
    message = `${where}: cannot ${action} (${said}).`;
  }
  return new DataError(message, file);
}

/** Runs `fn`, turning any failure into a DataError naming the file. */
export function guardSqlite<T>(context: SqliteErrorContext, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw sqliteFailure(error, context);
  }
}
