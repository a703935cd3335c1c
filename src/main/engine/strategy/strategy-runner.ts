/**
 * Runs a strategy inside the coordinator's loop (a batch consumer, no thread hop): for each
 * merged item, in order, it first delivers derived bars and latency-delayed orders that are
 * due, then lets the simulated broker see the item (fills come before the strategy hears of
 * it), then calls the handler. What the strategy can see is exactly what was available by the
 * backtest clock (docs/design.md §1).
 */
import { basename } from 'node:path';
import type { Interval } from '../../../shared/interval';
import {
  buildReport,
  type BacktestReport,
  type SymbolState,
} from '../../../shared/strategy/stats/backtest-report';
import type { ExecutionConfig } from '../../../shared/strategy/execution-config';
import { EquityCurve } from '../../../shared/strategy/stats/equity-curve';
import type {
  Side,
  Strategy,
  StrategyBar,
  StrategyContext,
  StrategyParams,
  StrategyQuote,
  StrategyTick,
} from '../../../shared/strategy/types';
import type { ExchangeCalendar } from '../../../shared/market/exchange-calendar';
import { BarHistory } from '../bar-history';
import type { ColumnStore } from '../column-store';
import type { CooperativeTask } from '../cooperative-tasks';
import { KIND_BAR, KIND_QUOTE, KIND_TICK, type EventBatch, type StreamInfo } from '../event-batch';
import type { SessionData } from '../session-data';
import { DerivedDelivery, type DerivedTrack } from './derived-delivery';
import { barView, quoteView, tickView } from './event-views';
import { LookBack } from './look-back';
import { SimulatedBroker, type PriceSource, type SymbolBook } from './simulated-broker';
import { StrategyUsageError, strategyFailure } from './strategy-error';
import type { LoadedStrategy } from './strategy-loader';
import { PlotSeries } from './plot-series';
import { makeStrategyContext } from './strategy-context';

export interface StrategyRunnerOptions {
  /** Null for a replay traded by hand only (the broker and the statistics still run). */
  loaded: LoadedStrategy | null;
  params: StrategyParams;
  execution: ExecutionConfig;
  sessionData: SessionData;
  /** Where look-backs read base bars (a bounded session released old days); default: memory only. */
  history?: BarHistory;
  /** The coordinator's registered streams (ids index EventBatch.stream). */
  streams: readonly StreamInfo[];
  derivedIntervals: readonly Interval[];
  calendarOf: (symbol: string) => ExchangeCalendar;
  log?: (line: string) => void;
  /** Keep fresh plot values for a live view. */
  live?: boolean;
}

/** A derived bar the upkeep revised after the strategy had been shown it. */
export interface DerivedRevision {
  symbol: string;
  interval: Interval;
  start: number;
  /** Backtest time the revision was noticed. */
  noticed_at: number;
}

interface StreamMeta {
  book: SymbolBook;
  /** The symbol's derived tracks (bar streams only), looked up once. */
  tracks: DerivedTrack[];
  /** Start of the symbol's last delivered base bar (what ctx.bars may read up to). */
  seen: { lastBarStart: number };
  symbol: string;
  interval: Interval | null;
  /** The stream's store columns, as of the batch being consumed (readColumns). */
  c0: Float64Array;
  c1: Float64Array;
  c2: Float64Array;
  c3: Float64Array;
  c4: Float64Array;
  /** The stream's event object, overwritten for each event (event-views.ts). */
  bar: StrategyBar;
  quote: StrategyQuote;
  tick: StrategyTick;
}

const NO_STRATEGY: Strategy = {};
const NO_COLUMN = new Float64Array(0);

export class StrategyRunner {
  readonly broker: SimulatedBroker;
  readonly curve: EquityCurve;
  readonly plots: PlotSeries;
  readonly revisions: DerivedRevision[] = [];
  readonly logLines: string[] = [];
  private readonly strategy: Strategy;
  private readonly file: string;
  private readonly derived: DerivedDelivery;
  private readonly meta: StreamMeta[] = [];
  /** Each derived interval's bar object, overwritten per delivery like the streams' ones. */
  private readonly derivedViews = new Map<DerivedTrack, StrategyBar>();
  private readonly lookBack: LookBack;
  private now = Number.NEGATIVE_INFINITY;
  private currentSymbol: string | undefined;
  private started = false;
  private ended = false;
  /** Set once the strategy failed: the session is stopping, nothing more is delivered. */
  failed: Error | null = null;
  readonly ctx: StrategyContext;
  /** The minute of the last event that sampled equity, [start, end) in ms; NaN before any. */
  private minuteStart = Number.NaN;
  private minuteEnd = Number.NaN;

