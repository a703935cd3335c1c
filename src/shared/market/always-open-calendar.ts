/**
 * A market that never closes (crypto). It still hands out one session per UTC date so that
 * per-day consumers (gap reports, quality, derived daily buckets) work the same as on an
 * exchange calendar, and every interval of every day is expected.
 */
import { nextDate } from '../time';
import type { CalendarName, ExchangeCalendar, TradingSession } from './exchange-calendar';

const DAY_MS = 86_400_000;

export class AlwaysOpenCalendar implements ExchangeCalendar {
  readonly name: CalendarName = '24x7';
  readonly timeZone = 'UTC';

  sessionOn(date: string): TradingSession {
    const open = Date.parse(`${date}T00:00:00Z`);
    return { date, open, close: open + DAY_MS, earlyClose: false };
  }

  /** The session of t's UTC date always ends after t. */
  sessionAfter(t: number): TradingSession {
    return this.sessionOn(utcDate(t));
  }

  sessionsBetween(startMs: number, endMs: number): TradingSession[] {
    const out: TradingSession[] = [];
    if (!(endMs > startMs)) return out;
    const last = utcDate(endMs - 1);
    for (let date = utcDate(startMs); date <= last; date = nextDate(date)) {
      out.push(this.sessionOn(date));
    }
    return out;
  }

  closedReason(): null {
    return null;
  }
}

function utcDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}
