/**
 * The data upkeep (the seed plan's DataUpkeepThread), as a cooperative task beside the
 * coordinator, over the same session data: derived bars from every base bar as it passes,
 * and every `check_interval_seconds` a cycle that finds gaps, refills them with retry and
 * backoff, and measures bar quality. In a backtest, cycles and backoff run on backtest time,
 * so results never depend on speed; in live mode they run on wall time, paused or not.
 */
import { isDerivableFrom, type BaseInterval, type Interval } from '../../../shared/interval';
import type { BarFillSource, StreamBatch } from '../../../shared/stream-cursor';
import type { ExchangeCalendar } from '../../../shared/market/exchange-calendar';
import type { CooperativeTask } from '../cooperative-tasks';
import { FLAG_SYNTHETIC } from '../column-store';
import { KIND_BAR, type EventBatch, type StreamInfo } from '../event-batch';
import type { SessionData } from '../session-data';
import type { SymbolData } from '../symbol-data';
import type { WallClock } from '../wall-clock';
import { DerivedBars, type DerivedBar } from './derived-bars';
import { acceptFill, type RefusedRow } from './fill-acceptance';
import { FILLED, MISSING } from './gap-table';
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
  /**
   * Where the session's range ends (epoch ms), when it is known: each derived store is sized
   * once for the buckets its calendar has between the start and this.
   */
  sessionEnd?: number;
}

export type DerivedListener = (
  symbol: string,
  interval: Interval,
  bar: DerivedBar,
  revised: boolean,
) => void;
export type QualityListener = (symbol: string, quality: number | null) => void;
/** The gap as it is now (a snapshot); a range keeps its start as it grows or joins one before. */
export type GapListener = (gap: Readonly<Gap>) => void;
/** A line for the session log (refused refill rows, with the source and the reason). */
export type NoteListener = (message: string) => void;

interface SymbolUpkeep {
  data: SymbolData;
  tracker: GapTracker;
  derived: DerivedBars[];
  lastQuality: number | null;
}

export class DataUpkeep implements CooperativeTask {
  private readonly symbols = new Map<string, SymbolUpkeep>();
  /** The same entries as a list, for the per-cycle loop. */
  private readonly entries: SymbolUpkeep[] = [];
  private readonly checkMs: number;
  private next = Number.NaN;
  private readonly sessionStart: number | undefined;
  private firstTimestamp = Number.NaN;
  cycles = 0;
  private readonly derivedListeners = new Set<DerivedListener>();
  private readonly qualityListeners = new Set<QualityListener>();
  private readonly gapListeners = new Set<GapListener>();
  private readonly cycleListeners = new Set<(asOf: number) => void>();
  private readonly noteListeners = new Set<NoteListener>();
  /** Each bar stream's derived intervals, by stream index (a Map lookup per bar is too slow). */
  private readonly byStream: (DerivedBars[] | undefined)[] = [];
  /** Per stream, the run of rows a batch brought: first, last and how many (reused). */
  private runFirst = new Int32Array(0);
  private runLast = new Int32Array(0);
  private runCount = new Int32Array(0);
  private readonly touched: number[] = [];

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

