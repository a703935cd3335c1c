/**
 * The `--summary` JSON: what a run did, in a shape other tools can rely on.
 */
import type { Session } from './session-host';

export interface SessionSummary {
  session_name: string;
  events: { total: number; bars: number; quotes: number; ticks: number; stale_skipped: number };
  clock_start: string | null;
  clock_end: string | null;
  symbols: Record<string, { base_interval: string | null; bars_base: number; quotes: number }>;
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
  for (const data of sessionData.all()) {
    symbols[data.symbol] = {
      base_interval: data.base_interval,
      bars_base: data.bars_base.length,
      quotes: data.quotes.length,
    };
  }
  return {
    session_name: session.config.session_name,
    events: { total, ...coordinator.counts, stale_skipped: coordinator.staleSkipped },
    clock_start: clockStart === null ? null : new Date(clockStart).toISOString(),
    clock_end: clockEnd === null ? null : new Date(clockEnd).toISOString(),
    symbols,
    elapsed_ms: Math.round(elapsedMs),
    events_per_second: elapsedMs > 0 ? Math.round((total / elapsedMs) * 1000) : 0,
  };
}
