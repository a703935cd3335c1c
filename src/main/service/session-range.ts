/**
 * The span the progress bar covers: from the first regular session's open on the config's
 * start date to the last one's close on its end date, over every symbol's calendar. Without
 * dates the session runs over whatever data there is, which the store does not tell cheaply;
 * then progress is the share of items replayed instead.
 */
import type { SessionConfig } from '../../shared/session-config';
import { exchangeTimeToUtc, nextDate } from '../../shared/time';
import type { ExchangeCalendar } from '../../shared/market/exchange-calendar';

export interface SessionRange {
  start: number;
  end: number;
}

export function sessionRange(
  config: SessionConfig,
  calendarOf: (symbol: string) => ExchangeCalendar,
): SessionRange | null {
  const first = config.backtest_config?.start_date;
  const last = config.backtest_config?.end_date;
  if (!first || !last) return null;
  const from = exchangeTimeToUtc(first, 0, 0);
  const to = exchangeTimeToUtc(nextDate(last), 0, 0);
  let start = Infinity;
  let end = -Infinity;
  for (const symbol of new Set(config.data_streams.map((s) => s.symbol))) {
    const sessions = calendarOf(symbol).sessionsBetween(from, to);
    if (sessions.length === 0) continue;
    start = Math.min(start, sessions[0]!.open);
    end = Math.max(end, sessions[sessions.length - 1]!.close);
  }
  return start < end ? { start, end } : null;
}
