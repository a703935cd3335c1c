/**
 * The renderer's copy of what the engine streamed, per symbol × interval, for the series a
 * chart shows. A series is loaded once (getBars when first shown, or after a reload) and then
 * only appended to from SessionUpdates. Updates that arrive while its history is in flight are
 * buffered and applied on top, and appends skip bars the history already holds, so the join
 * is exact whatever the order of response and pushes.
 */
import type {
  BarColumns,
  FormingBar,
  QuoteColumns,
  SessionUpdate,
  TickColumns,
} from '../../../shared/ipc-contract';
import type { Interval } from '../../../shared/interval';
import { BarSeries, liveForming } from './bar-series';
import { QuoteSeries } from './quote-series';
import { TradeSeries } from './trade-series';

export type LoadState = 'loading' | 'ready' | 'failed';

export interface BarSeriesState {
  readonly symbol: string;
  readonly interval: Interval;
  state: LoadState;
  bars: BarSeries;
  forming: FormingBar | null;
  /** Bumped by every change, for cheap "anything new?" checks once per frame. */
  version: number;
  pending: BarColumns[];
  pendingForming: FormingBar | null | undefined;
}

export interface QuoteSeriesState {
  readonly symbol: string;
  state: LoadState;
  quotes: QuoteSeries;
  version: number;
  pending: QuoteColumns[];
}

/** A ticks-only symbol's trade prints (a symbol with bars is charted by them). */
export interface TradeSeriesState {
  readonly symbol: string;
  state: LoadState;
  prints: TradeSeries;
  version: number;
  pending: TickColumns[];
}

export function seriesKey(symbol: string, interval: Interval): string {
  return `${symbol}|${interval}`;
}

export class SeriesStore {
  private readonly barSeries = new Map<string, BarSeriesState>();
  private readonly quoteSeries = new Map<string, QuoteSeriesState>();
  private readonly tradeSeries = new Map<string, TradeSeriesState>();
  /**
   * The latest forming bar of every symbol × interval, shown or not: the host sends a forming
   * bar only when it changes, so a series loaded later starts from the one last heard of.
   */
  private readonly latestForming = new Map<string, FormingBar | null>();
  /** Bumped on clear(), so loads started before it are ignored when they land. */
  private generation = 0;

  bars(symbol: string, interval: Interval): BarSeriesState | undefined {
    return this.barSeries.get(seriesKey(symbol, interval));
  }

  quotes(symbol: string): QuoteSeriesState | undefined {
    return this.quoteSeries.get(symbol);
  }

  trades(symbol: string): TradeSeriesState | undefined {
    return this.tradeSeries.get(symbol);
  }

  /** Forget everything (a new session or a resync). */
  clear(forming: SessionUpdate['forming'] = {}): void {
    this.barSeries.clear();
    this.quoteSeries.clear();
    this.tradeSeries.clear();
    this.latestForming.clear();
    this.rememberForming(forming);
    this.generation += 1;
  }

  /**
   * Drops a loaded bar series so it loads again: a gap refill put bars into history the host
   * does not push again (SessionUpdate.revised), so the chart redraws from getBars once.
   */
  invalidate(symbol: string, interval: Interval): void {
    this.barSeries.delete(seriesKey(symbol, interval));
  }

  formingOf(symbol: string, interval: Interval): FormingBar | null {
    return this.latestForming.get(seriesKey(symbol, interval)) ?? null;
  }

  private rememberForming(forming: SessionUpdate['forming']): void {
    for (const [symbol, byInterval] of Object.entries(forming)) {
      for (const [interval, bar] of Object.entries(byInterval)) {
        if (bar !== undefined) this.latestForming.set(seriesKey(symbol, interval as Interval), bar);
      }
    }
  }

  get currentGeneration(): number {
    return this.generation;
  }

  /** Marks a series as loading; returns false when it is already loading or loaded. */
  beginBars(symbol: string, interval: Interval): boolean {
    const key = seriesKey(symbol, interval);
    const existing = this.barSeries.get(key);
    if (existing && existing.state !== 'failed') return false;
    this.barSeries.set(key, {
      symbol,
      interval,
      state: 'loading',
      bars: new BarSeries(),
      forming: null,
      version: 0,
      pending: [],
      pendingForming: undefined,
    });
    return true;
  }

