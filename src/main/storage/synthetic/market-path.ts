/**
 * A symbol-day as a latent mid-price path on a 100 ms grid (geometric random walk, with
 * volatility and activity following a U-shaped intraday profile). Bars are the tick-rounded
 * path summarized per bar and quotes sample the path at irregular sub-second times, so bars and
 * quotes of one symbol agree with each other.
 */
import type { BaseInterval } from '../../../shared/interval';
import { exchangeTimeToUtc, weekday } from '../../../shared/time';
import type { StreamColumns } from '../parquet/parquet-writer';
import { normals, rng } from './seeded-random';
import {
  INTRADAY_PROFILE,
  SESSION_SECONDS,
  symbolProfile,
  type SymbolProfile,
} from './symbol-profile';

export { SESSION_SECONDS };
const STEPS_PER_SECOND = 10; // latent path resolution: 100 ms
const STEP_MS = 1000 / STEPS_PER_SECOND;
const TICK = 0.01;

/** UTC epoch ms of 09:30 New York time on `date`. */
export function sessionOpenMs(date: string): number {
  return exchangeTimeToUtc(date, 9, 30);
}

export interface DayPath {
  symbol: string;
  date: string;
  /** UTC epoch ms of 09:30 New York time. */
  openMs: number;
  profile: SymbolProfile;
  /** Mid price in ticks (cents) at each 100 ms step; SESSION_SECONDS * 10 + 1 entries. */
  midTicks: Float64Array;
  /** Shares traded in each session second. */
  volume: Float64Array;
  seed: number;
}

export interface DayOptions {
  symbol: string;
  /** Exchange-local trading date, YYYY-MM-DD (a weekday). */
  date: string;
  seed?: number;
  /** Price at this session's open (default: the symbol profile's start price). */
  startPrice?: number;
}

export const DEFAULT_SEED = 20_240_304;

/** Simulates one symbol-day: the mid path and per-second volume. */
export function simulateDay({
  symbol,
  date,
  seed = DEFAULT_SEED,
  startPrice,
}: DayOptions): DayPath {
  const day = weekday(date);
  if (day === 0 || day === 6) {
    throw new Error(`${date} is a weekend day; synthetic sessions need a trading date`);
  }
  const profile = symbolProfile(symbol, seed);
  const steps = SESSION_SECONDS * STEPS_PER_SECOND;
  const midTicks = new Float64Array(steps + 1);
  const gauss = normals(rng(seed, 'path', symbol, date));
  const stepSigma = profile.dailyVolatility / Math.sqrt(steps);
  let logMid = Math.log((startPrice ?? profile.startPrice) / TICK);
  midTicks[0] = Math.exp(logMid);
  for (let s = 0, i = 0; s < SESSION_SECONDS; s++) {
    const sigma = stepSigma * Math.sqrt(INTRADAY_PROFILE[s]);
    for (let k = 0; k < STEPS_PER_SECOND; k++) {
      logMid += sigma * gauss() - 0.5 * sigma * sigma;
      midTicks[++i] = Math.exp(logMid);
    }
  }

  const volume = new Float64Array(SESSION_SECONDS);
  const volGauss = normals(rng(seed, 'volume', symbol, date));
  const perSecond = profile.sharesPerDay / SESSION_SECONDS;
  for (let s = 0; s < SESSION_SECONDS; s++) {
    const noise = Math.exp(0.5 * volGauss() - 0.125); // lognormal, mean 1
    volume[s] = Math.max(1, Math.round(perSecond * INTRADAY_PROFILE[s] * noise));
  }
  return { symbol, date, openMs: sessionOpenMs(date), profile, midTicks, volume, seed };
}

/** The session's last traded price (for chaining days). */
export function closePrice(day: DayPath): number {
  return Math.round(day.midTicks[day.midTicks.length - 1]) / 100;
}

/** Half-open spans of session seconds to leave out, [start, end). */
export type SecondSpan = readonly [number, number];

function buildSkip(spans: readonly SecondSpan[] | undefined): Uint8Array | null {
  if (!spans || spans.length === 0) return null;
  const skip = new Uint8Array(SESSION_SECONDS);
  for (const [a, b] of spans) skip.fill(1, Math.max(0, a), Math.min(SESSION_SECONDS, b));
  return skip;
}

/**
 * Bars of `interval` from a day path. `skipSeconds` removes every bar that starts inside one of
 * the spans (for 1m bars, spans should be whole minutes).
 */
