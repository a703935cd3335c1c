/**
 * When the market is open, so pacing can skip closed spans without waiting. This is the
 * simple weekday 09:30-16:00 America/New_York rule; the exchange calendar (holidays, early
 * closes) implements the same interface.
 */
import { EXCHANGE_TZ, exchangeDate, exchangeTimeToUtc, nextDate, weekday } from '../../shared/time';

export interface MarketSession {
  open: number;
  close: number;
}

export interface MarketHours {
  /** The first session that ends after `t`, or null if none (never, for real calendars). */
  sessionAfter(t: number): MarketSession | null;
}

export class WeekdayMarketHours implements MarketHours {
  private readonly cache = new Map<string, MarketSession | null>();

  constructor(private readonly tz: string = EXCHANGE_TZ) {}

  sessionOn(date: string): MarketSession | null {
    if (this.cache.has(date)) return this.cache.get(date)!;
    const day = weekday(date);
    const session =
      day === 0 || day === 6
        ? null
        : {
            open: exchangeTimeToUtc(date, 9, 30, this.tz),
            close: exchangeTimeToUtc(date, 16, 0, this.tz),
          };
    this.cache.set(date, session);
    return session;
  }

  sessionAfter(t: number): MarketSession | null {
    let date = exchangeDate(t, this.tz);
    for (let i = 0; i < 14; i++) {
      const session = this.sessionOn(date);
      if (session && session.close > t) return session;
      date = nextDate(date);
    }
    return null;
  }
}

/** A market that never closes (crypto): pacing waits for every span. */
export const alwaysOpen: MarketHours = {
  sessionAfter: () => ({ open: -Infinity, close: Infinity }),
};

/**
 * Milliseconds of open market in [from, to). Pacing waits only for these, which is how
 * nights, weekends and holidays pass without waiting.
 */
export function openMillisBetween(hours: MarketHours, from: number, to: number): number {
  let total = 0;
  let t = from;
  while (t < to) {
    const session = hours.sessionAfter(t);
    if (!session || session.open >= to) break;
    const start = Math.max(t, session.open);
    const end = Math.min(to, session.close);
    if (end > start) total += end - start;
    t = session.close;
  }
  return total;
}
