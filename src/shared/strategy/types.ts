/**
 * What a strategy author writes against: the records a strategy receives, the context it acts
 * through, and the shape of its module. Pure types, shared by the engine, the hosts and the
 * README's examples (import them as `tapedeck/strategy`).
 */
import type { Interval } from '../interval';

export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop';
/** `strategy` for orders a strategy placed, `manual` for the replay's Buy/Sell/Flatten. */
export type OrderSource = 'strategy' | 'manual';

/**
 * A base bar or a completed derived bar. `timestamp` is the bar start (UTC epoch ms).
 *
 * The bar, quote and tick a handler receives are reused: each stream (and each derived
 * interval) has one object, overwritten with its next event, so nothing is allocated per
 * event. Read it during the handler; to keep one, copy it (`{ ...bar }`). A kept reference
 * later shows the stream's latest event. Bars from `ctx.bars()` are new objects, safe to keep.
 */
export interface StrategyBar {
  symbol: string;
  interval: Interval;
  timestamp: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A quote; reused per stream like {@link StrategyBar} (copy it to keep it). */
export interface StrategyQuote {
  symbol: string;
  timestamp: number;
  bid: number;
  ask: number;
  bid_size: number;
  ask_size: number;
}

/** A trade print; reused per stream like {@link StrategyBar} (copy it to keep it). */
export interface StrategyTick {
  symbol: string;
  timestamp: number;
  price: number;
  size: number;
}

export interface OrderRequest {
  symbol: string;
  side: Side;
  qty: number;
  type?: OrderType;
  /** The limit price (limit orders). */
  price?: number;
  /** The trigger price (stop orders). */
  stop?: number;
}

export type OrderOptions = Omit<OrderRequest, 'symbol' | 'side' | 'qty'>;

export type OrderStatus = 'pending' | 'working' | 'filled' | 'cancelled';

export interface OrderView {
  id: number;
  symbol: string;
  side: Side;
  type: OrderType;
  qty: number;
  filled: number;
  price: number | null;
  stop: number | null;
  status: OrderStatus;
  /** Backtest time the order was placed. */
  placed_at: number;
  /** Backtest time it becomes active (placed_at + latency). */
  active_at: number;
  source: OrderSource;
}

export interface Fill {
  /** 0-based, in fill order across the session. */
  seq: number;
  /** Backtest time of the fill (UTC epoch ms). */
  time: number;
  order_id: number;
  symbol: string;
  side: Side;
  qty: number;
  price: number;
  fee: number;
  source: OrderSource;
}

export interface PlotOptions {
  /** The chart to draw on; defaults to the symbol of the event being handled. */
  symbol?: string;
  color?: string;
}

export type ParamValue = number | boolean | string;
export type StrategyParams = Record<string, ParamValue>;

/** Everything a handler may do. Prices and cash are in the data's currency. */
export interface StrategyContext<P extends StrategyParams = StrategyParams> {
  /** The backtest clock (UTC epoch ms). */
  readonly time: number;
  readonly params: Readonly<P>;
  buy(symbol: string, qty: number, opts?: OrderOptions): number;
  sell(symbol: string, qty: number, opts?: OrderOptions): number;
  order(request: OrderRequest): number;
  /** False when the order had already filled or been cancelled. */
  cancel(id: number): boolean;
  /** Signed quantity: positive long, negative short, 0 flat. */
  position(symbol: string): number;
  /** Average entry price of the open position (FIFO lots); NaN when flat. */
  avgPrice(symbol: string): number;
  readonly cash: number;
  readonly equity: number;
  /** Orders not yet filled or cancelled. */
  orders(): OrderView[];
  /** The last `n` completed bars of an interval, oldest first; never one not yet available. */
  bars(symbol: string, interval: Interval, n: number): StrategyBar[];
  /**
   * The symbol's regular trading session holding `at` (default: the backtest clock), or the
   * next one, from its exchange calendar: `close` is 13:00 New York time on early-close days.
   * Null past the calendar's range. Use it rather than a fixed 16:00.
   */
  session(symbol: string, at?: number): StrategySession | null;
  plot(name: string, value: number, opts?: PlotOptions): void;
  log(...args: unknown[]): void;
}

/** A trading session as a strategy sees it (UTC epoch ms). */
export interface StrategySession {
  /** Exchange-local trading date, `YYYY-MM-DD`. */
  date: string;
  open: number;
  close: number;
  early_close: boolean;
}

/** A param: its default (a number, boolean or string), or a list of choices (the first is the
 * default), or a spec with a label. */
export type ParamSpec =
  | number
  | boolean
  | string
  | readonly string[]
  | { default: ParamValue; label?: string; choices?: readonly string[] };

export interface Strategy<P extends StrategyParams = StrategyParams> {
  params?: Record<string, ParamSpec>;
  onStart?(ctx: StrategyContext<P>): void;
  /** `bar` is reused for the stream's next bar: copy it (`{ ...bar }`) to keep it. */
  onBar?(bar: StrategyBar, ctx: StrategyContext<P>): void;
  /** `quote` is reused for the stream's next quote: copy it to keep it. */
  onQuote?(quote: StrategyQuote, ctx: StrategyContext<P>): void;
  /** `tick` is reused for the stream's next trade: copy it to keep it. */
  onTick?(tick: StrategyTick, ctx: StrategyContext<P>): void;
  onEnd?(ctx: StrategyContext<P>): void;
}

/**
 * A module's default export: the strategy object, or a function of the resolved params
 * returning one (which may carry `params` itself, for the defaults).
 */
export type StrategyExport<P extends StrategyParams = StrategyParams> =
  Strategy<P> | (((params: P) => Strategy<P>) & { params?: Record<string, ParamSpec> });
