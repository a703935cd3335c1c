/**
 * Turns a source's raw batches into import chunks: checks every row, shifts end-stamped bars to
 * their start, splits rows by symbol, enforces order (or sorts), drops or refuses duplicate bar
 * timestamps, counts crossed quotes and rows outside trading hours, and keeps the statistics the
 * preview shows. Columnar throughout: rows are copied straight from the batch's typed arrays into
 * the chunk's, with no object per row.
 *
 * Once any row makes the import impossible as asked, no further chunk is handed out (the caller
 * refuses the whole file), but checking goes on to the end so every problem is reported.
 */
import type { BaseInterval } from '../../../shared/interval';
import { intervalMs } from '../../../shared/interval';
import type { SymbolPreview } from '../../../shared/import-contract';
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';
import { calendarFor } from '../../../shared/market/calendars';
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import { toIsoMs } from '../../../shared/time';
import type { ImportChunk } from './import-types';
import { shownValue, type ProblemLog } from './import-problems';
import { cleanSymbol } from './symbol-name';
import type { RawBatch } from './tabular-source';
import { Columns, concatSorted } from './chunk-columns';
import { RowChecker } from './row-checks';
import { GENERIC_WORDING, type ProblemWording } from './problem-wording';
import {
  dayName,
  exchangeDayNumber,
  toZonedIso,
  wallClockToUtc,
} from '../../../shared/market/zoned-time';

export const DEFAULT_CHUNK_ROWS = 65_536;
const DAY_MS = 86_400_000;
/** Extended-hours rows are normal in real files; a few examples say enough. */
const OUTSIDE_HOURS_EXAMPLES = 3;

export interface AssemblerSettings {
  kind: StreamType;
  /** Bars only. */
  interval?: BaseInterval;
  /** The grid rows must lie on when they are not bars of `interval` (LEAN's quote bars). */
  grid?: BaseInterval;
  stamp: 'start' | 'end';
  sort: boolean;
  duplicates: 'drop' | 'refuse';
  isRegularHours?: (utcMs: number) => boolean;
  /** Dates the rows (trading days, partitions); absent: New York dates, as before calendars. */
  calendar?: CalendarName;
  /** Without a calendar: the zone of dates and shown times (a vendor's own), else New York. */
  timeZone?: string;
  /** Rows outside hours logged as examples (3); 0 counts them only, for a caller's summary. */
  outsideHoursExamples?: number;
  /** How problems word times and values; the generic wording names instants. */
  wording?: ProblemWording;
  /** Source column names, for problems: the timestamp's, then per field. */
  timestampColumn: string;
  fieldColumns: (string | undefined)[];
  symbolColumn?: string;
  /** The symbol of every row when the file has no symbol column. */
  symbol?: string;
  /** Renames the one symbol of a symbol column (refused when the column holds several). */
  symbolOverride?: string;
  /** Renames a symbol column's symbols (the import's `aliases`). */
  alias?: (symbol: string) => string;
  chunkRows?: number;
}

interface SymbolState {
  symbol?: string;
  last: number;
  lastRow: number;
  open: Columns;
  /** Sort mode: every accepted row, kept until the end. */
  held: Columns[];
  rows: number;
  first: number;
  lastSeen: number;
  days: Set<number>;
  /** UTC bounds of the trading day last recorded. */
  dayStart: number;
  dayEnd: number;
}

export class ChunkAssembler {
  private readonly states: SymbolState[] = [];
  private readonly byName = new Map<string, SymbolState>();
  private readonly fieldCount: number;
  private readonly chunkRows: number;
  private readonly stepMs: number;
  private readonly shiftMs: number;
  private readonly zone: string;
  private readonly dayOf: (utcMs: number) => number;
  private readonly dayToUtc: (wallMs: number) => number;
  private readonly checker: RowChecker;
  private readonly wording: ProblemWording;
  private fixed?: SymbolState;
  private overrideSource?: string;
  private hoursKey = NaN;
  private hoursValue = true;

