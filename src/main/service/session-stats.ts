/**
 * The panels' figures: per symbol bars, quality, gaps, last close, bid/ask and derived counts
 * (the seed plan's session-data table), and the coordinator's queue stats. Built as plain
 * objects a few times a second, never per item.
 */
import type { GapInfo, QueueStatInfo, SymbolInfo, SymbolStats } from '../../shared/ipc-contract';
import { largestGaps, summariseGaps, type GapSummary } from '../../shared/gap-summary';
import type { Interval } from '../../shared/interval';
import type { SymbolData } from '../engine/symbol-data';
import type { Session } from '../host/session-host';
import { qualityNote } from '../host/session-summary';

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
      derivedCounts[interval] = upkeep?.derivedOf(info.symbol, interval)?.completed.length ?? 0;
    }
    const quality = tracker ? tracker.quality : null;
    return {
      symbol: info.symbol,
      baseInterval: info.baseInterval,
      bars,
      quality,
      qualityNote:
        tracker && info.baseInterval
          ? qualityNote(info.symbol, info.baseInterval, tracker.quality, tracker.missingBars)
          : null,
      lastClose: data ? lastPrice(data) : null,
      bid: q >= 0 ? quotes!.values[0]![q]! : null,
      ask: q >= 0 ? quotes!.values[1]![q]! : null,
      derivedCounts,
      ...gapsOf(tracker?.gaps ?? []),
    };
  });
}

/** A summary of every gap and the largest few themselves: a few hundred bytes, not thousands of rows. */
function gapsOf(all: readonly GapInfo[]): { gaps: GapInfo[]; gapSummary: GapSummary } {
  const gaps = largestGaps(all).map((g): GapInfo => ({
    start: g.start,
    end: g.end,
    expected: g.expected,
    filled: g.filled,
    attempts: g.attempts,
    outcome: g.outcome,
  }));
  return { gaps, gapSummary: summariseGaps(all) };
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