  completeBars(symbol: string, interval: Interval, history: BarColumns): void {
    const s = this.barSeries.get(seriesKey(symbol, interval));
    if (!s || s.state !== 'loading') return;
    s.bars.reset(history);
    s.forming = this.formingOf(symbol, interval);
    for (const columns of s.pending) s.bars.append(columns);
    if (s.pendingForming !== undefined) s.forming = s.pendingForming;
    s.forming = liveForming(s.forming, s.bars.lastTime);
    s.pending = [];
    s.pendingForming = undefined;
    s.state = 'ready';
    s.version += 1;
  }

  failBars(symbol: string, interval: Interval): void {
    const s = this.barSeries.get(seriesKey(symbol, interval));
    if (s) s.state = 'failed';
  }

  beginQuotes(symbol: string): boolean {
    const existing = this.quoteSeries.get(symbol);
    if (existing && existing.state !== 'failed') return false;
    this.quoteSeries.set(symbol, {
      symbol,
      state: 'loading',
      quotes: new QuoteSeries(),
      version: 0,
      pending: [],
    });
    return true;
  }

  completeQuotes(symbol: string, history: QuoteColumns): void {
    const s = this.quoteSeries.get(symbol);
    if (!s || s.state !== 'loading') return;
    s.quotes.reset(history);
    for (const columns of s.pending) s.quotes.append(columns);
    s.pending = [];
    s.state = 'ready';
    s.version += 1;
  }

  /**
   * Forgets a symbol's quotes (the host dropped some from its pushes): a chart showing them
   * asks for them again, whole, with getQuotes.
   */
  forgetQuotes(symbol: string): boolean {
    const s = this.quoteSeries.get(symbol);
    if (!s || s.state === 'loading') return false;
    this.quoteSeries.delete(symbol);
    return true;
  }

  beginTrades(symbol: string): boolean {
    const existing = this.tradeSeries.get(symbol);
    if (existing && existing.state !== 'failed') return false;
    this.tradeSeries.set(symbol, {
      symbol,
      state: 'loading',
      prints: new TradeSeries(),
      version: 0,
      pending: [],
    });
    return true;
  }

  completeTrades(symbol: string, history: TickColumns): void {
    const s = this.tradeSeries.get(symbol);
    if (!s || s.state !== 'loading') return;
    s.prints.reset(history);
    // Pushes that overlap the history are older than its last print, and dropped by append.
    for (const columns of s.pending) s.prints.append(columns);
    s.pending = [];
    s.state = 'ready';
    s.version += 1;
  }

  failTrades(symbol: string): void {
    const s = this.tradeSeries.get(symbol);
    if (s) s.state = 'failed';
  }

  failQuotes(symbol: string): void {
    const s = this.quoteSeries.get(symbol);
    if (s) s.state = 'failed';
  }

  /** Applies one pushed update to every series being shown; others are not kept. */
  apply(update: SessionUpdate): void {
    this.rememberForming(update.forming);
    for (const [symbol, intervals] of Object.entries(update.revised ?? {})) {
      for (const interval of intervals) this.invalidate(symbol, interval);
    }
    for (const [symbol, byInterval] of Object.entries(update.bars)) {
      for (const [interval, columns] of Object.entries(byInterval)) {
        if (!columns || columns.time.length === 0) continue;
        const s = this.barSeries.get(seriesKey(symbol, interval as Interval));
        if (!s) continue;
        if (s.state === 'loading') s.pending.push(columns);
        else if (s.state === 'ready') {
          s.bars.append(columns);
          s.forming = liveForming(s.forming, s.bars.lastTime);
          s.version += 1;
        }
      }
    }
    for (const [symbol, byInterval] of Object.entries(update.forming)) {
      for (const [interval, forming] of Object.entries(byInterval)) {
        if (forming === undefined) continue;
        const s = this.barSeries.get(seriesKey(symbol, interval as Interval));
        if (!s) continue;
        if (s.state === 'loading') s.pendingForming = forming;
        else if (s.state === 'ready') {
          s.forming = liveForming(forming, s.bars.lastTime);
          s.version += 1;
        }
      }
    }
    for (const [symbol, columns] of Object.entries(update.ticks ?? {})) {
      const s = this.tradeSeries.get(symbol);
      if (!s || columns.time.length === 0) continue;
      if (s.state === 'loading') s.pending.push(columns);
      else if (s.state === 'ready') {
        s.prints.append(columns);
        s.version += 1;
      }
    }
    for (const [symbol, columns] of Object.entries(update.quotes)) {
      if (columns.time.length === 0) continue;
      const s = this.quoteSeries.get(symbol);
      if (!s) continue;
      if (s.state === 'loading') s.pending.push(columns);
      else if (s.state === 'ready') {
        s.quotes.append(columns);
        s.version += 1;
      }
    }
  }
}
