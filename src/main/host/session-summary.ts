/**
 * The `--summary` JSON: what a run did, in a shape other tools can rely on.
 */
import type { Session } from './session-host';

export interface GapSummary {
  start: string;
  end: string;
  expected: number;
  filled: number;
  attempts: number;
  outcome: string;
  /** Why a missing range stayed missing ("no data in the fill source", an error, ...). */
  reason?: string;
}

export interface SymbolSummary {
  base_interval: string | null;
  bars_base: number;
  quotes: number;
  /** Live sessions: items that arrived after the merge had passed their place (kept). */
  late?: number;
  /** Percent of expected regular-hours base bars present; null without upkeep or bars. */
  bar_quality?: number | null;
  gaps?: GapSummary[];
  derived?: Record<string, number>;
  /** The quality figure in plain words. */
  quality_note?: string;
}

export interface SessionSummary {
  session_name: string;
  events: {
    total: number;
    bars: number;
    quotes: number;
    ticks: number;
    stale_skipped: number;
    /** Live sessions only: late items, in all. */
    late?: number;
  };
  clock_start: string | null;
  clock_end: string | null;
  symbols: Record<string, SymbolSummary>;
  elapsed_ms: number;
  events_per_second: number;
}

export function buildSummary(
  session: Session,
  clockStart: number | null,
  elapsedMs: number,
): SessionSummary {
  const { coordinator, sessionData } = session;
  const total = coordinator.emitted;
  const clockEnd = total > 0 ? coordinator.clock.now() : null;
  const symbols: SessionSummary['symbols'] = {};
  const upkeep = session.upkeep;
  const live = session.config.mode === 'live';
  const late = live ? coordinator.lateBySymbol() : {};
  for (const data of sessionData.all()) {
    const entry: SymbolSummary = {
      base_interval: data.base_interval,
      bars_base: data.baseBarCount,
      quotes: data.quotes.length,
      ...(live ? { late: late[data.symbol] ?? 0 } : {}),
    };
    const tracker = upkeep?.trackerOf(data.symbol);
    if (upkeep && tracker) {
      entry.bar_quality =
        tracker.quality === null ? null : Math.round(tracker.quality * 10_000) / 10_000;
      entry.gaps = tracker.gaps.map((g) => ({
        start: new Date(g.start).toISOString(),
        end: new Date(g.end).toISOString(),
        expected: g.expected,
        filled: g.filled,
        attempts: g.attempts,
        outcome: g.outcome,
        ...(g.outcome === 'missing' && g.lastError ? { reason: g.lastError } : {}),
      }));
      entry.derived = Object.fromEntries(
        [...data.bars_derived.keys()].map((interval) => [
          interval,
          upkeep.derivedOf(data.symbol, interval)?.count ?? 0,
        ]),
      );
      entry.quality_note = qualityNote(
        data.symbol,
        data.base_interval,
        tracker.quality,
        tracker.missingBars,
      );
    }
    symbols[data.symbol] = entry;
  }
  return {
    session_name: session.config.session_name,
    events: {
      total,
      ...coordinator.counts,
      stale_skipped: coordinator.staleSkipped,
      ...(live ? { late: coordinator.late } : {}),
    },
    clock_start: clockStart === null ? null : new Date(clockStart).toISOString(),
    clock_end: clockEnd === null ? null : new Date(clockEnd).toISOString(),
    symbols,
    elapsed_ms: Math.round(elapsedMs),
    events_per_second: elapsedMs > 0 ? Math.round((total / elapsedMs) * 1000) : 0,
  };
}

/** The quality figure in plain words, with what a missing bar usually means. */
export function qualityNote(
  symbol: string,
  interval: string | null,
  quality: number | null,
  missing: number,
): string {
  if (quality === null) return `${symbol}: no regular-hours bars were expected yet.`;
  const pct = `${quality.toFixed(2)}%`;
  if (missing === 0) return `${symbol}: ${pct} of expected ${interval} bars present.`;
  const unit = interval === '1s' ? 'second' : 'minute';
  return (
    `${symbol}: ${pct} of expected ${interval} bars present; ${missing} ${unit}s had no bar in ` +
    `any source. In ${interval} data this usually means nobody traded in that ${unit}, not lost data.`
  );
}
