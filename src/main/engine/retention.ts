/**
 * Bounded session data (docs/long-sessions.md): a task beside the merge that releases base bars
 * of days before the current trading day and its look-back (`retain_days`) from memory, and the
 * derived bars made from them; the settled gaps of those days are packed. The base bars are in
 * the store the session streamed them from; BarHistory reads them back from there and derives
 * the rest again. Bars someone may still need stay: those from the upkeep's hold on (slots not
 * scanned yet, gaps not settled or still growing), and the day of the last bar before that
 * (fill-forward carries its close; a strategy's pending bucket may end in it).
 */
import { crc32 } from 'node:zlib';
import type { ExchangeCalendar } from '../../shared/market/exchange-calendar';
import { TradingDates } from '../../shared/market/zoned-time';
import { fingerprintRows } from '../../shared/rows-print';
import type { CooperativeTask } from './cooperative-tasks';
import type { SessionData } from './session-data';
import type { SymbolData } from './symbol-data';

export interface RetentionOptions {
  sessionData: SessionData;
  /** Trading days kept before the current one. */
  retainDays: number;
  calendarFor: (symbol: string) => ExchangeCalendar;
  /** Releases what the upkeep keeps of a symbol before a time: derived bars, settled gaps. */
  releaseUpkeep?: (symbol: string, before: number) => void;
}

/** How often (backtest time) the task looks for a day to release: cheap, and soon enough. */
const CHECK_MS = 3_600_000;
const DAY_MS = 86_400_000;

export class Retention implements CooperativeTask {
  private next = Number.NaN;
  private readonly dates = new Map<string, TradingDates>();
  /** Per calendar, the floor found for the day [start, end) of the last cycle. */
  private readonly floors = new Map<string, { start: number; end: number; floor: number }>();
  /** Bars released over the session (all symbols). */
  releasedBars = 0;

  private readonly listeners = new Set<(symbol: string, before: number) => void>();
  private readonly releasing = new Set<(symbol: string, before: number) => void>();
  private readonly holds = new Set<(symbol: string) => number>();

  constructor(private readonly options: RetentionOptions) {}

  /**
   * A reader of a symbol's base bars from a time on (the upkeep: slots not scanned, gaps not
   * settled; a strategy: its derived buckets not yet delivered): they stay in memory.
   */
  addHold(heldFrom: (symbol: string) => number): () => void {
    this.holds.add(heldFrom);
    return () => this.holds.delete(heldFrom);
  }

  /** Hears each release: a symbol's base bars before a time left memory. */
  onRelease(listener: (symbol: string, before: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Hears each release before it happens, while the bars are still in memory: a reader that
   * keeps a summary of them (the quality strip) makes it then instead of reading them back.
   */
  onReleasing(listener: (symbol: string, before: number) => void): () => void {
    this.releasing.add(listener);
    return () => this.releasing.delete(listener);
  }

  begin(available: number): void {
    if (Number.isNaN(this.next)) this.next = available + CHECK_MS;
  }

  nextDue(): number {
    return this.next;
  }

  runCycle(asOf: number): Promise<void> {
    this.runCycleNow(asOf);
    return Promise.resolve();
  }

  runCycleNow(asOf: number): null {
    // The look-back's first day depends on the calendar only: found once per cycle (zone math
    // is slow), then each symbol compares times with it.
    const floors = new Map<string, number>();
    for (const data of this.options.sessionData.all()) {
      if (!data.base_interval) continue;
      const calendar = this.options.calendarFor(data.symbol);
      let floor = floors.get(calendar.name);
      if (floor === undefined) floors.set(calendar.name, (floor = this.floorOf(calendar, asOf)));
      this.release(data, calendar, floor, asOf);
    }
    while (this.next <= asOf) this.next += CHECK_MS;
    return null;
  }

  async finalCycle(): Promise<void> {}

  /** Start of the trading day `retainDays` sessions before the one holding `asOf`. */
  private floorOf(calendar: ExchangeCalendar, asOf: number): number {
    // The floor changes once a day; a cycle runs every hour. Zone math is slow: reuse it.
    const known = this.floors.get(calendar.name);
    if (known && asOf >= known.start && asOf < known.end) return known.floor;
    const dates = this.datesOf(calendar);
    const today = dates.dayOf(asOf);
    const { start, end } = today;
    let day = start;
    for (let k = 0; k < this.options.retainDays; k++) {
      const previous = calendar.sessionsBetween(day - 10 * DAY_MS, day).at(-1);
      if (!previous) break;
      day = dates.dayOf(previous.open).start;
    }
    this.floors.set(calendar.name, { start, end, floor: day });
    return day;
  }

  private release(data: SymbolData, calendar: ExchangeCalendar, floor: number, asOf: number): void {
    const base = data.bars_base;
    let hold = asOf;
    for (const held of this.holds) hold = Math.min(hold, held(data.symbol));
    const lastBefore = base.lowerBound(hold) - 1;
    if (lastBefore < 0) return;
    const last = base.timestamp[lastBefore]!;
    // Days start at or after the floor: a bar there keeps no earlier day.
    const horizon = last >= floor ? floor : this.datesOf(calendar).dayOf(last).start;
    const released = data.released;
    if (!(horizon > released.before)) return;
    for (const listener of this.releasing) listener(data.symbol, horizon);
    const count = base.lowerBound(horizon);
    const dates = this.datesOf(calendar);
    const { timestamp, values, flags } = base;
    const inserted = released.inserted;
    for (let from = 0; from < count;) {
      const span = dates.dayOf(timestamp[from]!);
      const to = Math.min(count, base.lowerBound(span.end));
      const insertedRows = inserted.lowerBound(span.end) - inserted.lowerBound(span.start);
      // A day streamed as one slab has its print from the reader; others are made here.
      const print =
        insertedRows === 0
          ? released.slabFingerprint(timestamp[from]!, timestamp[to - 1]!, to - from)
          : undefined;
      released.days.push({
        date: span.date,
        start: span.start,
        end: span.end,
        from: timestamp[from]!,
        rows: to - from,
        inserted: insertedRows,
        fingerprint: print ?? fingerprintRows(crc32, timestamp, values, flags, from, to),
      });
      from = to;
    }
    if (count > 0) released.lastTime = timestamp[count - 1]!;
    base.dropFront(count);
    released.rows += count;
    released.before = horizon;
    this.releasedBars += count;
    // Listeners first: a strategy compares what it was shown with the upkeep's bars, which
    // are still in memory until the upkeep releases them.
    for (const listener of this.listeners) listener(data.symbol, horizon);
    this.options.releaseUpkeep?.(data.symbol, horizon);
  }

  private datesOf(calendar: ExchangeCalendar): TradingDates {
    let dates = this.dates.get(calendar.name);
    if (!dates) this.dates.set(calendar.name, (dates = new TradingDates(calendar)));
    return dates;
  }
}
