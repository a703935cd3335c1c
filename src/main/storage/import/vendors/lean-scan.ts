/**
 * One pass over a LEAN zip: decode, convert, check and (when reading) hand out chunks. Preview
 * and read share it, so what the preview counts is exactly what the read does. Rows stream in
 * bounded chunks; only `sort` buffers a whole file (one trading day), since rows out of order
 * cannot be put right before the last has been seen. After the first error no more chunks are
 * handed out, but the scan goes on to the end so that the refusal lists every problem.
 */
import type { CalendarChoice } from '../../../../shared/import-contract';
import type { CalendarName } from '../../../../shared/market/exchange-calendar';
import { calendarFor } from '../../../../shared/market/calendars';
import { STREAM_FIELDS } from '../../../../shared/stream-types';
import type { ImportChunk, ImportOptions, ImportProgress } from '../import-types';
import { ProblemLog } from '../import-problems';
import { TradingDates, wallClockToUtc, wallTimeOf } from '../../../../shared/market/zoned-time';
import { chooseCalendar, regularHoursOf } from '../calendar-choice';
import { checkValues } from './lean-checks';
import type { DecodedRow } from './lean-decoders';
import { leanFormat, type LeanFormat } from './lean-format';
import type { LeanFileName } from './lean-path';
import type { VendorContext } from './vendor-importer';
import { zipLines } from './zip-lines';

export const CHUNK_ROWS = 65_536;
const DAY_MS = 86_400_000;

/** What a scan found; complete once the scan's generator is done. */
export interface ScanResult {
  format: LeanFormat | null;
  log: ProblemLog;
  /** Rows that go into the stores. */
  rows: number;
  first: number;
  last: number;
  tradingDays: string[];
  /** Set when the scan stopped at its row limit (a preview's sample). */
  sampled: boolean;
  /** The calendar the rows are dated by, when the caller asked for one (see calendar-choice). */
  calendar?: CalendarChoice;
}

export function emptyScan(file: string): ScanResult {
  return {
    format: null,
    log: new ProblemLog(file),
    rows: 0,
    first: Infinity,
    last: -Infinity,
    tradingDays: [],
    sampled: false,
  };
}

/** Growable (sort) or fixed (one chunk) columns of accepted rows. */
class Columns {
  length = 0;
  timestamp: Float64Array;
  values: Float64Array[];

  constructor(
    private capacity: number,
    private readonly width: number,
    private readonly growable: boolean,
  ) {
    this.timestamp = new Float64Array(capacity);
    this.values = Array.from({ length: width }, () => new Float64Array(capacity));
  }

  get full(): boolean {
    return !this.growable && this.length === this.capacity;
  }

  push(t: number, v: ArrayLike<number>): void {
    if (this.length === this.capacity) this.grow();
    this.timestamp[this.length] = t;
    for (let k = 0; k < this.width; k++) this.values[k]![this.length] = v[k]!;
    this.length++;
  }

  private grow(): void {
    this.capacity *= 2;
    const grow = (col: Float64Array): Float64Array => {
      const grown = new Float64Array(this.capacity);
      grown.set(col);
      return grown;
    };
    this.timestamp = grow(this.timestamp);
    this.values = this.values.map(grow);
  }
}

/**
 * Scans `file`, or its first `maxRows` data rows; yields chunks only when `collect` is set and
 * no error refuses the file.
 */
