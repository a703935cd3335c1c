/**
 * An exchange calendar: when each trading day's regular session opens and closes. Gap
 * detection, bar quality, derived-bar buckets and pacing all read it (docs/design.md §3).
 */
import type { MarketHours } from './market-hours';

/** Exchange calendars: NYSE regular hours, or a market that never closes (crypto). */
export const CALENDARS = ['XNYS', '24x7'] as const;
export type CalendarName = (typeof CALENDARS)[number];

export function isCalendarName(value: unknown): value is CalendarName {
  return (CALENDARS as readonly unknown[]).includes(value);
}

export interface TradingSession {
  /** Exchange-local trading date, `YYYY-MM-DD`. */
  date: string;
  /** UTC epoch ms of the open and the close. */
  open: number;
  close: number;
  /** Closes early (13:00 on NYSE half days). */
  earlyClose: boolean;
}

export interface ExchangeCalendar extends MarketHours {
  readonly name: CalendarName;
  readonly timeZone: string;
  /** The first session that ends after `t` (the one holding `t`, or the next). */
  sessionAfter(t: number): TradingSession | null;
  /** The regular session on an exchange-local date, or null when the market is closed. */
  sessionOn(date: string): TradingSession | null;
  /** Every session that overlaps [startMs, endMs), oldest first. */
  sessionsBetween(startMs: number, endMs: number): TradingSession[];
  /** Why the market is closed on a date ("weekend", "Good Friday", ...), or null if open. */
  closedReason(date: string): string | null;
}
