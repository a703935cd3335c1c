/**
 * Coalesces the session's changes into SessionUpdates, at most one per frame (~16 ms), and
 * sends only what is new: completed base and derived bars appended since the last update,
 * the forming derived bars that changed, and new quotes. History before the batcher started
 * (a `startAt` jump, say) is not pushed: the renderer fetches it once with getBars.
 *
 * Cursors are kept per stream as the last time sent, not a row count, because a gap refill
 * inserts rows in the past and would shift any row index. Refilled bars older than what was
 * sent are therefore not re-sent here; getBars always has them.
 */
import type {
  BarColumns,
  FormingBar,
  QuoteColumns,
  SessionStatus,
  SessionUpdate,
  SymbolInfo,
} from '../../shared/ipc-contract';
import type { Interval } from '../../shared/interval';
import type { TradingUpdate } from '../../shared/strategy/trading-contract';
import type { SessionData } from '../engine/session-data';
import type { DataUpkeep } from '../engine/upkeep/data-upkeep';
import { thinPrints } from '../../shared/print-thinning';
import type { ColumnStore } from '../engine/column-store';
import { barColumns, formingBar, quoteColumns, tickColumns, upperBound } from './columns';
import type { StatsSnapshot } from './session-stats';

export interface FrameSource {
  sessionData: SessionData;
  upkeep: DataUpkeep | null;
  symbols: readonly SymbolInfo[];
  status(): SessionStatus;
  stats(): StatsSnapshot;
  /** Trading since the last call (positions and stats too when `withStats`). */
  trading?(withStats: boolean): TradingUpdate;
}

/** Wall time and a one-shot timer; tests hand in a manual one. */
export interface FrameTimer {
  now(): number;
  schedule(run: () => void, ms: number): () => void;
}

export const systemFrameTimer: FrameTimer = {
  now: () => Date.now(),
  schedule(run, ms) {
    const handle = setTimeout(run, ms);
    return () => clearTimeout(handle);
  },
};

export interface FrameOptions {
  /** Shortest time between two updates. */
  frameMs?: number;
  /** Shortest time between two updates that carry stats. */
  statsMs?: number;
  /**
   * Quotes per symbol per update; past it only the latest are sent (a chart cannot show more
   * than a few thousand per frame anyway). getQuotes still returns every quote.
   */
  maxQuotesPerFrame?: number;
  /** Trade prints per symbol per update; past it they are thinned (print-thinning.ts). */
  maxTicksPerFrame?: number;
  timer?: FrameTimer;
}

export class FrameBatcher {
  private readonly frameMs: number;
  private readonly statsMs: number;
  private readonly maxQuotes: number;
  private readonly maxTicks: number;
  private readonly timer: FrameTimer;
  private readonly sentBarTime = new Map<string, number>();
  private readonly sentQuoteRows = new Map<string, number>();
  private readonly sentTickRows = new Map<string, number>();
  private readonly sentForming = new Map<string, string | null>();
  private readonly revised = new Map<string, Set<Interval>>();
  /**
   * Bar series someone fetched (getBars): only theirs are pushed. The app shows a few series
   * at a time, and drops pushed bars of the others; flat out on 50 symbols of 1s bars, pushing
   * every series was about 7 MB of JSON a frame. A series is followed from the end of the
   * history its fetch returned.
   */
  private readonly followed = new Set<string>();
  private cancelFrame: (() => void) | null = null;
  private cancelTrailing: (() => void) | null = null;
  private lastFlushAt = -Infinity;
  private lastStatsAt = -Infinity;
  private statsPending = true;
  private closed = false;
  /** Updates sent so far. */
  updates = 0;

  constructor(
    private readonly source: FrameSource,
    private readonly emit: (update: SessionUpdate) => void,
    options: FrameOptions = {},
  ) {
    this.frameMs = options.frameMs ?? 16;
    this.statsMs = options.statsMs ?? 250;
    this.maxQuotes = options.maxQuotesPerFrame ?? 2000;
    this.maxTicks = options.maxTicksPerFrame ?? 2000;
    this.timer = options.timer ?? systemFrameTimer;
    this.skipToNow();
  }

