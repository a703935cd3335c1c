/**
 * Where parquet files live under a data directory, and which of them make up a stream:
 *
 *   <data>/parquet/bars/<1s|1m>/<SYMBOL>_<interval>_<YYYY-MM-DD>.parquet
 *   <data>/parquet/quotes/<SYMBOL>_quotes_<YYYY-MM-DD>.parquet
 *   <data>/parquet/ticks/<SYMBOL>_ticks_<YYYY-MM-DD>.parquet
 *
 * The date is the exchange-local (America/New_York) trading date, so one file is one session and
 * a date range selects files by name alone. Symbols never contain '_', which keeps the name
 * unambiguous (BRK_1m_… and BRK.B_1m_… cannot collide).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isBaseInterval } from '../../../shared/interval';
import { DataError, type DateRange, type StreamKey } from '../../../shared/stream-cursor';
import { isValidSymbol } from '../../../shared/symbol';

export interface StreamFile {
  path: string;
  /** Exchange-local trading date from the file name. */
  date: string;
  /**
   * Set when something other than a file has the day's name (a folder, a socket): the day's
   * data is lost, which a session must hear of rather than skip quietly.
   */
  notAFile?: true;
}

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A stream key from a spec that may carry an interval for any type (only bars keep it). */
export function streamKey(spec: {
  symbol: string;
  type: StreamKey['type'];
  interval?: StreamKey['interval'];
}): StreamKey {
  return spec.type === 'bars'
    ? { symbol: spec.symbol, type: 'bars', interval: spec.interval }
    : { symbol: spec.symbol, type: spec.type };
}

/** `<data>/parquet`: the root of the parquet store. */
export function parquetRoot(dataDir: string): string {
  return join(dataDir, 'parquet');
}

/** The directory holding every file of a stream's kind. */
export function streamDir(dataDir: string, key: StreamKey): string {
  checkKey(key);
  const root = parquetRoot(dataDir);
  return key.type === 'bars' ? join(root, 'bars', key.interval!) : join(root, key.type);
}

/** `AAPL_1m_2024-01-02.parquet`, `AAPL_quotes_2024-01-02.parquet`. */
export function streamFileName(key: StreamKey, date: string): string {
  checkKey(key);
  checkDate(date, 'date');
  return `${key.symbol}_${nameTag(key)}_${date}.parquet`;
}

export function streamFilePath(dataDir: string, key: StreamKey, date: string): string {
  return join(streamDir(dataDir, key), streamFileName(key, date));
}

/** The pattern a stream's files follow, for messages: `<dir>/AAPL_1m_YYYY-MM-DD.parquet`. */
export function streamFilePattern(dataDir: string, key: StreamKey): string {
  return join(streamDir(dataDir, key), `${key.symbol}_${nameTag(key)}_YYYY-MM-DD.parquet`);
}

/**
 * The stream's files whose date lies in `range` (inclusive), oldest first. A missing directory
 * is no files, not an error: the caller decides whether an empty stream is acceptable.
 */
export async function listStreamFiles(
  dataDir: string,
  key: StreamKey,
  range: DateRange = {},
): Promise<StreamFile[]> {
  const dir = streamDir(dataDir, key);
  checkRange(range);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const prefix = `${key.symbol}_${nameTag(key)}_`;
  const files: StreamFile[] = [];
  for (const entry of entries) {
    const { name } = entry;
    if (!name.startsWith(prefix) || !name.endsWith('.parquet')) continue;
    const date = name.slice(prefix.length, -'.parquet'.length);
    if (!DATE_PATTERN.test(date)) continue;
    if (range.start_date && date < range.start_date) continue;
    if (range.end_date && date > range.end_date) continue;
    const file = entry.isFile() || entry.isSymbolicLink();
    files.push({ path: join(dir, name), date, ...(file ? {} : { notAFile: true as const }) });
  }
  return files.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** The error for a day whose name is taken by something other than a file. */
export function notAFileError(file: StreamFile): DataError {
  return new DataError(
    `${file.path} is not a file (a folder has its name): the data of ${file.date} is missing; ` +
      'restore the file, or run with --skip-invalid to go on without that day',
    file.path,
  );
}

/** `2024-01-02 to 2024-01-05`, with open ends spelled out. */
export function describeRange(range: DateRange): string {
  if (!range.start_date && !range.end_date) return 'any date';
  return `${range.start_date ?? 'the earliest date'} to ${range.end_date ?? 'the latest date'}`;
}

/** The error for a stream with no files: which pattern, where, and for which dates. */
export function noFilesError(dataDir: string, key: StreamKey, range: DateRange): DataError {
  const what = key.type === 'bars' ? `${key.interval} bars` : key.type;
  return new DataError(
    `No ${what} data for ${key.symbol} from ${describeRange(range)}: no file matches ${streamFilePattern(dataDir, key)}.`,
  );
}

function nameTag(key: StreamKey): string {
  return key.type === 'bars' ? key.interval! : key.type;
}

function checkKey(key: StreamKey): void {
  if (!isValidSymbol(key.symbol)) {
    throw new DataError(
      `Invalid symbol "${key.symbol}": use upper-case letters, digits, '.' and '-' (at most 32).`,
    );
  }
  if (key.type === 'bars' && !isBaseInterval(key.interval)) {
    throw new DataError(
      `Bar files exist only for the 1s and 1m intervals, not "${String(key.interval)}".`,
    );
  }
}

function checkRange(range: DateRange): void {
  if (range.start_date !== undefined) checkDate(range.start_date, 'start_date');
  if (range.end_date !== undefined) checkDate(range.end_date, 'end_date');
  if (range.start_date && range.end_date && range.start_date > range.end_date) {
    throw new DataError(
      `start_date ${range.start_date} is after end_date ${range.end_date}; the range is empty.`,
    );
  }
}

function checkDate(date: string, what: string): void {
  const valid =
    DATE_PATTERN.test(date) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
  if (!valid) throw new DataError(`${what} "${date}" is not a calendar date (YYYY-MM-DD).`);
}
