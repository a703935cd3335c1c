/**
 * The panels' figures: per symbol bars, quality, gaps, last close, bid/ask and derived counts
 * (the seed plan's session-data table), and the coordinator's queue stats. Built as plain
 * objects a few times a second, never per item.
 */
import type { QueueStatInfo, SymbolInfo, SymbolStats } from '../../shared/ipc-contract';
import { summariseGaps } from '../../shared/gap-summary';
import { gapSummaryOf, largestGapsOf } from '../engine/upkeep/gap-overview';
import type { Interval } from '../../shared/interval';
import type { SymbolData } from '../engine/symbol-data';
import type { Session } from '../host/session-host';
import { qualityNote } from '../host/session-summary';
import { PricePrecision } from '../../shared/price-precision';

export interface StatsSnapshot {
  stats: SymbolStats[];
  queues: QueueStatInfo[];
  queueText: string[];
}

/** The last close, or for a symbol without bars its last trade (or else its last mid quote). */
export function lastPrice(data: SymbolData): number | null {
  const bars = data.bars_base.length;
  if (bars > 0) return data.bars_base.values[3]![bars - 1]!;
  const t = data.ticks.length;
  if (t > 0) return data.ticks.values[0]![t - 1]!;
  const q = data.quotes.length;
  if (q > 0) return (data.quotes.values[0]![q - 1]! + data.quotes.values[1]![q - 1]!) / 2;
  return null;
}

/** A symbol's price precision and how far into each of its stores it has read. */
interface PrecisionState {
  precision: PricePrecision;
  bars: number;
  quotes: number;
  ticks: number;
}

const precisions = new WeakMap<Session, Map<string, PrecisionState>>();

/**
 * The decimals of a symbol's prices, from the rows added since the last call (bars' OHLC,
 * bid and ask, trade prices). Rows a refill inserts in the past may go unread; they are of
 * the same instrument, so its precision does not hinge on them.
 */
export function pricePrecision(session: Session, symbol: string, data: SymbolData): number {
  let bySymbol = precisions.get(session);
  if (!bySymbol) precisions.set(session, (bySymbol = new Map()));
  let state = bySymbol.get(symbol);
  if (!state) {
    state = { precision: new PricePrecision(), bars: 0, quotes: 0, ticks: 0 };
    bySymbol.set(symbol, state);
  }
  const { precision } = state;
  const bars = data.bars_base;
  if (bars.length > state.bars) {
    for (let c = 0; c < 4; c++) precision.observe(bars.values[c]!, state.bars, bars.length);
    state.bars = bars.length;
  }
  if (data.quotes.length > state.quotes) {
    for (let c = 0; c < 2; c++) {
      precision.observe(data.quotes.values[c]!, state.quotes, data.quotes.length);
    }
    state.quotes = data.quotes.length;
  }
  if (data.ticks.length > state.ticks) {
    precision.observe(data.ticks.values[0]!, state.ticks, data.ticks.length);
    state.ticks = data.ticks.length;
  }
  return precision.decimals;
}

export function symbolStats(session: Session, symbols: readonly SymbolInfo[]): SymbolStats[] {
  const { sessionData, upkeep } = session;
  return symbols.map((info) => {
    const data = sessionData.getSymbolData(info.symbol);
    const tracker = upkeep?.trackerOf(info.symbol);
    const bars = data?.baseBarCount ?? 0;
    const quotes = data?.quotes;
    const q = quotes && quotes.length > 0 ? quotes.length - 1 : -1;
    const derivedCounts: Partial<Record<Interval, number>> = {};
    for (const interval of info.derivedIntervals) {
      derivedCounts[interval] = upkeep?.derivedOf(info.symbol, interval)?.count ?? 0;
    }
    const quality = tracker ? tracker.quality : null;
    return {
      symbol: info.symbol,
      baseInterval: info.baseInterval,
      bars,
      heldBars: data?.bars_base.length ?? 0,
      quality,
      qualityNote:
        tracker && info.baseInterval
          ? qualityNote(info.symbol, info.baseInterval, tracker.quality, tracker.missingBars)
          : null,
      lastClose: data ? lastPrice(data) : null,
      bid: q >= 0 ? quotes!.values[0]![q]! : null,
      ask: q >= 0 ? quotes!.values[1]![q]! : null,
      ...(data ? { pricePrecision: pricePrecision(session, info.symbol, data) } : {}),
      derivedCounts,
      ...(tracker
        ? { gaps: largestGapsOf(tracker), gapSummary: gapSummaryOf(tracker) }
        : { gaps: [], gapSummary: summariseGaps([]) }),
    };
  });
}

export function queueStats(session: Session): QueueStatInfo[] {
  return session.coordinator.getQueueStats().map((s) => ({
    symbol: s.symbol,
    stream: s.type === 'bars' ? (s.interval ?? 'bars') : s.type,
    items: s.items,
    first: s.first,
    last: s.last,
    staleSkipped: s.stale_skipped,
  }));
}

export function statsSnapshot(session: Session, symbols: readonly SymbolInfo[]): StatsSnapshot {
  const text = session.coordinator.formatQueueStats();
  return {
    stats: symbolStats(session, symbols),
    queues: queueStats(session),
    queueText: text === '' ? [] : text.split('\n'),
  };
}
