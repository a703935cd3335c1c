/**
 * The New York Stock Exchange calendar: 09:30-16:00 America/New_York on weekdays, closed on
 * NYSE holidays, 13:00 on half days. Wall times are resolved in the exchange zone and then
 * converted to UTC, so the UTC open moves with daylight saving (13:30Z in summer, 14:30Z in
 * winter) without any DST table of our own.
 */
import { exchangeDate, exchangeTimeToUtc, nextDate, weekday } from '../time';
import type { CalendarName, ExchangeCalendar, TradingSession } from './exchange-calendar';
import { NYSE_EARLY_CLOSE, isNyseEarlyClose } from './nyse-early-closes';
import { nyseHolidayName } from './nyse-holidays';

/** Longest closed run we model is 2001-09-11..16 (six days); a month is ample headroom. */
const MAX_CLOSED_RUN_DAYS = 31;

export class XnysCalendar implements ExchangeCalendar {
  readonly name: CalendarName = 'XNYS';
  readonly timeZone = 'America/New_York';
  // Gap checks and pacing ask for the same few dates over and over.
  private readonly cache = new Map<string, TradingSession | null>();
  /**
   * The last answer of sessionAfter and the earliest time it was asked for: every time from
   * there to that session's close has the same answer. Extended-hours bars ask once per bar,
   * and a time-zone conversion per ask was most of a replay's cost.
   */
  private after: TradingSession | null = null;
  private afterFrom = Infinity;

  sessionOn(date: string): TradingSession | null {
    const cached = this.cache.get(date);
    if (cached !== undefined) return cached;
    let session: TradingSession | null = null;
    if (this.closedReason(date) === null) {
      const earlyClose = isNyseEarlyClose(date);
      const [closeH, closeM] = earlyClose ? NYSE_EARLY_CLOSE : [16, 0];
      session = {
        date,
        open: exchangeTimeToUtc(date, 9, 30, this.timeZone),
        close: exchangeTimeToUtc(date, closeH, closeM, this.timeZone),
        earlyClose,
      };
    }
    this.cache.set(date, session);
    return session;
  }

  sessionAfter(t: number): TradingSession | null {
    const known = this.after;
    if (known && t >= this.afterFrom && t < known.close) return known;
    const session = this.searchSessionAfter(t);
    if (session && session === known) this.afterFrom = Math.min(this.afterFrom, t);
    else if (session) {
      this.after = session;
      this.afterFrom = t;
    }
    return session;
  }

  private searchSessionAfter(t: number): TradingSession | null {
    let date = exchangeDate(t, this.timeZone);
    for (let i = 0; i <= MAX_CLOSED_RUN_DAYS; i++) {
      const session = this.sessionOn(date);
      if (session && session.close > t) return session;
      date = nextDate(date);
    }
    return null;
  }

  sessionsBetween(startMs: number, endMs: number): TradingSession[] {
    const out: TradingSession[] = [];
    if (!(endMs > startMs)) return out;
    // A session lies inside one local date, so only dates from start's to end's can overlap.
    const last = exchangeDate(endMs, this.timeZone);
    for (let date = exchangeDate(startMs, this.timeZone); date <= last; date = nextDate(date)) {
      const session = this.sessionOn(date);
      if (session && session.close > startMs && session.open < endMs) out.push(session);
    }
    return out;
  }

  closedReason(date: string): string | null {
    const day = weekday(date);
    if (day === 0 || day === 6) return 'weekend';
    return nyseHolidayName(date);
  }
}