  constructor(
    private readonly settings: AssemblerSettings,
    private readonly log: ProblemLog,
  ) {
    this.fieldCount = STREAM_FIELDS[settings.kind].length;
    this.zone = settings.calendar
      ? calendarFor(settings.calendar).timeZone
      : (settings.timeZone ?? calendarFor('XNYS').timeZone);
    this.wording = settings.wording ?? GENERIC_WORDING;
    this.dayOf = exchangeDayNumber(this.zone);
    this.dayToUtc = wallClockToUtc(this.zone);
    this.chunkRows = settings.chunkRows ?? DEFAULT_CHUNK_ROWS;
    const grid = settings.kind === 'bars' && settings.interval ? settings.interval : settings.grid;
    this.stepMs = grid ? intervalMs(grid) : 0;
    this.shiftMs = settings.stamp === 'end' ? this.stepMs : 0;
    this.checker = new RowChecker(
      {
        kind: settings.kind,
        stepMs: this.stepMs,
        shiftMs: this.shiftMs,
        intervalName: grid,
        timestampColumn: settings.timestampColumn,
        fieldColumns: settings.fieldColumns,
        wording: this.wording,
      },
      log,
    );
    if (settings.symbol !== undefined) this.fixed = this.newState(settings.symbol);
  }

  /** Checks a batch; returns the chunks it filled (none once the import is refused). */
  push(batch: RawBatch): ImportChunk[] {
    const out: ImportChunk[] = [];
    const { kind, sort } = this.settings;
    const { timestamp, values, symbolIds, symbolNames, rowNumbers, firstRow } = batch;
    const n = batch.length;
    const log = this.log;
    log.counts.rows += batch.sourceRows ?? n;
    const suspect = this.checker.screen(batch);
    const resolved: (SymbolState | undefined)[] = [];
    const fieldCount = this.fieldCount;
    const shiftMs = this.shiftMs;
    const strict = kind === 'bars' && !sort;
    const hours = this.settings.isRegularHours;
    const examples = this.settings.outsideHoursExamples ?? OUTSIDE_HOURS_EXAMPLES;
    for (let i = 0; i < n; i++) {
      const row = rowNumbers ? rowNumbers[i] : firstRow + i;
      let s = this.fixed!;
      if (symbolIds) {
        const id = symbolIds[i];
        let state = resolved[id];
        if (state === undefined) {
          state = this.stateFor(symbolNames![id]);
          resolved[id] = state;
        }
        if (state.symbol === undefined) {
          const name = symbolNames![id];
          const column = this.settings.symbolColumn!;
          this.checker.invalid(
            row,
            column,
            name,
            'symbol',
            name === '' ? 'the symbol is missing' : `"${shownValue(name)}" is not a valid ticker`,
          );
          continue;
        }
        s = state;
      }
      if (suspect[i] === 1 && !this.checker.explain(batch, i, row)) continue;
      const t = timestamp[i] - shiftMs;
      if (t > s.last) {
        s.last = t;
        s.lastRow = row;
      } else if (t < s.last) {
        this.outOfOrder(batch, i, row, t, s);
        if (!sort) continue;
      } else if (strict) {
        this.duplicate(row, batch.raw(i, -1), t, s.lastRow);
        s.open.dropped++;
        continue;
      }
      if (kind === 'quotes' && values[0][i] > values[1][i]) this.crossed(batch, i, row);
      if (hours !== undefined && !this.regularHours(t)) {
        if (examples === 0) log.counts.outsideTradingHours++;
        else {
          log.add(
            'outsideTradingHours',
            'warning',
            {
              row,
              message: `${toZonedIso(t, this.zone)} is outside regular trading hours (kept)`,
            },
            'outsideTradingHours',
            'rows outside regular trading hours',
            examples,
          );
        }
      }
      if (t < s.first) s.first = t;
      if (t > s.lastSeen) s.lastSeen = t;
      if (t < s.dayStart || t >= s.dayEnd) this.noteDay(s, t);
      // A full chunk is handed out only when the next row arrives, so the duplicates that follow
      // its last row are counted with it.
      if (s.open.length === this.chunkRows) {
        const chunk = this.flush(s);
        if (chunk) out.push(chunk);
      }
      const target = s.open;
      const at = target.length;
      target.timestamp[at] = t;
      const columns = target.values;
      for (let k = 0; k < fieldCount; k++) columns[k][at] = values[k][i];
      if (target.rows) target.rows[at] = row;
      target.length = at + 1;
      if (!sort) s.rows++;
    }
    return out;
  }

