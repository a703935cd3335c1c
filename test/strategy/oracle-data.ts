/**
 * Raw data for the fill oracles, and the oracles' own brute-force reading of it: nothing here
 * uses the engine, so a fill the engine gets wrong cannot agree with it by construction.
 */
import { MemoryStreamCursor } from '../../src/main/storage/memory-cursor';
import { exchangeTimeToUtc } from '../../src/shared/time';

/** The day after Thanksgiving 2024: NYSE closes at 13:00. */
export const EARLY_DAY = '2024-11-29';
export const OPEN = exchangeTimeToUtc(EARLY_DAY, 9, 30);
export const EARLY_CLOSE = exchangeTimeToUtc(EARLY_DAY, 13, 0);
const MIN = 60_000;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface RawBars {
  t: number[];
  o: number[];
  h: number[];
  l: number[];
  c: number[];
  v: number[];
}
export interface RawQuotes {
  t: number[];
  bid: number[];
  ask: number[];
  bs: number[];
  as: number[];
}

/**
 * 1m bars 09:30-13:00 on the early-close day with a few missing, among them the last bar of
 * some 5m buckets (gaps at a bucket's end); quotes every 17 s plus one stamped exactly at
 * every 5-minute boundary (ties with the derived bars' delivery time).
 */
export function oracleData(seed = 7): { bars: RawBars; quotes: RawQuotes } {
  const rand = lcg(seed);
  const missing = new Set([14, 34, 35, 59, 102, 149, 209]); // minute offsets from the open
  const bars: RawBars = { t: [], o: [], h: [], l: [], c: [], v: [] };
  let price = 50;
  for (let m = 0; m < 210; m++) {
    const open = price;
    const close = Math.round((open + (rand() - 0.5) * 0.6) * 100) / 100;
    price = close;
    if (missing.has(m)) continue;
    bars.t.push(OPEN + m * MIN);
    bars.o.push(open);
    bars.c.push(close);
    bars.h.push(Math.max(open, close) + Math.round(rand() * 20) / 100);
    bars.l.push(Math.min(open, close) - Math.round(rand() * 20) / 100);
    bars.v.push(100 + Math.floor(rand() * 900));
  }
  const times = new Set<number>();
  for (let t = OPEN + 3_000; t < EARLY_CLOSE; t += 17_000) times.add(t);
  for (let t = OPEN + 5 * MIN; t <= EARLY_CLOSE; t += 5 * MIN) times.add(t);
  const quotes: RawQuotes = { t: [], bid: [], ask: [], bs: [], as: [] };
  let mid = 50;
  for (const t of [...times].sort((a, b) => a - b)) {
    mid = Math.round((mid + (rand() - 0.5) * 0.2) * 100) / 100;
    const spread = 0.01 + Math.round(rand() * 4) / 100;
    quotes.t.push(t);
    quotes.bid.push(Math.round((mid - spread / 2) * 1000) / 1000);
    quotes.ask.push(Math.round((mid + spread / 2) * 1000) / 1000);
    quotes.bs.push(1 + Math.floor(rand() * 5));
    quotes.as.push(1 + Math.floor(rand() * 5));
  }
  return { bars, quotes };
}

export function barCursor(symbol: string, b: RawBars): MemoryStreamCursor {
  return new MemoryStreamCursor({
    symbol,
    type: 'bars',
    interval: '1m',
    timestamp: b.t,
    values: { open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v },
  });
}

export function quoteCursor(symbol: string, q: RawQuotes): MemoryStreamCursor {
  return new MemoryStreamCursor({
    symbol,
    type: 'quotes',
    timestamp: q.t,
    values: { bid: q.bid, ask: q.ask, bid_size: q.bs, ask_size: q.as },
  });
}

export interface OracleBucket {
  start: number;
  /** Delivery time: the bucket end, cut at the close. */
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** 5m (or any span) buckets from the open, cut at `close`, empty ones dropped. */
export function oracleBuckets(
  b: RawBars,
  spanMs: number,
  open = OPEN,
  close = EARLY_CLOSE,
): OracleBucket[] {
  const byStart = new Map<number, OracleBucket>();
  for (let i = 0; i < b.t.length; i++) {
    const t = b.t[i]!;
    if (t < open || t >= close) continue;
    const start = open + Math.floor((t - open) / spanMs) * spanMs;
    const k = byStart.get(start);
    if (!k) {
      byStart.set(start, {
        start,
        end: Math.min(start + spanMs, close),
        open: b.o[i]!,
        high: b.h[i]!,
        low: b.l[i]!,
        close: b.c[i]!,
      });
    } else {
      k.high = Math.max(k.high, b.h[i]!);
      k.low = Math.min(k.low, b.l[i]!);
      k.close = b.c[i]!;
    }
  }
  return [...byStart.values()].sort((x, y) => x.start - y.start);
}

/** Index of the last quote with time < t (strict) or <= t. -1 when none. */
export function lastQuote(q: RawQuotes, t: number, inclusive: boolean): number {
  let found = -1;
  for (let i = 0; i < q.t.length; i++) {
    if (inclusive ? q.t[i]! <= t : q.t[i]! < t) found = i;
    else break;
  }
  return found;
}