  /** Something changed: an update goes out within a frame, never one per item. */
  markDirty(): void {
    this.statsPending = true;
    if (this.cancelFrame || this.closed) return;
    const wait = Math.max(0, this.lastFlushAt + this.frameMs - this.timer.now());
    this.cancelFrame = this.timer.schedule(() => {
      this.cancelFrame = null;
      this.flush(false);
    }, wait);
  }

  /**
   * Completed bars of a series changed at `time` (a refill). When that is at or before what
   * was sent, appending cannot show it: the next update names the series as revised.
   */
  markRevised(symbol: string, interval: Interval, time: number): void {
    if (time > (this.sentBarTime.get(key(symbol, interval)) ?? -Infinity)) return;
    let intervals = this.revised.get(symbol);
    if (!intervals) this.revised.set(symbol, (intervals = new Set()));
    intervals.add(interval);
    this.markDirty();
  }

  /** Pushes `symbol`'s `interval` bars from now on: those after `through`, the last fetched. */
  follow(symbol: string, interval: Interval, through: number): void {
    const k = key(symbol, interval);
    this.followed.add(k);
    this.sentBarTime.set(k, through);
  }

  /**
   * Sends what is pending now. `withStats` forces stats (state changes, the end), so the panels
   * never lag a pause.
   */
  flush(withStats: boolean): void {
    if (this.closed) return;
    this.cancelFrame?.();
    this.cancelFrame = null;
    const now = this.timer.now();
    this.lastFlushAt = now;
    const update: SessionUpdate = {
      status: this.source.status(),
      bars: {},
      forming: {},
      quotes: {},
    };
    for (const info of this.source.symbols) this.collect(info, update);
    if (this.revised.size > 0) {
      update.revised = Object.fromEntries([...this.revised].map(([s, set]) => [s, [...set]]));
      this.revised.clear();
    }
    const statsDue = now - this.lastStatsAt >= this.statsMs;
    const statsNow = withStats || (this.statsPending && statsDue);
    if (this.source.trading) update.trading = this.source.trading(statsNow);
    if (statsNow) {
      Object.assign(update, this.source.stats());
      this.lastStatsAt = now;
      this.statsPending = false;
      this.cancelTrailing?.();
      this.cancelTrailing = null;
    } else if (this.statsPending && !this.cancelTrailing) {
      // Trailing stats: the last change is shown even when nothing follows it.
      this.cancelTrailing = this.timer.schedule(
        () => {
          this.cancelTrailing = null;
          this.flush(false);
        },
        this.lastStatsAt + this.statsMs - now,
      );
    }
    this.updates++;
    this.emit(update);
  }

  close(): void {
    this.closed = true;
    this.cancelFrame?.();
    this.cancelFrame = null;
    this.cancelTrailing?.();
    this.cancelTrailing = null;
  }

  /** Moves every cursor to the end of what is held: that much the renderer gets by request. */
  private skipToNow(): void {
    for (const info of this.source.symbols) {
      const data = this.source.sessionData.getSymbolData(info.symbol);
      if (!data) continue;
      if (info.baseInterval) {
        this.sentBarTime.set(
          key(info.symbol, info.baseInterval),
          heldThrough(data.released.lastTime, data.bars_base),
        );
      }
      this.sentQuoteRows.set(info.symbol, data.quotes.length);
      this.sentTickRows.set(info.symbol, data.ticks.length);
      for (const interval of info.derivedIntervals) {
        const derived = this.source.upkeep?.derivedOf(info.symbol, interval);
        this.sentBarTime.set(
          key(info.symbol, interval),
          derived ? heldThrough(derived.releasedLast, derived.completed) : -Infinity,
        );
        const forming = derived?.forming;
        this.sentForming.set(
          key(info.symbol, interval),
          forming ? signature(formingBar(forming)) : null,
        );
      }
    }
  }

  /**
   * Bars not sent yet that a bounded session released before this frame (a fast replay over a
   * day's end) cannot be appended: the chart refetches the series, which reads them back. They
   * count as sent from then on, even when nothing is held after them, so the refetch is asked
   * for once.
   */
  private releasedUnsent(
    k: string,
    symbol: string,
    interval: Interval,
    releasedLast: number,
    held: { length: number; timestamp: Float64Array },
  ): void {
    if (releasedLast <= (this.sentBarTime.get(k) ?? -Infinity)) return;
    this.sentBarTime.set(k, heldThrough(releasedLast, held));
    this.markRevised(symbol, interval, -Infinity);
  }