  private outOfOrder(batch: RawBatch, i: number, row: number, t: number, s: SymbolState): void {
    const sort = this.settings.sort;
    this.log.add(
      'outOfOrder',
      sort ? 'warning' : 'error',
      {
        row,
        field: this.settings.timestampColumn,
        value: batch.raw(i, -1),
        message: this.wording.outOfOrder(t, s.last, s.lastRow, sort),
      },
      'outOfOrder',
      'rows out of order',
    );
  }

  private crossed(batch: RawBatch, i: number, row: number): void {
    const [bid, ask] = batch.values;
    this.log.add(
      'crossedQuotes',
      'warning',
      {
        row,
        field: this.settings.fieldColumns[0],
        value: batch.raw(i, 0),
        message: `crossed quote: bid ${bid[i]} is above ask ${ask[i]} (kept)`,
      },
      'crossedQuotes',
      'crossed quotes',
    );
  }

  /** The rows still open (sorted, in sort mode); none when the import is refused. */
  finish(): ImportChunk[] {
    const out: ImportChunk[] = [];
    for (const s of this.states) {
      if (s.symbol === undefined) continue;
      if (this.settings.sort) {
        if (s.open.length > 0) s.held.push(s.open);
        s.open = new Columns(0, this.fieldCount);
        out.push(...this.sortedChunks(s));
      } else if (s.open.length > 0) {
        const chunk = this.flush(s);
        if (chunk) out.push(chunk);
      }
    }
    return this.log.hasErrors ? [] : out;
  }

  /** Per symbol: rows to import, first/last in exchange time, trading days. */
  symbols(): SymbolPreview[] {
    return this.states
      .filter((s) => s.symbol !== undefined && s.days.size > 0)
      .map((s) => ({
        symbol: s.symbol!,
        kind: this.settings.kind,
        ...(this.settings.interval && this.settings.kind === 'bars'
          ? { interval: this.settings.interval }
          : {}),
        rows: s.rows,
        first: toZonedIso(s.first, this.zone),
        last: toZonedIso(s.lastSeen, this.zone),
        tradingDays: [...s.days].sort((a, b) => a - b).map(dayName),
      }));
  }

  private duplicate(row: number, value: string, t: number, firstRow: number): void {
    const refuse = this.settings.duplicates === 'refuse';
    this.log.add(
      'duplicates',
      refuse ? 'error' : 'warning',
      {
        row,
        field: this.settings.timestampColumn,
        value,
        message: this.wording.duplicate(t, firstRow, refuse),
      },
      'duplicates',
      'duplicate bars',
    );
  }

  private regularHours(t: number): boolean {
    // Sessions open and close on whole minutes, so one answer serves a minute's rows.
    const key = Math.floor(t / 60_000);
    if (key !== this.hoursKey) {
      this.hoursKey = key;
      this.hoursValue = this.settings.isRegularHours!(t);
    }
    return this.hoursValue;
  }

  /** Records the trading day of `t`, and that day's bounds so the next rows skip this. */
  private noteDay(s: SymbolState, t: number): void {
    const day = this.dayOf(t);
    s.days.add(day);
    s.dayStart = this.dayToUtc(day * DAY_MS);
    s.dayEnd = this.dayToUtc((day + 1) * DAY_MS);
  }

