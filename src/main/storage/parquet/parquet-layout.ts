/**
 * Where parquet files live under a data directory: the one place the store's paths are built
 * and parsed. Hive-style partitions, so lake engines (DuckDB, Spark, Trino) read each stream
 * type as one table with `interval`, `symbol` and `date` columns and prune files on them:
 *
 *   <data>/parquet/bars/interval=<1s|1m>/symbol=<SYMBOL>/date=<YYYY-MM-DD>/part-0.parquet
 *   <data>/parquet/quotes/symbol=<SYMBOL>/date=<YYYY-MM-DD>/part-0.parquet
 *   <data>/parquet/ticks/symbol=<SYMBOL>/date=<YYYY-MM-DD>/part-0.parquet
 *
 * Each type is its own dataset because each has its own columns. The date is the trading date
 * of the symbol's calendar (footer key `tapedeck.calendar`), so one file is one session and a
 * date range selects partitions by name alone. Partition values are written verbatim: the
 * symbol alphabet (A-Z, 0-9, '.', '-') holds no character Hive percent-escapes, so no engine
 * reads a value other than the one written. Names starting with '.' (staging, the migration
 * journal) are hidden from lake engines by convention, and sit outside the datasets anyway.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isBaseInterval, type BaseInterval } from '../../../shared/interval';
import { DataError, type DateRange, type StreamKey } from '../../../shared/stream-cursor';
import { STREAM_TYPES, type StreamType } from '../../../shared/stream-types';
import { isValidSymbol } from '../../../shared/symbol';

export interface StreamFile {
  path: string;
  /** Trading date from the partition's name. */
  date: string;
  /**
   * Set when the day's partition holds no file to read: something other than a file has the
   * file's name (a folder, a socket), or the partition folder is there without its file
   * (`missing`). The day's data is lost, which a session must hear of rather than skip quietly.
   */
  notAFile?: true;
  missing?: true;
}

/** A partition file found in the store, from its path alone. */
export interface Located {
  path: string;
  symbol: string;
  kind: StreamType;
  interval?: BaseInterval;
  date: string;
}

/** The one data file of a partition. */
export const PART_FILE = 'part-0.parquet';

const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DATE_PREFIX = 'date=';

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

/** `<data>/parquet/<type>`: one dataset (one schema) for lake engines. */
export function datasetDir(dataDir: string, type: StreamType): string {
  return join(parquetRoot(dataDir), type);
}

/** The directory holding a stream's date partitions: `.../bars/interval=1m/symbol=AAPL`. */
export function streamDir(dataDir: string, key: StreamKey): string {
  checkKey(key);
  const dataset = datasetDir(dataDir, key.type);
  const symbol = `symbol=${key.symbol}`;
  return key.type === 'bars'
    ? join(dataset, `interval=${key.interval!}`, symbol)
    : join(dataset, symbol);
}

/** The file holding one trading date of a stream. */
export function streamFilePath(dataDir: string, key: StreamKey, date: string): string {
  checkDate(date, 'date');
  return join(streamDir(dataDir, key), `${DATE_PREFIX}${date}`, PART_FILE);
}

/** The pattern a stream's files follow, for messages: `<dir>/date=YYYY-MM-DD/part-0.parquet`. */
export function streamFilePattern(dataDir: string, key: StreamKey): string {
  return join(streamDir(dataDir, key), `${DATE_PREFIX}YYYY-MM-DD`, PART_FILE);
}

/**
 * The stream's files whose date lies in `range` (inclusive), oldest first. A missing directory
 * is no files, not an error: the caller decides whether an empty stream is acceptable. A date
 * folder without its part file is a lost day (`notAFile`, `missing`), since only a day with
 * data gets a folder and every writer removes the folders it leaves empty.
 */