  constructor(private readonly options: StrategyRunnerOptions) {
    this.file = options.loaded?.file ?? '(manual trading)';
    this.plots = new PlotSeries(options.live ?? false);
    const sources = new Map<string, PriceSource>();
    for (const info of options.streams) {
      const prev = sources.get(info.symbol);
      const source: PriceSource =
        info.type === 'quotes' ? 'quotes' : info.type === 'bars' ? 'bars' : 'ticks';
      if (!prev || rank(source) < rank(prev)) sources.set(info.symbol, source);
    }
    this.broker = new SimulatedBroker(
      options.execution,
      new Map([...sources].sort(([a], [b]) => (a < b ? -1 : 1))),
    );
    this.curve = new EquityCurve(options.execution.initial_cash);
    this.derived = new DerivedDelivery((track, row, end) => this.deliverDerived(track, row, end));
    this.lookBack = new LookBack(
      options.history ?? new BarHistory(options.sessionData, null),
      this.derived,
      new Set(this.broker.books.keys()),
    );
    for (const info of [...options.streams].sort((a, b) =>
      a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0,
    )) {
      if (info.type !== 'bars' || !info.interval) continue;
      const data = options.sessionData.getSymbolData(info.symbol)!;
      this.lookBack.addBaseStream(info.symbol, info.interval, data.bars_base);
      this.derived.addSymbol(
        info.symbol,
        info.interval,
        data.bars_base,
        options.derivedIntervals,
        options.calendarOf(info.symbol),
      );
    }
    for (const info of options.streams) {
      this.meta[info.id] = {
        book: this.broker.books.get(info.symbol)!,
        tracks: info.type === 'bars' ? this.derived.tracksOf(info.symbol) : [],
        seen: this.lookBack.seenOf(info.symbol),
        symbol: info.symbol,
        interval: info.interval,
        bar: barView(info.symbol, info.interval ?? '1s'),
        quote: quoteView(info.symbol),
        tick: tickView(info.symbol),
        c0: NO_COLUMN,
        c1: NO_COLUMN,
        c2: NO_COLUMN,
        c3: NO_COLUMN,
        c4: NO_COLUMN,
      };
    }
    this.strategy = NO_STRATEGY;
    this.ctx = makeStrategyContext({
      now: () => this.now,
      currentSymbol: () => this.currentSymbol,
      params: options.params,
      broker: this.broker,
      plots: this.plots,
      logLines: this.logLines,
      log: options.log,
      bars: (symbol, interval, n) => this.lookBack.bars(symbol, interval, n),
      calendarOf: options.calendarOf,
    });
    try {
      if (options.loaded) this.strategy = options.loaded.create(options.params);
    } catch (error) {
      throw strategyFailure(error, this.file, 'creating the strategy');
    }
  }

  get time(): number {
    return this.now;
  }

  /** The batch consumer. */
  readonly onBatch = (batch: EventBatch): void => {
    if (this.failed || this.ended) return;
    try {
      this.consume(batch);
    } catch (error) {
      this.failed = strategyFailure(error, this.file, this.during);
      throw this.failed;
    }
  };

  /**
   * A task that runs just before each upkeep cycle: buckets ending by the cycle are delivered
   * before a refill in that cycle could change what they hold. Add it before the upkeep.
   */
  preCycleTask(upkeep: { nextDue(): number }): CooperativeTask {
    let settled = Number.NEGATIVE_INFINITY;
    return {
      begin: () => undefined,
      nextDue: () => {
        const due = upkeep.nextDue();
        return due > settled ? due : Number.NaN;
      },
      runCycle: async (asOf) => {
        settled = asOf;
        if (!this.failed && !this.ended) this.guard(() => this.advanceTo(asOf, true));
      },
      finalCycle: async () => undefined,
    };
  }

