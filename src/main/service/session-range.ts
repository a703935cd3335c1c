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

/**
 * The session's trading days, over every symbol's calendar (a date any symbol trades on; its
 * earliest open to its latest close), for "days done" in progress. `dates` stand in for a
 * config without dates (the catalog's range); none at all gives no days.
 */
export function tradingDays(
  config: SessionConfig,
  calendarOf: (symbol: string) => ExchangeCalendar,
  dates?: { start_date: string; end_date: string } | null,
): { date: string; start: number; end: number }[] {
  const first = config.backtest_config?.start_date ?? dates?.start_date;
  const last = config.backtest_config?.end_date ?? dates?.end_date;
  if (!first || !last) return [];
  const from = exchangeTimeToUtc(first, 0, 0);
  const to = exchangeTimeToUtc(nextDate(last), 0, 0);
  const byDate = new Map<string, { date: string; start: number; end: number }>();
  for (const symbol of new Set(config.data_streams.map((s) => s.symbol))) {
    for (const { date, open, close } of calendarOf(symbol).sessionsBetween(from, to)) {
      // A calendar dated in another zone (24x7 in UTC) reaches past the range's last date.
      if (date < first || date > last) continue;
      const day = byDate.get(date);
      if (!day) byDate.set(date, { date, start: open, end: close });
      else {
        day.start = Math.min(day.start, open);
        day.end = Math.max(day.end, close);
      }
    }
  }
  return [...byDate.values()].sort((a, b) => a.start - b.start);
}