export async function listStreamFiles(
  dataDir: string,
  key: StreamKey,
  range: DateRange = {},
): Promise<StreamFile[]> {
  const dir = streamDir(dataDir, key);
  checkRange(range);
  const dates: string[] = [];
  for (const name of await namesIn(dir)) {
    if (!name.startsWith(DATE_PREFIX)) continue;
    const date = name.slice(DATE_PREFIX.length);
    if (!DATE_PATTERN.test(date)) continue;
    if (range.start_date && date < range.start_date) continue;
    if (range.end_date && date > range.end_date) continue;
    dates.push(date);
  }
  const found = await Promise.all(
    dates.map(async (date): Promise<StreamFile> => {
      const path = join(dir, `${DATE_PREFIX}${date}`, PART_FILE);
      try {
        const info = await stat(path);
        return { path, date, ...(info.isFile() ? {} : { notAFile: true as const }) };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
        return { path, date, notAFile: true as const, missing: true as const };
      }
    }),
  );
  return found.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Every partition of the store, from folder names alone: neither a file nor a date folder is
 * opened, so listing costs one directory read per symbol, not one per day. A date folder whose
 * file is gone is listed all the same; whoever opens it reports the loss. Names that do not
 * follow the layout (another tool's files, a stray folder) are passed over.
 */
export async function listStoreFiles(dataDir: string): Promise<Located[]> {
  const out: Located[] = [];
  for (const kind of STREAM_TYPES) {
    const dataset = datasetDir(dataDir, kind);
    const intervals = kind === 'bars' ? await subfolders(dataset, 'interval=') : [''];
    const symbolDirs = (
      await Promise.all(
        intervals.map(async (interval) =>
          (await subfolders(join(dataset, interval), 'symbol=')).map((s) => join(interval, s)),
        ),
      )
    ).flat();
    const listed = await Promise.all(
      symbolDirs.map(async (symbolDir) =>
        (await subfolders(join(dataset, symbolDir), DATE_PREFIX)).flatMap((date) => {
          const relative = join(symbolDir, date, PART_FILE);
          const located = parsePartitionPath(kind, relative);
          return located ? [{ path: join(dataset, relative), ...located }] : [];
        }),
      ),
    );
    out.push(...listed.flat());
  }
  return out;
}

/**
 * A partition file's key from its path inside the type's dataset
 * (`interval=1m/symbol=AAPL/date=2024-03-04/part-0.parquet`), or null when it is not one.
 */
export function parsePartitionPath(
  kind: StreamType,
  relative: string,
): Omit<Located, 'path'> | null {
  const parts = relative.split(/[\\/]/);
  const expected = kind === 'bars' ? 4 : 3;
  if (parts.length !== expected || parts[expected - 1] !== PART_FILE) return null;
  let interval: BaseInterval | undefined;
  if (kind === 'bars') {
    const value = valueOf(parts.shift()!, 'interval');
    if (!isBaseInterval(value)) return null;
    interval = value;
  }
  const symbol = valueOf(parts[0], 'symbol');
  const date = valueOf(parts[1], 'date');
  if (symbol === null || !isValidSymbol(symbol) || date === null || !DATE_PATTERN.test(date)) {
    return null;
  }
  return { symbol, kind, ...(interval ? { interval } : {}), date };
}

/** The error for a day whose partition holds no file to read. */
export function notAFileError(file: StreamFile): DataError {
  const what = file.missing
    ? 'is missing from its partition folder'
    : 'is not a file (a folder has its name)';
  return new DataError(
    `${file.path} ${what}: the data of ${file.date} is missing; ` +
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

function valueOf(segment: string, name: string): string | null {
  return segment.startsWith(`${name}=`) ? segment.slice(name.length + 1) : null;
}

/** The names in `dir` starting with `prefix`; none when `dir` is missing or not a folder. */
async function subfolders(dir: string, prefix: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.startsWith(prefix));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
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

/** Whether `date` is a real calendar date spelled YYYY-MM-DD. */
function isCalendarDate(date: string): boolean {
  if (!DATE_PATTERN.test(date)) return false;
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === date;
}

function checkDate(date: string, what: string): void {
  if (!isCalendarDate(date)) {
    throw new DataError(`${what} "${date}" is not a calendar date (YYYY-MM-DD).`);
  }
}
