/**
 * Quotes drawn over candles: lightweight-charts spaces points by index, so a line point at
 * every quote's own time would add a slot per quote and squeeze the candles. Each quote is
 * placed instead in the bar bucket that contains it, and a bucket shows its last quote.
 */
import type { QuoteSeries } from './quote-series';

/**
 * Start of the bucket of `intervalMs` containing `time`, on the lattice through `anchor` (a
 * known bar start, so 1h buckets anchored at 09:30 stay at :30); epoch-aligned without one.
 */
export function bucketStart(time: number, intervalMs: number, anchor: number | null): number {
  const origin = anchor ?? 0;
  return origin + Math.floor((time - origin) / intervalMs) * intervalMs;
}

export interface QuoteBucketColumns {
  time: number[];
  bid: number[];
  ask: number[];
}

/** The last quote per bucket for quotes [from, to), in time order. */
export function lastQuotePerBucket(
  quotes: QuoteSeries,
  from: number,
  to: number,
  intervalMs: number,
  anchor: number | null,
): QuoteBucketColumns {
  const out: QuoteBucketColumns = { time: [], bid: [], ask: [] };
  let current = Number.NaN;
  for (let i = from; i < to; i += 1) {
    const bucket = bucketStart(quotes.timeAt(i), intervalMs, anchor);
    if (bucket !== current) {
      out.time.push(bucket);
      out.bid.push(quotes.bidAt(i));
      out.ask.push(quotes.askAt(i));
      current = bucket;
    } else {
      const last = out.time.length - 1;
      out.bid[last] = quotes.bidAt(i);
      out.ask[last] = quotes.askAt(i);
    }
  }
  return out;
}
