/**
 * One pass over a LEAN zip as a source of the generic pipeline: LEAN's own part is the zip, the
 * layouts (decoders undo the price scale and hold quote ticks back), and the times, ms since
 * midnight of the file's date in the market's zone; rows then go through the chunk assembler
 * like every other format's, which checks them, keeps order (or sorts), drops duplicates and
 * counts crossed quotes and rows outside hours. Preview and read share it, so what the preview
 * counts is exactly what the read does. After the first error no more chunks are handed out,
 * but the scan goes on to the end so that the refusal lists every problem.
 */
import type { CalendarChoice, SymbolPreview } from '../../../../shared/import-contract';
import type { CalendarName } from '../../../../shared/market/exchange-calendar';
import { STREAM_FIELDS } from '../../../../shared/stream-types';
import { utcToWallClock, wallClockToUtc, wallTimeOf } from '../../../../shared/market/zoned-time';
import { ChunkAssembler } from '../chunk-assembler';
import type { ImportChunk, ImportOptions, ImportProgress } from '../import-types';
import { ProblemLog } from '../import-problems';
import type { ProblemWording } from '../problem-wording';
import type { RawBatch } from '../tabular-source';
import { chooseCalendar, regularHoursOf } from '../calendar-choice';
import type { DecodedRow } from './lean-decoders';
import { leanFormat, type LeanFormat } from './lean-format';
import type { LeanFileName } from './lean-path';
import type { VendorContext } from './vendor-importer';
import { zipLines } from './zip-lines';

export const CHUNK_ROWS = 65_536;
/** Decoded rows handed to the assembler at a time. */
const BATCH_ROWS = 8_192;

/** What a scan found; complete once the scan's generator is done. */
export interface ScanResult {
  format: LeanFormat | null;
  log: ProblemLog;
  symbols: SymbolPreview[];
  /** Set when the scan stopped at its row limit (a preview's sample). */
  sampled: boolean;
  /** The calendar the rows are dated by, when the caller asked for one (see calendar-choice). */
  calendar?: CalendarChoice;
}

export function emptyScan(file: string): ScanResult {
  return { format: null, log: new ProblemLog(file), symbols: [], sampled: false };
}

/** Decoded rows with LEAN's own times kept, for problems to quote. */
class LeanBatch implements RawBatch {
  length = 0;
  firstRow = 1;
  progress = 0;
  sourceRows = 0;
  readonly timestamp = new Float64Array(BATCH_ROWS);
  readonly rowNumbers = new Float64Array(BATCH_ROWS);
  readonly msOfDay = new Float64Array(BATCH_ROWS);
  readonly values: Float64Array[];

  constructor(width: number) {
    this.values = Array.from({ length: width }, () => new Float64Array(BATCH_ROWS));
  }

  raw(row: number, field: number): string {
    return String(field < 0 ? this.msOfDay[row] : this.values[field]![row]);
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
  let format: LeanFormat | null = null;
  let toUtc = (ms: number): number => ms;
  let assembler: ChunkAssembler | null = null;
  let batch: LeanBatch | null = null;
  const row: DecodedRow = { time: 0, values: new Float64Array(0) };
  let rows = 0;
  let line = 0;
  let previousLine = 0;
  const started = performance.now();

  lines: for await (const block of zipLines(file)) {
    for (const text of block.lines) {
      if (rows >= maxRows) {
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
        if (options.calendar !== undefined || context.calendars !== undefined) {
          result.calendar = chooseCalendar({
            given: options.calendar,
            vendor: leanCalendar(format),
          });
        }
        assembler = new ChunkAssembler(
          assemblerSettings(format, name, options, context, result.calendar?.name),
          log,
        );
        batch = new LeanBatch(STREAM_FIELDS[format.decoder.kind].length);
        row.values = new Float64Array(batch.values.length);
      }
      rows++;
      batch!.sourceRows++;
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
        invalid(log, line, outcome);
        continue;
      }
      if (add(at) === BATCH_ROWS) yield* pushBatch();
    }
    onProgress?.(progress(file, rows, block.bytesRead, block.totalBytes, started));
  }

