/**
 * Where the upkeep refills gaps from, in the parquet store. Files are per exchange-local date,
 * so a fill reads the files of the dates its window touches and keeps the bars that start in
 * [startMs, endMs). Bad rows are left out (and reported to onProblem): a bar that fails
 * validation is still a gap, and failing the fetch would only make the upkeep retry it forever.
 * No file for those dates is an empty answer, not an error — there is nothing to fill from.
 */
import type { BaseInterval } from '../../../shared/interval';
import type {
  BarFillSource,
  DataError,
  DateRange,
  StreamBatch,
  StreamKey,
} from '../../../shared/stream-cursor';
import { BAR_FIELDS } from '../../../shared/stream-types';
import { calendarFor } from '../../../shared/market/calendars';
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import { TradingDates } from '../../../shared/market/zoned-time';
import { nextDate } from '../../../shared/time';
import { ParquetStreamCursor } from './parquet-cursor';
import { statSync, type Stats } from 'node:fs';
import { openStreamFile } from './parquet-file-reader';
import { streamFilePath, type StreamFile } from './parquet-layout';

export interface ParquetFillOptions {
  onProblem?: (problem: DataError) => void;
  /**
   * This store is the one the session streams, over these dates, from files as they were at
   * `since` (wall ms). A gap is a bar the stream did not deliver, so a file of those dates that
   * has not changed since holds no bar for it: such files are not read at all. A file written
   * since (a recording, an import) is read as usual.
   */
  streamed?: { since: number; range: DateRange };
  /** The calendar whose dates name each symbol's files (default XNYS: New York dates). */
  calendarOf?: (symbol: string) => CalendarName;
}

export class ParquetBarFillSource implements BarFillSource {
  readonly description: string;
  /**
   * Decoded files, newest last: the upkeep asks for many small windows of the same day (every
   * cycle of sparse data finds new gaps), and decoding the day's file for each would make a
   * cycle cost O(rows of the day). A file is decoded again only when it changed on disk.
   */
  private readonly decoded = new Map<string, DecodedFile>();
  private bytes = 0;
  /** Each file looked up: where it is and what stat said, when. */
  private readonly seen = new Map<string, { path: string; at: number; info: Stats | null }>();
  private readonly dates = new Map<CalendarName, TradingDates>();

  constructor(
    readonly dataDir: string,
    private readonly options: ParquetFillOptions = {},
  ) {
    this.description = `parquet ${dataDir}`;
  }

  async fetchBars(
    symbol: string,
    interval: BaseInterval,
    startMs: number,
    endMs: number,
  ): Promise<StreamBatch> {
    const out = new Collector(BAR_FIELDS.length);
    const key: StreamKey = { symbol, type: 'bars', interval };
    for (const file of this.filesFor(key, startMs, endMs)) {
      out.add(await this.read(key, file, file.info), startMs, endMs);
    }
    return out.batch();
  }

  /** The answer from files already decoded and unchanged, else undefined. */
  fetchBarsSync(
    symbol: string,
    interval: BaseInterval,
    startMs: number,
    endMs: number,
  ): StreamBatch | undefined {
    const files = this.filesFor({ symbol, type: 'bars', interval }, startMs, endMs);
    const batches: StreamBatch[] = [];
    for (const file of files) {
      const cached = this.decoded.get(file.path);
      if (!cached || cached.mtimeMs !== file.info.mtimeMs || cached.size !== file.info.size) {
        return undefined;
      }
      batches.push(cached.batch);
    }
    // The usual window lies in one day's file (or in none that can add anything): answer with
    // views of it, no copy.
    if (batches.length === 0) return EMPTY;
    if (batches.length === 1) return window(batches[0]!, startMs, endMs);
    const out = new Collector(BAR_FIELDS.length);
    for (const batch of batches) out.add(batch, startMs, endMs);
    return out.batch();
  }

  /**
   * The files holding [startMs, endMs): files are named by exchange date, so each date's file
   * is looked up by name rather than by listing the folder. What a file looks like on disk is
   * checked again after STAT_TTL_MS, so a file written meanwhile is seen within that time.
   */
  private filesFor(key: StreamKey, startMs: number, endMs: number): FoundFile[] {
    const found: FoundFile[] = [];
    if (!(endMs > startMs)) return found;
    const dates = this.datesOf(key.symbol);
    const last = dates.dayOf(endMs - 1).date;
    const first = dates.dayOf(startMs).date;
    for (let date = first; date <= last; date = date === last ? '~' : nextDate(date)) {
      const id = `${key.symbol}|${key.interval}|${date}`;
      const now = performance.now();
      let seen = this.seen.get(id);
      if (!seen || now - seen.at > STAT_TTL_MS) {
        const path = seen?.path ?? streamFilePath(this.dataDir, key, date);
        seen = { path, at: now, info: statOrNull(path) };
        this.seen.set(id, seen);
      }
      if (!seen.info?.isFile() || this.streamedUnchanged(date, seen.info)) continue;
      found.push({ path: seen.path, date, info: seen.info });
    }
    return found;
  }

