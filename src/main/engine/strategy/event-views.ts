/**
 * The records handed to onBar, onQuote and onTick. Each stream (and each derived interval of a
 * symbol) has one object, made once and overwritten in place for every event: a run of millions
 * of events allocates nothing per event (the author contract says handlers must not keep them;
 * a copy such as `{ ...bar }` is theirs to keep). They are plain objects with own data
 * properties, so spreading, JSON and logging show the current event, and every bar object has
 * the same shape (one hidden class at the author's property reads).
 */
import type { Interval } from '../../../shared/interval';
import type { StrategyBar, StrategyQuote, StrategyTick } from '../../../shared/strategy/types';

export function barView(symbol: string, interval: Interval): StrategyBar {
  return {
    symbol,
    interval,
    timestamp: Number.NaN,
    open: Number.NaN,
    high: Number.NaN,
    low: Number.NaN,
    close: Number.NaN,
    volume: Number.NaN,
  };
}

export function quoteView(symbol: string): StrategyQuote {
  return {
    symbol,
    timestamp: Number.NaN,
    bid: Number.NaN,
    ask: Number.NaN,
    bid_size: Number.NaN,
    ask_size: Number.NaN,
  };
}

export function tickView(symbol: string): StrategyTick {
  return { symbol, timestamp: Number.NaN, price: Number.NaN, size: Number.NaN };
}