  /**
   * A bounded session released the symbol's days before `before` (a Retention listener):
   * delivered derived bars of those days go too, where the session's history can give them
   * back (`sessionStore`: the upkeep's bars of an interval, null where it has none).
   */
  releaseBefore(
    symbol: string,
    before: number,
    sessionStore: (interval: Interval) => ColumnStore | undefined,
  ): void {
    this.derived.releaseBefore(symbol, before, sessionStore);
  }

  /** Base bars of `symbol` from this time on are still to be aggregated for a delivery. */
  pendingFrom(symbol: string): number {
    return this.derived.pendingFrom(symbol);
  }

  /** A derived interval's delivery track (diagnostics, tests). */
  deliveredOf(symbol: string, interval: Interval): DerivedTrack | undefined {
    return this.derived.track(symbol, interval);
  }

  /** Records a revision of a delivered bar (an upkeep derived-bar listener). */
  readonly onDerivedRevision = (
    symbol: string,
    interval: Interval,
    bar: { start: number },
    revised: boolean,
  ): void => {
    if (!revised) return;
    const track = this.derived.track(symbol, interval);
    if (!track) return;
    const at = track.delivered.lowerBound(bar.start);
    if (at < track.delivered.length && track.delivered.timestamp[at] === bar.start) {
      this.revisions.push({ symbol, interval, start: bar.start, noticed_at: this.now });
    }
  };

  /**
   * The session is over: a completed session delivers what time would have (remaining
   * buckets at their ends, latent orders), then onEnd. A stopped one goes straight to onEnd.
   */
  finish(completed: boolean): void {
    if (this.ended || this.failed) return;
    this.guard(() => {
      if (!this.started) this.begin(this.now);
      if (completed) this.advanceTo(Number.POSITIVE_INFINITY, true);
      this.during = 'onEnd';
      this.strategy.onEnd?.(this.ctx);
      this.sampleEquity();
    });
    this.ended = true;
  }

  /** The report as of now (also mid-session, for a live Performance panel). */
  report(): BacktestReport {
    const symbols: SymbolState[] = [...this.broker.books.values()].map((b) => ({
      symbol: b.symbol,
      position: b.position.position,
      avg_price: b.position.avgPrice,
      mark: b.mark,
      realized: b.position.realized,
      fees: b.position.fees,
    }));
    return buildReport({
      initial_cash: this.options.execution.initial_cash,
      ending_equity: this.broker.equity,
      fills: this.broker.fills,
      trips: this.broker.trips,
      symbols,
      max_drawdown_pct: this.curve.drawdown.max_pct,
      exposure_pct: this.curve.exposurePct,
      days: this.curve.days,
      strategy: this.options.loaded
        ? { file: basename(this.file), params: this.options.params }
        : null,
      execution: this.options.execution,
    });
  }

  /** A manual order (Buy/Sell during replay), filled by the same model. */
  manualOrder(side: Side, symbol: string, qty: number): number {
    const id = this.broker.place({ symbol, side, qty, type: 'market' }, 'manual', this.now);
    this.sampleEquity();
    return id;
  }

  /** Closes the symbol's position with a manual market order; null when already flat. */
  flatten(symbol: string): number | null {
    const book = this.broker.books.get(symbol);
    if (!book) throw new StrategyUsageError(`unknown symbol ${JSON.stringify(symbol)}`);
    const pos = book.position.position;
    if (pos === 0) return null;
    return this.manualOrder(pos > 0 ? 'sell' : 'buy', symbol, Math.abs(pos));
  }

