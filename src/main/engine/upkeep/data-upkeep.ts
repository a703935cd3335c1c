/**
 * The data upkeep (the seed plan's DataUpkeepThread), as a cooperative task beside the
 * coordinator, over the same session data: derived bars from every base bar as it passes,
 * and every `check_interval_seconds` a cycle that finds gaps, refills them with retry and
 * backoff, and measures bar quality. In a backtest, cycles and backoff run on backtest time,
 * so results never depend on speed; in live mode they run on wall time, paused or not.
 */
import { isDerivableFrom, type BaseInterval, type Interval } from '../../../shared/interval';
import type { BarFillSource } from '../../../shared/stream-cursor';
import type { ExchangeCalendar } from '../calendar/exchange-calendar';
import type { CooperativeTask } from '../cooperative-tasks';
import { FLAG_SYNTHETIC } from '../column-store';
import { KIND_BAR, type EventBatch, type StreamInfo } from '../event-batch';
import type { SessionData } from '../session-data';
import type { SymbolData } from '../symbol-data';
import type { WallClock } from '../wall-clock';
import { DerivedBars, type DerivedBar } from './derived-bars';
import { GapTracker, type Gap } from './gap-tracker';

export interface UpkeepOptions {
  sessionData: SessionData;
  calendarFor: (symbol: string) => ExchangeCalendar;
  derivedIntervals: readonly Interval[];
  checkIntervalSeconds: number;
  maxRetries: number;
  fillForward: boolean;
  fillSource: BarFillSource | null;
  /**
   * Where gap detection and quality start (epoch ms). Defaults to the open of the session
   * holding the first item, so a feed that starts late still shows the bars it lacks.
   */
  sessionStart?: number;
}

export type DerivedListener = (
  symbol: string,
  interval: Interval,
  bar: DerivedBar,
  revised: boolean,
) => void;
export type QualityListener = (symbol: string, quality: number | null) => void;
export type GapListener = (gap: Readonly<Gap>) => void;

interface SymbolUpkeep {
  data: SymbolData;
  tracker: GapTracker;
  derived: DerivedBars[];
  lastQuality: number | null;
}

export class DataUpkeep implements CooperativeTask {
  private readonly symbols = new Map<string, SymbolUpkeep>();
  private readonly checkMs: number;
  private next = Number.NaN;
  private readonly sessionStart: number | undefined;
  private firstTimestamp = Number.NaN;
  cycles = 0;
  private readonly derivedListeners = new Set<DerivedListener>();
  private readonly qualityListeners = new Set<QualityListener>();
  private readonly gapListeners = new Set<GapListener>();
  private readonly cycleListeners = new Set<(asOf: number) => void>();

  constructor(private readonly options: UpkeepOptions) {
    this.checkMs = options.checkIntervalSeconds * 1000;
    this.sessionStart = options.sessionStart;
  }

  onDerivedBar(listener: DerivedListener): () => void {
    this.derivedListeners.add(listener);
    return () => this.derivedListeners.delete(listener);
  }

  onQuality(listener: QualityListener): () => void {
    this.qualityListeners.add(listener);
    return () => this.qualityListeners.delete(listener);
  }

  onGap(listener: GapListener): () => void {
    this.gapListeners.add(listener);
    return () => this.gapListeners.delete(listener);
  }

  /** After every cycle (the session dump writes a row here). */
  onCycle(listener: (asOf: number) => void): () => void {
    this.cycleListeners.add(listener);
    return () => this.cycleListeners.delete(listener);
  }

  /** The first item's availability and timestamp: cycles are due every interval from it. */
  begin(available: number, timestamp: number): void {
    if (!Number.isNaN(this.next)) return;
    this.firstTimestamp = timestamp;
    this.next = available + this.checkMs;
  }

  /** Backtest time of the next cycle (NaN until the first item). */
  nextDue(): number {
    return this.next;
  }

  gapsOf(symbol: string): readonly Gap[] {
    return this.symbols.get(symbol)?.tracker.gaps ?? [];
  }