export function barsFromPath(
  day: DayPath,
  interval: BaseInterval,
  skipSeconds?: readonly SecondSpan[],
): StreamColumns {
  const barSeconds = interval === '1s' ? 1 : 60;
  const count = SESSION_SECONDS / barSeconds;
  const skip = buildSkip(skipSeconds);
  const ts = new Float64Array(count);
  const open = new Float64Array(count);
  const high = new Float64Array(count);
  const low = new Float64Array(count);
  const close = new Float64Array(count);
  const vol = new Float64Array(count);
  const mid = day.midTicks;
  const stepsPerBar = barSeconds * STEPS_PER_SECOND;
  let n = 0;
  for (let b = 0; b < count; b++) {
    const s0 = b * barSeconds;
    if (skip && skip[s0]) continue;
    const first = s0 * STEPS_PER_SECOND;
    let o = Math.round(mid[first]);
    let hi = o;
    let lo = o;
    let c = o;
    for (let i = first + 1; i < first + stepsPerBar; i++) {
      c = Math.round(mid[i]);
      if (c > hi) hi = c;
      if (c < lo) lo = c;
    }
    let v = 0;
    for (let s = s0; s < s0 + barSeconds; s++) v += day.volume[s];
    if (lo < 1) {
      // Unreachable at realistic levels; keeps every price strictly positive regardless.
      o = Math.max(o, 1);
      c = Math.max(c, 1);
      hi = Math.max(hi, 1);
      lo = 1;
    }
    ts[n] = day.openMs + s0 * 1000;
    open[n] = o / 100;
    high[n] = hi / 100;
    low[n] = lo / 100;
    close[n] = c / 100;
    vol[n] = v;
    n++;
  }
  return { length: n, timestamp: ts, values: [open, high, low, close, vol] };
}

/**
 * Quotes sampled from a day path at irregular times (a Poisson process whose rate follows the
 * intraday profile). Quotes whose second lies in `skipSeconds` are dropped.
 */
export function quotesFromPath(
  day: DayPath,
  skipSeconds?: readonly SecondSpan[],
  quotesPerSecond = day.profile.quotesPerSecond,
): StreamColumns {
  const skip = buildSkip(skipSeconds);
  const capacity = Math.ceil(quotesPerSecond * SESSION_SECONDS * 1.2) + 1024;
  const ts = new Float64Array(capacity);
  const bid = new Float64Array(capacity);
  const ask = new Float64Array(capacity);
  const bidSize = new Float64Array(capacity);
  const askSize = new Float64Array(capacity);
  const random = rng(day.seed, 'quotes', day.symbol, day.date);
  const { wideSpreadChance, meanLots } = day.profile;
  const mid = day.midTicks;
  let n = 0;
  let t = 0; // seconds since the open
  for (;;) {
    const second = Math.floor(t);
    t += -Math.log(1 - random()) / (quotesPerSecond * INTRADAY_PROFILE[second]);
    if (t >= SESSION_SECONDS) break;
    const ms = Math.floor(t * 1000); // the recorded time decides the second and the path step
    if (ms >= SESSION_SECONDS * 1000) break;
    const sec = Math.floor(ms / 1000);
    // Draw every variate even for skipped quotes, so a gap never shifts the rest of the day.
    const r1 = random();
    const r2 = random();
    const r3 = random();
    const r4 = random();
    if (skip && skip[sec]) continue;
    if (n === capacity) break; // statistically unreachable (20% headroom)
    const m = mid[Math.floor(ms / STEP_MS)];
    // One tick mostly; wider now and then, and often in the first ten minutes.
    let spread = 1;
    if (r1 < wideSpreadChance) spread += 1 + Math.floor(r1 * 4);
    if (sec < 600 && r2 < 0.5) spread += 1 + Math.floor(r2 * 4);
    const b = Math.max(1, Math.round(m - spread / 2));
    ts[n] = day.openMs + ms;
    bid[n] = b / 100;
    ask[n] = (b + spread) / 100;
    bidSize[n] = 100 * (1 + Math.floor(-Math.log(1 - r3) * meanLots));
    askSize[n] = 100 * (1 + Math.floor(-Math.log(1 - r4) * meanLots));
    n++;
  }
  return { length: n, timestamp: ts, values: [bid, ask, bidSize, askSize] };
}