export async function* scanLean(
  file: string,
  name: LeanFileName,
  options: ImportOptions,
  collect: boolean,
  result: ScanResult,
  context: VendorContext,
  onProgress?: (p: ImportProgress) => void,
  maxRows = Infinity,
): AsyncGenerator<ImportChunk> {
  const { log } = result;
  const { counts } = log;
  const sort = options.sort === true;
  const duplicateSeverity = options.duplicates === 'refuse' ? 'error' : 'warning';
  let format: LeanFormat | null = null;
  let toUtc = (ms: number): number => ms;
  let isOutside: ((t: number, msOfDay: number) => boolean) | null = null;
  let width = 0;
  let buffer: Columns | null = null;
  let dates: TradingDates | null = null;
  const days = new Set<string>();
  const row: DecodedRow = { time: 0, values: new Float64Array(0) };
  let lastT = -Infinity;
  let line = 0;
  let previousLine = 0;
  const started = performance.now();
  const keeping = (): boolean => collect && !log.hasErrors;

  const chunkOf = (columns: Columns, from = 0, to = columns.length): ImportChunk => ({
    symbol: format!.symbol,
    kind: format!.decoder.kind,
    ...(format!.decoder.kind === 'bars' ? { interval: format!.interval! } : {}),
    length: to - from,
    // A full chunk hands its arrays over; a partial one is trimmed to its length.
    timestamp: exact(columns.timestamp, from, to),
    values: columns.values.map((c) => exact(c, from, to)),
    ...(result.calendar ? { calendar: result.calendar.name } : {}),
  });

  lines: for await (const block of zipLines(file)) {
    for (const text of block.lines) {
      if (counts.rows >= maxRows) {
        result.sampled = true;
        break lines;
      }
      line++;
      if (text === '') continue;
      if (!format) {
        format = leanFormat(name, options, text);
        result.format = format;
        const wallToUtc = wallClockToUtc(format.tz);
        const midnight = wallTimeOf(format.date, 0);
        toUtc = (ms) => wallToUtc(midnight + ms);
        width = STREAM_FIELDS[format.decoder.kind].length;
        row.values = new Float64Array(width);
        buffer = new Columns(CHUNK_ROWS, width, sort);
        if (options.calendar !== undefined || context.calendars !== undefined) {
          result.calendar = chooseCalendar({
            given: options.calendar,
            vendor: leanCalendar(format),
          });
        }
        const calendar = result.calendar?.name;
        dates = new TradingDates(calendar ? calendarFor(calendar) : format.tz);
        isOutside = outsideHours(format, context, calendar);
      }
      counts.rows++;
      const outcome = format.decoder.decode(text.split(','), row);
      // A deferred decoder's row ended on the line before this one.
      const at = format.decoder.deferred ? previousLine : line;
      previousLine = line;
      if (outcome === 'none') continue;
      if (outcome === 'suspicious') {
        const problem = { row: line, field: 'suspicious', value: '1', message: SUSPICIOUS };
        log.add('note', 'warning', problem, 'suspicious', 'rows flagged suspicious (dropped)');
        continue;
      }
      if (outcome !== 'row') {
        invalid(line, outcome);
        continue;
      }
      if (take(at)) {
        yield chunkOf(buffer!);
        buffer = new Columns(CHUNK_ROWS, width, false);
      }
    }
    onProgress?.(progress(file, counts.rows, block.bytesRead, block.totalBytes, started));
  }

  if (format?.decoder.flush?.(row) && take(previousLine)) {
    yield chunkOf(buffer!);
    buffer = new Columns(CHUNK_ROWS, width, false);
  }
  if (sort && buffer && buffer.length > 0) {
    const sorted = sortAndDedupe(buffer);
    if (keeping()) {
      for (let from = 0; from < sorted.length; from += CHUNK_ROWS) {
        yield chunkOf(sorted, from, Math.min(sorted.length, from + CHUNK_ROWS));
      }
    }
  } else if (keeping() && buffer && buffer.length > 0) {
    yield chunkOf(buffer);
  }
  result.tradingDays = [...days].sort();
  if (!format) log.fatal('The file holds no data rows.');
  if (counts.outsideTradingHours > 0) {
    const hours = context.isRegularHours
      ? 'regular hours'
      : 'regular hours (09:30-16:00 New York; no calendar given, so holidays and early closes are not known)';
    log.warn(
      `${counts.outsideTradingHours.toLocaleString('en-US')} rows fall outside ${hours}: ` +
        `LEAN includes extended hours; they are kept.`,
    );
  }

  /** Checks the decoded row (from source line `at`) and keeps it; true when a chunk is full. */
  function take(at: number): boolean {
    const f = format!;
    const v = row.values;
    const problem = checkValues(f.decoder.kind, v);
    if (problem) {
      const k = STREAM_FIELDS[f.decoder.kind].indexOf(problem.field);
      return invalid(at, { field: problem.field, value: String(v[k]), message: problem.message });
    }
    if (f.intervalMs > 0 && row.time % f.intervalMs !== 0) {
      return invalid(at, {
        field: 'time',
        value: String(row.time),
        message: `is not on a ${f.interval} boundary, as every LEAN ${name.resolution} bar is`,
      });
    }
    const t = toUtc(row.time) + f.decoder.shiftMs;
    if (t < lastT) {
      const message = sort
        ? 'goes back before an earlier row; sorted'
        : 'goes back before an earlier row (import with sort to put rows in order)';
      const problem = { row: at, field: 'time', value: String(row.time), message };
      log.add('outOfOrder', sort ? 'warning' : 'error', problem, 'order', 'rows out of order');
      if (!sort) return false;
    } else if (t === lastT && f.decoder.kind === 'bars' && !sort) {
      duplicate(at, row.time);
      return false;
    }
    if (t > lastT) lastT = t;
    if (f.decoder.kind === 'quotes' && v[0]! > v[1]!) {
      const message = `is above ask ${v[1]} (crossed quote; kept)`;
      const problem = { row: at, field: 'bid', value: String(v[0]), message };
      log.add('crossedQuotes', 'warning', problem, 'crossed', 'crossed quotes');
    }
    if (isOutside?.(t, row.time + f.decoder.shiftMs)) counts.outsideTradingHours++;
    result.rows++;
    if (t < result.first) result.first = t;
    if (t > result.last) result.last = t;
    days.add(dates!.dayOf(t).date);
    // Sorting needs the whole file even for a preview: duplicates show only once sorted.
    if (sort || keeping()) buffer!.push(t, v);
    return buffer!.full;
  }

  function invalid(at: number, problem: { field: string; value: string; message: string }): false {
    log.add(
      'invalid',
      'error',
      { row: at, ...problem },
      `invalid:${problem.field}`,
      `rows with a bad ${problem.field}`,
    );
    return false;
  }

  function duplicate(at: number | undefined, time: number): void {
    const message =
      duplicateSeverity === 'error'
        ? 'repeats the previous bar’s time (duplicates refused)'
        : 'repeats the previous bar’s time; dropped, the first is kept';
    const problem = {
      ...(at !== undefined ? { row: at } : {}),
      field: 'time',
      value: String(time),
      message,
    };
    log.add('duplicates', duplicateSeverity, problem, 'duplicates', 'duplicate bar times');
  }

  /** Sorted by time (stable), bars with a repeated time dropped after the first. */
  function sortAndDedupe(columns: Columns): Columns {
    const n = columns.length;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => columns.timestamp[a]! - columns.timestamp[b]! || a - b);
    const out = new Columns(Math.max(1, n), width, true);
    const v = new Float64Array(width);
    for (const i of order) {
      const t = columns.timestamp[i]!;
      if (
        format!.decoder.kind === 'bars' &&
        out.length > 0 &&
        out.timestamp[out.length - 1] === t
      ) {
        duplicate(undefined, (t - toUtc(0)) % DAY_MS);
        result.rows--;
        continue;
      }
      for (let k = 0; k < width; k++) v[k] = columns.values[k]![i]!;
      out.push(t, v);
    }
    return out;
  }
}