  private streamedUnchanged(date: string, info: Stats): boolean {
    const streamed = this.options.streamed;
    if (!streamed || info.mtimeMs >= streamed.since) return false;
    const { start_date, end_date } = streamed.range;
    return (!start_date || date >= start_date) && (!end_date || date <= end_date);
  }

  /** The trading dates of a symbol's files; each calendar's remembers its day (zone math is slow). */
  private datesOf(symbol: string): TradingDates {
    const name = this.options.calendarOf?.(symbol) ?? 'XNYS';
    let dates = this.dates.get(name);
    if (!dates) this.dates.set(name, (dates = new TradingDates(calendarFor(name))));
    return dates;
  }

  private async read(key: StreamKey, file: StreamFile, info: Stats): Promise<StreamBatch> {
    const { path } = file;
    const { mtimeMs, size } = info;
    const cached = this.decoded.get(path);
    if (cached && cached.mtimeMs === mtimeMs && cached.size === size) {
      // Most recently used last.
      this.decoded.delete(path);
      this.decoded.set(path, cached);
      return cached.batch;
    }
    const cursor = new ParquetStreamCursor(key, [await openStreamFile(file, 'bars')], {
      skipInvalid: true,
      onProblem: this.options.onProblem,
    });
    const all = new Collector(BAR_FIELDS.length);
    try {
      for (;;) {
        const batch = await cursor.next(Number.MAX_SAFE_INTEGER);
        if (!batch) break;
        all.add(batch, -Infinity, Infinity);
      }
    } finally {
      await cursor.close();
    }
    const batch = all.batch();
    const bytes = (batch.values.length + 1) * batch.length * 8;
    this.forget(path);
    this.decoded.set(path, { mtimeMs, size, batch, bytes });
    this.bytes += bytes;
    // Least recently used first out, down to the budget (the newest file always stays).
    for (const [oldest] of this.decoded) {
      if (this.bytes <= CACHE_BYTES || oldest === path) break;
      this.forget(oldest);
    }
    return batch;
  }

  private forget(path: string): void {
    const entry = this.decoded.get(path);
    if (!entry) return;
    this.bytes -= entry.bytes;
    this.decoded.delete(path);
  }
}

interface FoundFile extends StreamFile {
  info: Stats;
}

const EMPTY: StreamBatch = {
  length: 0,
  timestamp: new Float64Array(0),
  values: BAR_FIELDS.map(() => new Float64Array(0)),
};

/** How long a stat of a file is trusted (wall ms). */
const STAT_TTL_MS = 1000;

interface DecodedFile {
  mtimeMs: number;
  size: number;
  batch: StreamBatch;
  bytes: number;
}

/**
 * The decoded columns kept: a day of 1s bars is about 1.1 MB, so this holds the current day
 * of a couple of hundred symbols, which is what one session's cycles touch.
 */
const CACHE_BYTES = 256 * 1024 * 1024;

/** Gathers rows inside a window into growing columns. */
class Collector {
  private timestamp: number[] = [];
  private values: number[][];

  constructor(width: number) {
    this.values = Array.from({ length: width }, () => []);
  }

  /** Adds the rows of `batch` in [start, end); true once a row at or after `end` was seen. */
  add(batch: StreamBatch, start: number, end: number): boolean {
    // Rows are in time order: start where the window starts.
    for (let i = lowerBound(batch, start); i < batch.length; i++) {
      const t = batch.timestamp[i];
      if (t >= end) return true;
      if (t < start) continue;
      this.timestamp.push(t);
      for (let k = 0; k < this.values.length; k++) this.values[k].push(batch.values[k][i]);
    }
    return false;
  }

  batch(): StreamBatch {
    return {
      length: this.timestamp.length,
      timestamp: Float64Array.from(this.timestamp),
      values: this.values.map((column) => Float64Array.from(column)),
    };
  }
}

/** A file's stat, or null when it is not there (a synchronous stat: it costs microseconds). */
function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The rows of a time-ordered batch in [start, end), as views. */
function window(batch: StreamBatch, start: number, end: number): StreamBatch {
  const from = lowerBound(batch, start);
  const to = lowerBound(batch, end);
  return {
    length: to - from,
    timestamp: batch.timestamp.subarray(from, to),
    values: batch.values.map((column) => column.subarray(from, to)),
  };
}

function lowerBound(batch: StreamBatch, t: number): number {
  let lo = 0;
  let hi = batch.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (batch.timestamp[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
