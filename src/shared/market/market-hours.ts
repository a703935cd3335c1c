/**
 * When the market is open, so pacing can skip closed spans without waiting. The exchange
 * calendars implement it; pacing needs nothing more.
 */

export interface MarketSession {
  open: number;
  close: number;
}

export interface MarketHours {
  /** The first session that ends after `t`, or null if none (never, for real calendars). */
  sessionAfter(t: number): MarketSession | null;
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