const SUSPICIOUS = 'flagged suspicious by the vendor; dropped';

/** LEAN's market says the calendar: equity is NYSE; crypto and forex trade every day. */
function leanCalendar(format: LeanFormat): CalendarChoice {
  const from = format.marketFrom === 'path' ? 'path' : 'data';
  return format.market === 'equity'
    ? { name: 'XNYS', why: `LEAN equity data (from the ${from})` }
    : {
        name: '24x7',
        why: `LEAN ${format.market} data (from the ${from}) trades around the clock`,
      };
}

/**
 * Whether a row lies outside regular hours: by the host's calendar when it gives one (cached
 * per minute, as sessions open and close on whole minutes), else by the fallback session.
 */
function outsideHours(
  format: LeanFormat,
  context: VendorContext,
  calendar: CalendarName | undefined,
): ((t: number, msOfDay: number) => boolean) | null {
  if (calendar === '24x7') return null;
  if (!format.regularHours && !calendar) return null;
  const isRegular = context.isRegularHours ?? (calendar ? regularHoursOf(calendar) : undefined);
  if (isRegular) {
    let minute = NaN;
    let regular = true;
    return (t) => {
      const key = Math.floor(t / 60_000);
      if (key !== minute) {
        minute = key;
        regular = isRegular(t);
      }
      return !regular;
    };
  }
  // Only without a calendar: its fallback session, which regularHours holds for equity.
  const [open, close] = format.regularHours ?? [0, 0];
  return (_t, msOfDay) => msOfDay < open || msOfDay >= close;
}

function exact(column: Float64Array, from: number, to: number): Float64Array {
  return from === 0 && to === column.length ? column : column.slice(from, to);
}

function progress(
  file: string,
  rows: number,
  bytesRead: number,
  totalBytes: number,
  started: number,
): ImportProgress {
  const seconds = (performance.now() - started) / 1000;
  return {
    file,
    rows,
    percent: totalBytes > 0 ? Math.min(100, (100 * bytesRead) / totalBytes) : 100,
    rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : 0,
  };
}