  private collect(info: SymbolInfo, update: SessionUpdate): void {
    const symbol = info.symbol;
    const data = this.source.sessionData.getSymbolData(symbol);
    if (!data) return;
    const bars: Partial<Record<Interval, BarColumns>> = {};
    const forming: Partial<Record<Interval, FormingBar | null>> = {};
    const base = info.baseInterval ? key(symbol, info.baseInterval) : null;
    if (info.baseInterval && base !== null && this.followed.has(base)) {
      this.releasedUnsent(base, symbol, info.baseInterval, data.released.lastTime, data.bars_base);
      const appended = this.appended(base, data.bars_base);
      if (appended) bars[info.baseInterval] = appended;
    }
    for (const interval of info.derivedIntervals) {
      const derived = this.source.upkeep?.derivedOf(symbol, interval);
      if (!derived) continue;
      const k = key(symbol, interval);
      if (this.followed.has(k)) {
        this.releasedUnsent(k, symbol, interval, derived.releasedLast, derived.completed);
        const appended = this.appended(k, derived.completed);
        if (appended) bars[interval] = appended;
      }
      // Forming bars go for every series: they are small, and a chart that starts one shows it.
      const bar = derived.forming ? formingBar(derived.forming) : null;
      const sig = bar ? signature(bar) : null;
      if (sig !== (this.sentForming.get(k) ?? null)) {
        forming[interval] = bar;
        this.sentForming.set(k, sig);
      }
    }
    if (Object.keys(bars).length > 0) update.bars[symbol] = bars;
    if (Object.keys(forming).length > 0) update.forming[symbol] = forming;
    const quotes = this.newQuotes(symbol, data.quotes, update);
    if (quotes) update.quotes[symbol] = quotes;
    // A symbol with bars is charted by them; its ticks stay in the session for the panels.
    if (info.hasTicks && !info.baseInterval) this.newTicks(symbol, data.ticks, update);
  }

  private newTicks(symbol: string, store: ColumnStore, update: SessionUpdate): void {
    const from = this.sentTickRows.get(symbol) ?? 0;
    const to = store.length;
    if (to <= from) return;
    this.sentTickRows.set(symbol, to);
    let pick: number[] | undefined;
    if (to - from > this.maxTicks) {
      pick = thinPrints(store.timestamp, store.values[0]!, from, to, this.maxTicks);
      (update.ticksThinned ??= {})[symbol] = to - from - pick.length;
    }
    (update.ticks ??= {})[symbol] = tickColumns(store, from, to, pick);
  }

  private appended(k: string, store: ColumnStore): BarColumns | null {
    const from = upperBound(store, this.sentBarTime.get(k) ?? -Infinity);
    const to = store.length;
    if (from >= to) return null;
    this.sentBarTime.set(k, store.timestamp[to - 1]!);
    return barColumns(store, from, to);
  }

  private newQuotes(
    symbol: string,
    store: Parameters<typeof quoteColumns>[0],
    update: SessionUpdate,
  ): QuoteColumns | null {
    const sent = this.sentQuoteRows.get(symbol) ?? 0;
    const to = store.length;
    if (to <= sent) return null;
    this.sentQuoteRows.set(symbol, to);
    const from = Math.max(sent, to - this.maxQuotes);
    if (from > sent) (update.quotesDropped ??= {})[symbol] = from - sent;
    return quoteColumns(store, from, to);
  }
}

function key(symbol: string, interval: Interval): string {
  return `${symbol}|${interval}`;
}

function lastTime(store: { length: number; timestamp: Float64Array }): number {
  return store.length === 0 ? -Infinity : store.timestamp[store.length - 1]!;
}

/** The last bar a series has had: held, or released (`releasedLast`) when nothing is held. */
function heldThrough(
  releasedLast: number,
  held: { length: number; timestamp: Float64Array },
): number {
  return Math.max(releasedLast, lastTime(held));
}

function signature(bar: FormingBar): string {
  return `${bar.time},${bar.high},${bar.low},${bar.close},${bar.volume},${bar.baseBars}`;
}