  private flush(s: SymbolState): ImportChunk | undefined {
    const full = s.open;
    if (this.settings.sort) {
      s.held.push(full);
      s.open = this.newColumns();
      return undefined;
    }
    s.open = this.newColumns();
    if (this.log.hasErrors) return undefined;
    return this.chunk(s.symbol!, full);
  }

  /** Sort mode: all of a symbol's rows in time order (stable), duplicates dropped, chunked. */
  private sortedChunks(s: SymbolState): ImportChunk[] {
    const { timestamp: ts, rows, values: cols, order } = concatSorted(s.held, this.fieldCount);
    s.held = [];
    const total = order.length;
    const out: ImportChunk[] = [];
    let open = new Columns(this.chunkRows, this.fieldCount);
    let last = -Infinity;
    let lastRow = 0;
    for (let j = 0; j < total; j++) {
      const i = order[j];
      const t = ts[i];
      if (t === last && this.settings.kind === 'bars') {
        this.duplicate(rows[i], toIsoMs(t), t, lastRow);
        open.dropped++;
        continue;
      }
      last = t;
      lastRow = rows[i];
      if (open.length === this.chunkRows) {
        out.push(this.chunk(s.symbol!, open));
        open = new Columns(this.chunkRows, this.fieldCount);
      }
      const n = open.length;
      open.timestamp[n] = t;
      for (let k = 0; k < this.fieldCount; k++) open.values[k][n] = cols[k][i];
      open.length = n + 1;
      s.rows++;
    }
    if (open.length > 0) out.push(this.chunk(s.symbol!, open));
    return out;
  }

  private chunk(symbol: string, columns: Columns): ImportChunk {
    const { timestamp, values, length } = columns;
    const full = length === timestamp.length;
    const chunk: ImportChunk = {
      symbol,
      kind: this.settings.kind,
      length,
      timestamp: full ? timestamp : timestamp.slice(0, length),
      values: values.map((v) => (full ? v : v.slice(0, length))),
    };
    if (this.settings.kind === 'bars' && this.settings.interval) {
      chunk.interval = this.settings.interval;
    }
    if (this.settings.calendar) chunk.calendar = this.settings.calendar;
    if (columns.dropped > 0) chunk.duplicatesDropped = columns.dropped;
    return chunk;
  }

  private stateFor(rawName: string): SymbolState {
    const override = this.settings.symbolOverride;
    if (override !== undefined) {
      if (this.overrideSource === undefined) this.overrideSource = rawName;
      else if (this.overrideSource !== rawName) {
        this.log.fatal(
          `the ${this.settings.symbolColumn} column holds several symbols (${this.overrideSource}, ${rawName}, ...); a given symbol applies only to a single-symbol file`,
          this.settings.symbolColumn,
        );
      }
      return this.byName.get(override) ?? this.newState(override);
    }
    const clean = cleanSymbol(rawName);
    const symbol = clean === undefined || !this.settings.alias ? clean : this.settings.alias(clean);
    const existing = symbol === undefined ? undefined : this.byName.get(symbol);
    return existing ?? this.newState(symbol);
  }

  private newColumns(): Columns {
    return new Columns(this.chunkRows, this.fieldCount, this.settings.sort);
  }

  private newState(symbol: string | undefined): SymbolState {
    const state: SymbolState = {
      symbol,
      last: -Infinity,
      lastRow: 0,
      open: this.newColumns(),
      held: [],
      rows: 0,
      first: Infinity,
      lastSeen: -Infinity,
      days: new Set(),
      dayStart: Infinity,
      dayEnd: -Infinity,
    };
    if (symbol !== undefined) {
      this.byName.set(symbol, state);
      this.states.push(state);
    }
    return state;
  }
}