  onNote(listener: NoteListener): () => void {
    this.noteListeners.add(listener);
    return () => this.noteListeners.delete(listener);
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

  /** The symbol's gaps overlapping [from, to), oldest first. */
  gapsBetween(symbol: string, from: number, to: number): Gap[] {
    return this.symbols.get(symbol)?.tracker.between(from, to) ?? [];
  }

  trackerOf(symbol: string): GapTracker | undefined {
    return this.symbols.get(symbol)?.tracker;
  }

  /** Base bars of `symbol` from this time on may still be read by the upkeep (-Infinity: all). */
  heldFrom(symbol: string): number {
    return this.symbols.get(symbol)?.tracker.heldFrom() ?? -Infinity;
  }

  /**
   * A bounded session released the symbol's base bars before `t`: its completed derived bars
   * starting before `t` go too, and its settled gaps ending before `t` are packed. Gap ids are
   * renumbered then, which is safe because Retention is a task: the task runner waits for a
   * cycle's fetches before it runs another task, so no refill holds ids meanwhile.
   */
  releaseBefore(symbol: string, t: number): void {
    const entry = this.symbols.get(symbol);
    if (!entry) return;
    for (const d of entry.derived) d.releaseBefore(t);
    entry.tracker.releaseBefore(t);
  }

  derivedOf(symbol: string, interval: Interval): DerivedBars | undefined {
    return this.symbols.get(symbol)?.derived.find((d) => d.interval === interval);
  }

  /**
   * A batch consumer: every base bar updates every derived interval of its symbol, O(1). A
   * stream's bars in a batch are consecutive rows of its store (the merge appends them), so
   * each stream's run is folded in as a range, one interval at a time.
   */
  readonly onBatch = (batch: EventBatch, streams: readonly StreamInfo[]): void => {
    if (batch.length === 0) return;
    // Live mode has no begin(): the first batch starts the clocks.
    this.begin(batch.clock[0]!, batch.timestamp[0]!);
    const byStream = this.byStream;
    if (this.runFirst.length < streams.length) this.growRuns(streams.length);
    const first = this.runFirst;
    const last = this.runLast;
    const count = this.runCount;
    const touched = this.touched;
    touched.length = 0;
    for (let i = 0; i < batch.length; i++) {
      if (batch.kind[i] !== KIND_BAR) continue;
      const s = batch.stream[i]!;
      const row = batch.row[i]!;
      if (count[s] === 0) {
        first[s] = row;
        touched.push(s);
      }
      last[s] = row;
      count[s]++;
    }
    for (const s of touched) {
      let derived = byStream[s];
      if (derived === undefined) {
        const info = streams[s]!;
        derived = byStream[s] = this.entry(info.symbol, info.interval!).derived;
      }
      const store = batch.stores[s]!;
      const from = first[s]!;
      const to = last[s]! + 1;
      if (derived.length > 0) DerivedBars.addRowsTo(derived, store, from, to);
      count[s] = 0;
    }
    const clock = batch.clock[batch.length - 1]!;
    for (const entry of this.entries) for (const d of entry.derived) d.advanceTo(clock, false);
  };

  private growRuns(streams: number): void {
    this.runFirst = new Int32Array(streams);
    this.runLast = new Int32Array(streams);
    this.runCount = new Int32Array(streams);
  }

  /** One cycle as of `asOf`: detect gaps up to it, refill what is due, update quality. */
  async runCycle(asOf: number): Promise<void> {
    const pending = this.runCycleNow(asOf);
    if (pending) await pending;
  }

  /**
   * The cycle at `asOf`, run at once: null when it finished without waiting (the usual case:
   * nothing to fetch, or a source that answers synchronously), else a promise of the rest.
   */
  runCycleNow(asOf: number): Promise<void> | null {
    const pending = this.cycle(asOf, false);
    if (pending) return pending.then(() => this.scheduleAfter(asOf));
    this.scheduleAfter(asOf);
    return null;
  }

  private scheduleAfter(asOf: number): void {
    while (this.next <= asOf) this.next += this.checkMs;
    this.skipIdleCycles();
  }

  /**
   * Live mode: cycles every check interval of wall time, whatever the system's state (the
   * plan: "always runs in live mode"), until `signal` aborts.
   */
  async runLive(wall: WallClock, signal: AbortSignal): Promise<void> {
    for (;;) {
      await wall.sleep(this.checkMs, signal);
      if (signal.aborted) return;
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

  private cycle(asOf: number, final: boolean): Promise<void> | void {
    // Symbols with a bar stream but no bar yet still expect bars.
    this.ensureEntries();
    return this.cycleFrom(this.entries, 0, asOf, final);
  }

  /** The cycle from the i-th symbol on; it waits only where a fetch must. */
  private cycleFrom(
    entries: SymbolUpkeep[],
    i: number,
    asOf: number,
    final: boolean,
  ): Promise<void> | void {
    for (; i < entries.length; i++) {
      const entry = entries[i]!;
      // A cycle runs once every item available by `asOf` has arrived: buckets ending by then
      // are complete.
      for (const d of entry.derived) d.advanceTo(asOf, true);
      const found = entry.tracker.scan(entry.data.bars_base, asOf);
      if (this.gapListeners.size > 0) for (const gap of found) this.emitGap(entry, gap);
      const pending = this.refillRounds(entry, asOf, final, 0);
      if (pending) {
        const next = i + 1;
        return pending.then(() => {
          this.measure(entry);
          return this.cycleFrom(entries, next, asOf, final);
        });
      }
      this.measure(entry);
    }
    this.cycles++;
    for (const l of this.cycleListeners) l(asOf);
  }

  private measure(entry: SymbolUpkeep): void {
    entry.data.bar_quality = entry.tracker.quality;
    entry.data.bars_updated = false;
    if (entry.tracker.quality !== entry.lastQuality) {
      entry.lastQuality = entry.tracker.quality;
      for (const l of this.qualityListeners) l(entry.data.symbol, entry.tracker.quality);
    }
  }

  /** Attempts every due gap; at the end of a session, rounds until every retry has run. */
  private refillRounds(
    entry: SymbolUpkeep,
    asOf: number,
    final: boolean,
    round: number,
  ): Promise<void> | void {
    for (; ; round++) {
      const due = entry.tracker.due(final ? Infinity : asOf);
      if (due.length === 0) return;
      const more = final && round <= this.options.maxRetries + 1;
      const pending = this.refill(entry, due, asOf);
      if (pending) {
        const next = round + 1;
        return more ? pending.then(() => this.refillRounds(entry, asOf, final, next)) : pending;
      }
      if (!more) return;
    }
  }

  /**
   * Cycles in which nothing can happen are skipped: no symbol has a slot closing (its market
   * is shut), no bucket ends and no retry is due. On sparse data over nights, weekends and
   * holidays that is most cycles; the next cycle stays on the same grid, so results do not
   * depend on the skipping.
   */
  private skipIdleCycles(): void {
    if (this.symbols.size === 0) return;
    let wake = Infinity;
    for (const entry of this.symbols.values()) {
      wake = Math.min(wake, entry.tracker.nextSlotEnd(), entry.tracker.nextAttemptDue());
      for (const d of entry.derived) {
        const f = d.forming;
        if (f) wake = Math.min(wake, f.end);
      }
    }
    if (!(wake > this.next) || wake === Infinity) return;
    this.next += Math.ceil((wake - this.next) / this.checkMs) * this.checkMs;
  }

  /**
   * Creates each bar symbol's gap tracker and derived-bar stores now, when the session's start
   * is known, instead of with the symbol's first batch: sizing a long session's derived stores
   * (tens of megabytes) is better done while the reader decodes the first slabs than once the
   * merge has them.
   */
  prepare(): void {
    if (this.sessionStart !== undefined) this.ensureEntries();
  }

  /** An entry for every symbol with a bar stream, whether its bars have come or not. */
  private ensureEntries(): void {
    const sessionData = this.options.sessionData;
    if (sessionData.barSymbolCount === this.entries.length) return;
    for (const data of sessionData.all()) {
      if (data.base_interval) this.entry(data.symbol, data.base_interval);
    }
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
    const end = this.options.sessionEnd;
    if (end !== undefined && Number.isFinite(start) && derived.length > 0) {
      const sessions = calendar.sessionsBetween(start, end);
      // A bounded session releases derived bars with their days: its fullest held days (and
      // the next one, which fills before the hourly release) are all a store ever holds.
      const held = this.options.sessionData.heldDays;
      for (const d of derived) {
        const buckets = sessions.map((s) => Math.ceil((s.close - s.open) / d.spanMs));
        if (held !== null) buckets.sort((a, b) => b - a).splice(held + 1);
        d.reserve(buckets.reduce((sum, b) => sum + b, 0));
      }
    }
    entry = {
      data,
      tracker: new GapTracker(symbol, interval, calendar, start),
      derived,
      lastQuality: null,
    };
    this.symbols.set(symbol, entry);
    this.entries.push(entry);
    return entry;
  }

  /**
   * One attempt at every due gap of a symbol. Gaps close together share one fetch (a cycle of
   * sparse 1s data finds dozens of short gaps within a minute); gaps far apart get their own,
   * so a fetch never reads the bars between them. `due` holds gap ids, oldest first.
   */
  private refill(entry: SymbolUpkeep, due: readonly number[], asOf: number): Promise<void> | void {
    const source = this.options.fillSource;
    if (!source) {
      for (const gap of due) this.finish(entry, gap, MISSING, 'no fill source');
      return;
    }
    return this.attemptGroups(entry, source, due, 0, asOf, []);
  }

  /** The fetches from the group starting at `due[from]` on, in order. */
  private attemptGroups(
    entry: SymbolUpkeep,
    source: BarFillSource,
    due: readonly number[],
    from: number,
    asOf: number,
    inserted: number[],
  ): Promise<void> | void {
    const t = entry.tracker.table;
    while (from < due.length) {
      let to = from + 1;
      while (to < due.length && t.pendingFrom[due[to]!]! - t.end[due[to - 1]!]! <= this.checkMs) {
        to++;
      }
      const group = from === 0 && to === due.length ? due : due.slice(from, to);
      from = to;
      const pending = this.attempt(entry, source, group, asOf, inserted);
      if (pending) {
        const next = from;
        return pending.then(() => this.attemptGroups(entry, source, due, next, asOf, inserted));
      }
    }
    if (inserted.length > 0) {
      entry.tracker.present += inserted.length;
      entry.data.bars_updated = true;
      this.recomputeDerived(entry, inserted);
    }
  }

  /** One fetch for a group of gaps: at once where the source can answer so, else awaited. */
  private attempt(
    entry: SymbolUpkeep,
    source: BarFillSource,
    group: readonly number[],
    asOf: number,
    inserted: number[],
  ): Promise<void> | void {
    const { tracker } = entry;
    const t = tracker.table;
    const start = t.pendingFrom[group[0]!]!;
    const end = t.end[group[group.length - 1]!]!;
    for (const gap of group) t.attempts[gap]++;
    tracker.touched();
    let batch: StreamBatch | undefined;
    try {
      batch = source.fetchBarsSync?.(tracker.symbol, tracker.interval, start, end);
    } catch (error) {
      this.failed(entry, group, error, asOf);
      return;
    }
    if (batch) {
      this.apply(entry, source, group, batch, start, end, inserted);
      return;
    }
    return source.fetchBars(tracker.symbol, tracker.interval, start, end).then(
      (answer) => this.apply(entry, source, group, answer, start, end, inserted),
      (error: unknown) => this.failed(entry, group, error, asOf),
    );
  }

  /** A failure may pass (a lock, a file being written): retry with backoff. */
  private failed(entry: SymbolUpkeep, group: readonly number[], e: unknown, asOf: number): void {
    const error = e instanceof Error ? e.message : String(e);
    const t = entry.tracker.table;
    for (const gap of group) {
      t.setReason(gap, error);
      const attempts = t.attempts[gap]!;
      if (attempts <= this.options.maxRetries) {
        entry.tracker.retryAt(gap, asOf + this.checkMs * 2 ** (attempts - 1));
      } else if (t.filled[gap]! > 0) {
        // Part of the range was filled before it grew: keep that part, settle the rest.
        this.settleSplit(entry, gap, error);
      } else {
        this.finish(entry, gap, MISSING);
      }
    }
    entry.tracker.touched();
  }

  /** Puts a source's answer in: accepted rows into their gaps, then each gap settled. */
  private apply(
    entry: SymbolUpkeep,
    source: BarFillSource,
    group: readonly number[],
    batch: StreamBatch,
    start: number,
    end: number,
    inserted: number[],
  ): void {
    const { tracker } = entry;
    if (batch.length === 0) {
      // The usual answer on sparse data (a no-trade second is in no store): nothing to sort.
      for (const gap of group) this.settleAnswered(entry, gap);
      return;
    }
    const t = tracker.table;
    const accepted = acceptFill(tracker.stepMs, t, group, batch, start, end);
    if (accepted.refused.length > 0) this.reportRefused(tracker, source, accepted.refused);
    for (let g = 0; g < group.length; g++) {
      const gap = group[g]!;
      let filled = 0;
      for (const row of accepted.rows[g]!) {
        const at = batch.timestamp[row]!;
        if (
          entry.data.insertBar(
            at,
            batch.values.map((column) => column[row]!),
          )
        ) {
          inserted.push(at);
          filled++;
        }
      }
      t.filled[gap] += filled;
      this.settleAnswered(entry, gap);
    }
  }

  /** The source answered for the whole gap: what it did not supply, it does not have. */
  private settleAnswered(entry: SymbolUpkeep, gap: number): void {
    const t = entry.tracker.table;
    const filled = t.filled[gap]!;
    if (filled === t.expected[gap]) this.finish(entry, gap, FILLED);
    // Nothing there: asking again would not change that.
    else if (filled === 0) this.finish(entry, gap, MISSING, NO_DATA);
    else this.settleSplit(entry, gap, NO_DATA);
  }

  private settleSplit(entry: SymbolUpkeep, gap: number, reason: string): void {
    const t = entry.tracker.table;
    for (const piece of entry.tracker.split(gap, entry.data.bars_base, reason)) {
      if (t.outcome[piece] === MISSING) this.afterMissing(entry, piece);
      this.emitGap(entry, piece);
    }
  }

  private finish(
    entry: SymbolUpkeep,
    gap: number,
    outcome: typeof FILLED | typeof MISSING,
    reason?: string,
  ): void {
    const kept = entry.tracker.settle(gap, outcome, reason);
    if (outcome === MISSING) this.afterMissing(entry, kept);
    this.emitGap(entry, kept);
  }

  private afterMissing(entry: SymbolUpkeep, gap: number): void {
    if (this.options.fillForward) this.fillForward(entry, gap);
  }

  private reportRefused(tracker: GapTracker, source: BarFillSource, refused: RefusedRow[]): void {
    tracker.refusedRows += refused.length;
    const byReason = new Map<string, RefusedRow[]>();
    for (const r of refused) byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), r]);
    for (const [reason, rows] of byReason) {
      const first = new Date(rows[0]!.timestamp).toISOString();
      const message =
        `${tracker.symbol} ${tracker.interval} refill from ${source.description}: refused ` +
        `${rows.length} row${rows.length === 1 ? '' : 's'} (${reason}; first at ${first})`;
      for (const l of this.noteListeners) l(message);
    }
  }

  private recomputeDerived(entry: SymbolUpkeep, inserted: number[]): void {
    inserted.sort((a, b) => a - b);
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
  private fillForward(entry: SymbolUpkeep, gap: number): void {
    const base = entry.data.bars_base;
    const table = entry.tracker.table;
    const end = table.end[gap]!;
    for (let t = table.start[gap]!; t < end; t += entry.tracker.stepMs) {
      const at = base.lowerBound(t);
      if (at < base.length && base.timestamp[at] === t) continue;
      if (at === 0) continue; // nothing before it to carry forward
      const close = base.values[3]![at - 1]!;
      entry.data.insertBar(t, [close, close, close, close, 0], FLAG_SYNTHETIC);
    }
  }

  /** Listeners hear of a gap as an object; none listening (a headless run) costs nothing. */
  private emitGap(entry: SymbolUpkeep, gap: number): void {
    if (this.gapListeners.size === 0) return;
    const record = entry.tracker.gap(gap);
    for (const l of this.gapListeners) l(record);
  }
}

const NO_DATA = 'no data in the fill source';