  trackerOf(symbol: string): GapTracker | undefined {
    return this.symbols.get(symbol)?.tracker;
  }

  derivedOf(symbol: string, interval: Interval): DerivedBars | undefined {
    return this.symbols.get(symbol)?.derived.find((d) => d.interval === interval);
  }

  /** A batch consumer: every base bar updates every derived interval of its symbol, O(1). */
  readonly onBatch = (batch: EventBatch, streams: readonly StreamInfo[]): void => {
    if (batch.length === 0) return;
    // Live mode has no begin(): the first batch starts the clocks.
    this.begin(batch.clock[0]!, batch.timestamp[0]!);
    for (let i = 0; i < batch.length; i++) {
      if (batch.kind[i] !== KIND_BAR) continue;
      const info = streams[batch.stream[i]!]!;
      const entry = this.entry(info.symbol, info.interval!);
      if (entry.derived.length === 0) continue;
      const t = batch.timestamp[i]!;
      const o = batch.value(0, i);
      const h = batch.value(1, i);
      const l = batch.value(2, i);
      const c = batch.value(3, i);
      const v = batch.value(4, i);
      for (const d of entry.derived) d.add(t, o, h, l, c, v);
    }
    const clock = batch.clock[batch.length - 1]!;
    for (const entry of this.symbols.values())
      for (const d of entry.derived) d.advanceTo(clock, false);
  };

  /** One cycle as of `asOf`: detect gaps up to it, refill what is due, update quality. */
  async runCycle(asOf: number): Promise<void> {
    await this.cycle(asOf, false);
    while (this.next <= asOf) this.next += this.checkMs;
  }

  /**
   * Live mode: cycles on wall time, whatever the system's state (the plan: "always runs in
   * live mode"), until `until()` says to stop.
   */
  async runLive(wall: WallClock, until: () => boolean): Promise<void> {
    while (!until()) {
      await wall.sleep(this.checkMs);
      if (until()) break;
      await this.cycle(wall.now(), false);
    }
  }

  /**
   * The last cycle when a session ends: every remaining retry runs now (time is over), so
   * every output reflects every refill.
   */
  async finalCycle(asOf: number): Promise<void> {
    await this.cycle(asOf, true);
  }

  private entry(symbol: string, interval: BaseInterval): SymbolUpkeep {
    let entry = this.symbols.get(symbol);
    if (entry) return entry;
    const data = this.options.sessionData.ensureSymbol(symbol);
    const calendar = this.options.calendarFor(symbol);
    const derived = this.options.derivedIntervals
      .filter((d) => isDerivableFrom(d, interval))
      .map(
        (d) =>
          new DerivedBars(d, calendar, (iv, bar, revised) => {
            for (const l of this.derivedListeners) l(symbol, iv, bar, revised);
          }),
      );
    for (const d of derived) data.bars_derived.set(d.interval, d.completed);
    let start = this.sessionStart;
    if (start === undefined) {
      const first = this.firstTimestamp;
      start = Number.isNaN(first)
        ? -Infinity
        : Math.min(first, calendar.sessionAfter(first)?.open ?? first);
    }
    entry = {
      data,
      tracker: new GapTracker(symbol, interval, calendar, start),
      derived,
      lastQuality: null,
    };
    this.symbols.set(symbol, entry);
    return entry;
  }

  private async cycle(asOf: number, final: boolean): Promise<void> {
    // Symbols with a bar stream but no bar yet still expect bars.
    for (const data of this.options.sessionData.all()) {
      if (data.base_interval) this.entry(data.symbol, data.base_interval);
    }
    for (const entry of this.symbols.values()) {
      // A cycle runs once every item available by `asOf` has arrived: buckets ending by then
      // are complete.
      for (const d of entry.derived) d.advanceTo(asOf, true);
      for (const gap of entry.tracker.scan(entry.data.bars_base, asOf)) this.emitGap(gap);
      for (let round = 0; ; round++) {
        const due = entry.tracker.due(final ? Infinity : asOf);
        if (due.length === 0 || round > this.options.maxRetries + 1) break;
        await this.refill(entry, due, asOf);
        if (!final) break;
      }
      entry.data.bar_quality = entry.tracker.quality;
      entry.data.bars_updated = false;
      if (entry.tracker.quality !== entry.lastQuality) {
        entry.lastQuality = entry.tracker.quality;
        for (const l of this.qualityListeners) l(entry.data.symbol, entry.tracker.quality);
      }
    }
    this.cycles++;
    for (const l of this.cycleListeners) l(asOf);
  }