  private during = 'onStart';

  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      this.failed = strategyFailure(error, this.file, this.during);
      throw this.failed;
    }
  }

  private begin(t: number): void {
    this.started = true;
    this.now = t;
    this.during = 'onStart';
    this.strategy.onStart?.(this.ctx);
  }

  /** Delivers due derived bars and activates due latent orders up to `t`, in time order. */
  private advanceTo(t: number, inclusive: boolean): void {
    const broker = this.broker;
    const derived = this.derived;
    for (;;) {
      const end = derived.nextEnd;
      const act = broker.nextActivation;
      const endDue = end !== Number.POSITIVE_INFINITY && (inclusive ? end <= t : end < t);
      // An order activating at X sees everything available at X, derived bars included.
      if (endDue && end <= act) {
        derived.deliverUntil(end, true);
      } else if (act !== Number.POSITIVE_INFINITY && (act < t || (inclusive && act <= t))) {
        this.now = act;
        broker.activateNext();
        this.sampleEquity();
      } else {
        break;
      }
    }
  }

  /**
   * Hands the batch over in runs of one kind (bars, quotes, ticks): each kind's loop calls one
   * handler and touches one kind of book update, so it stays small and its call site sees one
   * function. Merged data comes in such runs: a second's bars, then the quotes until the next.
   */
  private consume(batch: EventBatch): void {
    const n = batch.length;
    if (n === 0) return;
    if (!this.started) this.begin(batch.available[0]!);
    this.readColumns(batch);
    const kinds = batch.kind;
    for (let i = 0; i < n;) {
      const kind = kinds[i]!;
      if (kind === KIND_BAR) i = this.barRun(batch, i);
      else if (kind === KIND_QUOTE) i = this.quoteRun(batch, i);
      else i = this.tickRun(batch, i);
    }
  }

  /**
   * Points each stream at its store's value columns for this batch. The runner reads an item's
   * values by its store row: the merge has just appended them, so they are still in cache, and
   * nothing copies them into batch order first. A store may grow (new columns) between
   * batches, never during one.
   */
  private readColumns(batch: EventBatch): void {
    const stores = batch.stores;
    const meta = this.meta;
    for (let s = 0; s < meta.length; s++) {
      const m = meta[s];
      const store = stores[s];
      if (m === undefined || store === undefined) continue;
      const v = store.values;
      m.c0 = v[0] ?? NO_COLUMN;
      m.c1 = v[1] ?? NO_COLUMN;
      m.c2 = v[2] ?? NO_COLUMN;
      m.c3 = v[3] ?? NO_COLUMN;
      m.c4 = v[4] ?? NO_COLUMN;
    }
  }

  /** The bars from item `from` on, up to the next item of another kind; returns its index. */
  private barRun(batch: EventBatch, from: number): number {
    const n = batch.length;
    const kinds = batch.kind;
    const strategy = this.strategy;
    const onBar = strategy.onBar;
    const ctx = this.ctx;
    const broker = this.broker;
    const derived = this.derived;
    const fills = broker.fills;
    // Locals: a handler is a call the optimizer cannot see into, so fields would be reloaded.
    const metas = this.meta;
    const available = batch.available;
    const streams = batch.stream;
    const stamps = batch.timestamp;
    const rows = batch.row;
    this.during = 'onBar';
    let i = from;
    for (; i < n && kinds[i] === KIND_BAR; i++) {
      const a = available[i]!;
      const meta = metas[streams[i]!]!;
      // Derived bars due at `a` come after the base bars available at `a` (exclusive).
      if (derived.nextEnd < a || broker.nextActivation < a) {
        this.advanceTo(a, false);
        this.during = 'onBar';
      }
      this.now = a;
      const book = meta.book;
      const t = stamps[i]!;
      const row = rows[i]!;
      const o = meta.c0[row]!;
      const h = meta.c1[row]!;
      const l = meta.c2[row]!;
      const c = meta.c3[row]!;
      this.currentSymbol = meta.symbol;
      broker.bar(book, a, t, o, h, l, c);
      meta.seen.lastBarStart = t;
      if (meta.tracks.length > 0) derived.baseBar(meta.tracks, t);
      if (onBar) {
        // Every field is written, the symbol too: an author scribbling on the object changes
        // nothing the next event shows.
        const bar = meta.bar;
        bar.symbol = meta.symbol;
        bar.interval = meta.interval!;
        bar.timestamp = t;
        bar.open = o;
        bar.high = h;
        bar.low = l;
        bar.close = c;
        bar.volume = meta.c4[row]!;
        onBar.call(strategy, bar, ctx);
      }
      this.sampleAfter(a, book, fills.length);
    }
    return i;
  }

  private quoteRun(batch: EventBatch, from: number): number {
    const n = batch.length;
    const kinds = batch.kind;
    const strategy = this.strategy;
    const onQuote = strategy.onQuote;
    const ctx = this.ctx;
    const broker = this.broker;
    const derived = this.derived;
    const fills = broker.fills;
    // Locals: a handler is a call the optimizer cannot see into, so fields would be reloaded.
    const metas = this.meta;
    const available = batch.available;
    const streams = batch.stream;
    const stamps = batch.timestamp;
    const rows = batch.row;
    this.during = 'onQuote';
    let i = from;
    for (; i < n && kinds[i] === KIND_QUOTE; i++) {
      const a = available[i]!;
      const meta = metas[streams[i]!]!;
      if (derived.nextEnd <= a || broker.nextActivation < a) {
        this.advanceTo(a, true);
        this.during = 'onQuote';
      }
      this.now = a;
      const book = meta.book;
      const row = rows[i]!;
      const bid = meta.c0[row]!;
      const ask = meta.c1[row]!;
      const bidSize = meta.c2[row]!;
      const askSize = meta.c3[row]!;
      this.currentSymbol = meta.symbol;
      broker.quote(book, a, bid, ask, bidSize, askSize);
      if (onQuote) {
        const quote = meta.quote;
        quote.symbol = meta.symbol;
        quote.timestamp = stamps[i]!;
        quote.bid = bid;
        quote.ask = ask;
        quote.bid_size = bidSize;
        quote.ask_size = askSize;
        onQuote.call(strategy, quote, ctx);
      }
      this.sampleAfter(a, book, fills.length);
    }
    return i;
  }

  private tickRun(batch: EventBatch, from: number): number {
    const n = batch.length;
    const kinds = batch.kind;
    const strategy = this.strategy;
    const onTick = strategy.onTick;
    const ctx = this.ctx;
    const broker = this.broker;
    const derived = this.derived;
    const fills = broker.fills;
    // Locals: a handler is a call the optimizer cannot see into, so fields would be reloaded.
    const metas = this.meta;
    const available = batch.available;
    const streams = batch.stream;
    const stamps = batch.timestamp;
    const rows = batch.row;
    this.during = 'onTick';
    let i = from;
    for (; i < n && kinds[i] === KIND_TICK; i++) {
      const a = available[i]!;
      const meta = metas[streams[i]!]!;
      if (derived.nextEnd <= a || broker.nextActivation < a) {
        this.advanceTo(a, true);
        this.during = 'onTick';
      }
      this.now = a;
      const book = meta.book;
      const row = rows[i]!;
      const price = meta.c0[row]!;
      this.currentSymbol = meta.symbol;
      broker.trade(book, a, price);
      if (onTick) {
        const tick = meta.tick;
        tick.symbol = meta.symbol;
        tick.timestamp = stamps[i]!;
        tick.price = price;
        tick.size = meta.c1[row]!;
        onTick.call(strategy, tick, ctx);
      }
      this.sampleAfter(a, book, fills.length);
    }
    return i;
  }

  /**
   * After an item at `a`: a sample in each minute with events (the curve's resolution), and on
   * every item that can move equity (the book holds a position, or there were fills). The
   * minute's bounds are compared, the division is done once a minute.
   */
  private sampleAfter(a: number, book: SymbolBook, fills: number): void {
    if (a >= this.minuteStart && a < this.minuteEnd) {
      if (book.position.position === 0 && fills === this.sampledFills) return;
    } else {
      this.minuteStart = Math.floor(a / 60_000) * 60_000;
      this.minuteEnd = this.minuteStart + 60_000;
    }
    this.sampleEquity();
  }

  private sampledFills = 0;

  private sampleEquity(): void {
    const t = this.now;
    if (!Number.isFinite(t)) return;
    this.sampledFills = this.broker.fills.length;
    this.curve.sample(t, this.broker.equity, this.broker.exposed);
  }

  private deliverDerived(track: DerivedTrack, row: number, end: number): void {
    this.now = end;
    this.currentSymbol = track.symbol;
    const onBar = this.strategy.onBar;
    if (onBar) {
      this.during = `onBar (${track.interval})`;
      let bar = this.derivedViews.get(track);
      if (!bar) this.derivedViews.set(track, (bar = barView(track.symbol, track.interval)));
      const v = track.delivered.values;
      bar.symbol = track.symbol;
      bar.interval = track.interval;
      bar.timestamp = track.delivered.timestamp[row]!;
      bar.open = v[0]![row]!;
      bar.high = v[1]![row]!;
      bar.low = v[2]![row]!;
      bar.close = v[3]![row]!;
      bar.volume = v[4]![row]!;
      onBar.call(this.strategy, bar, this.ctx);
    }
    this.sampleEquity();
  }
}

function rank(source: PriceSource): number {
  return source === 'quotes' ? 0 : source === 'bars' ? 1 : 2;
}
