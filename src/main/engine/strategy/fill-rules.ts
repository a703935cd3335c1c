/**
 * The default fill model as small pure functions of the book at one instant (the matching
 * engine's rules kept apart from its bookkeeping). A buy pays the ask and a sell gets the bid;
 * without quotes, a bar's open/high/low stand in for the book over the bar.
 */
import type { Side } from '../../../shared/strategy/types';
import type { ExecutionConfig } from '../../../shared/strategy/execution-config';

/** Market and stop fills move against the order by `bps` basis points. */
export function slipped(price: number, side: Side, bps: number): number {
  if (bps === 0) return price;
  return side === 'buy' ? price * (1 + bps / 10_000) : price * (1 - bps / 10_000);
}

/**
 * The fee of one fill: per share, plus per order on the order's first fill, at least the
 * minimum on that first fill.
 */
export function commission(
  qty: number,
  firstFill: boolean,
  c: ExecutionConfig['commission'],
): number {
  const fee = c.per_share * qty + (firstFill ? c.per_order : 0);
  return firstFill && fee < c.minimum ? c.minimum : fee;
}

/** A limit against a quote: a buy fills at the ask once it is at or below the limit. */
export function limitOnQuote(side: Side, limit: number, bid: number, ask: number): number {
  if (side === 'buy') return ask <= limit ? ask : Number.NaN;
  return bid >= limit ? bid : Number.NaN;
}

/** A stop against a quote: triggered once the side's price reaches it. */
export function stopTriggeredOnQuote(side: Side, stop: number, bid: number, ask: number): boolean {
  return side === 'buy' ? ask >= stop : bid <= stop;
}

/**
 * A limit against a bar: touched when the low (buy) or high (sell) reaches it; fills at the
 * limit, or at the open when the bar opened through it.
 */
export function limitOnBar(
  side: Side,
  limit: number,
  open: number,
  high: number,
  low: number,
): number {
  if (side === 'buy') return low <= limit ? Math.min(open, limit) : Number.NaN;
  return high >= limit ? Math.max(open, limit) : Number.NaN;
}

/** A stop against a bar: fills at the stop, or at the open when the bar gapped through it. */
export function stopOnBar(
  side: Side,
  stop: number,
  open: number,
  high: number,
  low: number,
): number {
  if (side === 'buy') return high >= stop ? Math.max(open, stop) : Number.NaN;
  return low <= stop ? Math.min(open, stop) : Number.NaN;
}

/** A limit against a trade print. */
export function limitOnTrade(side: Side, limit: number, price: number): number {
  return (side === 'buy' ? price <= limit : price >= limit) ? price : Number.NaN;
}

export function stopTriggeredOnTrade(side: Side, stop: number, price: number): boolean {
  return side === 'buy' ? price >= stop : price <= stop;
}