  /** One attempt at every due gap of a symbol, with a single fetch over their span. */
  private async refill(entry: SymbolUpkeep, due: Gap[], asOf: number): Promise<void> {
    const { tracker, data } = entry;
    const source = this.options.fillSource;
    const maxAttempts = this.options.maxRetries + 1;
    for (const gap of due) gap.attempts++;
    let error: string | undefined;
    let inserted: number[] = [];
    if (!source) {
      error = 'no fill source';
    } else {
      try {
        const start = due[0]!.start;
        const end = due[due.length - 1]!.end;
        const batch = await source.fetchBars(tracker.symbol, tracker.interval, start, end);
        inserted = this.insert(entry, due, batch.timestamp, batch.values, batch.length);
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
    }
    if (inserted.length > 0) {
      tracker.present += inserted.length;
      data.bars_updated = true;
      this.recomputeDerived(entry, inserted);
    }
    for (const gap of due) {
      if (error !== undefined) gap.lastError = error;
      if (gap.filled === gap.expected) gap.outcome = 'filled';
      else if (gap.attempts >= maxAttempts) gap.outcome = gap.filled > 0 ? 'partial' : 'missing';
      else gap.nextAttemptAt = asOf + this.checkMs * 2 ** (gap.attempts - 1);
      if (gap.outcome !== 'pending') {
        if (this.options.fillForward && gap.outcome !== 'filled') this.fillForward(entry, gap);
        this.emitGap(gap);
      }
    }
  }

  /** Inserts fetched bars that fall in a due gap; returns their timestamps. */
  private insert(
    entry: SymbolUpkeep,
    due: Gap[],
    ts: Float64Array,
    values: Float64Array[],
    length: number,
  ): number[] {
    const base = entry.data.bars_base;
    const inserted: number[] = [];
    let g = 0;
    for (let i = 0; i < length; i++) {
      const t = ts[i]!;
      while (g < due.length && due[g]!.end <= t) g++;
      if (g >= due.length) break;
      const gap = due[g]!;
      if (t < gap.start || (t - gap.start) % entry.tracker.stepMs !== 0) continue;
      const row = values.map((column) => column[i]!);
      if (base.insertOrdered(t, row)) {
        gap.filled++;
        inserted.push(t);
      }
    }
    return inserted;
  }

  private recomputeDerived(entry: SymbolUpkeep, inserted: number[]): void {
    for (const d of entry.derived) {
      let lastBucket = Number.NaN;
      for (const t of inserted) {
        const bucket = d.bucketOf(t);
        if (!bucket || bucket.start === lastBucket) continue;
        lastBucket = bucket.start;
        d.recompute(t, entry.data.bars_base);
      }
    }
  }

  /** LEAN's fill-forward: a flat synthetic bar at the previous close for each empty slot. */
  private fillForward(entry: SymbolUpkeep, gap: Gap): void {
    const base = entry.data.bars_base;
    for (let t = gap.start; t < gap.end; t += entry.tracker.stepMs) {
      const at = base.lowerBound(t);
      if (at < base.length && base.timestamp[at] === t) continue;
      if (at === 0) continue; // nothing before it to carry forward
      const close = base.values[3]![at - 1]!;
      base.insertOrdered(t, [close, close, close, close, 0], FLAG_SYNTHETIC);
    }
  }

  private emitGap(gap: Gap): void {
    for (const l of this.gapListeners) l(gap);
  }
}