  if (format?.decoder.flush?.(row)) add(previousLine);
  if (assembler) {
    yield* pushBatch();
    const rest = assembler.finish();
    if (collect) yield* rest;
    result.symbols = assembler.symbols();
  }
  if (!format) log.fatal('The file holds no data rows.');
  const outside = log.counts.outsideTradingHours;
  if (outside > 0) {
    const hours = context.isRegularHours
      ? 'regular hours'
      : 'regular hours (09:30-16:00 New York; no calendar given, so holidays and early closes are not known)';
    log.warn(
      `${outside.toLocaleString('en-US')} rows fall outside ${hours}: ` +
        `LEAN includes extended hours; they are kept.`,
    );
  }

  /** Adds the decoded row (from source line `at`) to the batch; returns the batch's length. */
  function add(at: number): number {
    const b = batch!;
    const i = b.length;
    b.timestamp[i] = toUtc(row.time) + format!.decoder.shiftMs;
    b.msOfDay[i] = row.time;
    b.rowNumbers[i] = at;
    for (let k = 0; k < b.values.length; k++) b.values[k]![i] = row.values[k]!;
    b.length = i + 1;
    return b.length;
  }

  function* pushBatch(): Generator<ImportChunk> {
    const b = batch!;
    b.firstRow = b.length > 0 ? b.rowNumbers[0]! : line;
    const chunks = assembler!.push(b);
    b.length = 0;
    b.sourceRows = 0;
    if (collect) yield* chunks;
  }
}

const SUSPICIOUS = 'flagged suspicious by the vendor; dropped';

function invalid(
  log: ProblemLog,
  row: number,
  problem: { field: string; value: string; message: string },
): void {
  log.add(
    'invalid',
    'error',
    { row, ...problem },
    `invalid:${problem.field}`,
    `rows with a bad ${problem.field}`,
  );
}

/**
 * The assembler's settings for a LEAN file: its one symbol, its own zone when no calendar is
 * asked for, its problems worded in its own times, and the regular hours of the calendar (or,
 * without one, LEAN's equity session on the file's date); outside hours are summed up once.
 */
function assemblerSettings(
  format: LeanFormat,
  name: LeanFileName,
  options: ImportOptions,
  context: VendorContext,
  calendar: CalendarName | undefined,
): ConstructorParameters<typeof ChunkAssembler>[0] {
  const kind = format.decoder.kind;
  const isRegularHours = regularHours(format, context, calendar);
  return {
    kind,
    ...(format.interval ? { interval: format.interval, grid: format.interval } : {}),
    stamp: 'start',
    sort: options.sort === true,
    duplicates: options.duplicates === 'refuse' ? 'refuse' : 'drop',
    ...(isRegularHours ? { isRegularHours } : {}),
    ...(calendar ? { calendar } : {}),
    timeZone: format.tz,
    outsideHoursExamples: 0,
    wording: leanWording(format, name),
    timestampColumn: 'time',
    fieldColumns: [...STREAM_FIELDS[kind]],
    symbol: format.symbol,
    chunkRows: CHUNK_ROWS,
  };
}

/** LEAN's times are ms since the file's midnight: problems quote them as they stand. */
function leanWording(format: LeanFormat, name: LeanFileName): ProblemWording {
  return {
    outOfOrder: (_t, _last, _lastRow, sorted) =>
      sorted
        ? 'goes back before an earlier row; sorted'
        : 'goes back before an earlier row (pass --sort to put rows in order)',
    duplicate: (_t, _firstRow, refused) =>
      refused
        ? 'repeats the previous bar’s time (duplicates refused)'
        : 'repeats the previous bar’s time; dropped, the first is kept',
    offGrid: () =>
      `is not on a ${format.interval} boundary, as every LEAN ${name.resolution} bar is`,
    value: (problem) => problem.message,
  };
}

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
 * Whether an instant lies in regular hours: by the host's calendar when it gives one, else by
 * the chosen calendar, else by LEAN's equity session on the file's date (09:30-16:00 New York,
 * no holidays known); undefined for a market that never closes.
 */
function regularHours(
  format: LeanFormat,
  context: VendorContext,
  calendar: CalendarName | undefined,
): ((utcMs: number) => boolean) | undefined {
  if (calendar === '24x7') return undefined;
  if (!format.regularHours && !calendar) return undefined;
  const given = context.isRegularHours ?? (calendar ? regularHoursOf(calendar) : undefined);
  if (given) return given;
  const [open, close] = format.regularHours ?? [0, 0];
  const toWall = utcToWallClock(format.tz);
  const midnight = wallTimeOf(format.date, 0);
  return (t) => {
    const msOfDay = toWall(t) - midnight;
    return msOfDay >= open && msOfDay < close;
  };
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
