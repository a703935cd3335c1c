/**
 * What each synthetic symbol is like: price level, volatility, activity, and the U-shaped
 * intraday profile of volume and volatility.
 */
import { rng } from './seeded-random';

/** Regular trading hours: 09:30-16:00 New York time, 23,400 seconds. */
export const SESSION_SECONDS = 23_400;
export interface SymbolProfile {
  /** Price at the first session's open. */
  startPrice: number;
  /** Standard deviation of the open-to-close log return. */
  dailyVolatility: number;
  /** Shares traded in a typical session. */
  sharesPerDay: number;
  /** Average quote updates per second. */
  quotesPerSecond: number;
  /** Chance that the spread is wider than one tick (outside the opening minutes). */
  wideSpreadChance: number;
  /** Mean displayed size at the touch, in round lots of 100. */
  meanLots: number;
}

const KNOWN_PROFILES: Record<string, SymbolProfile> = {
  AAPL: {
    startPrice: 175.1,
    dailyVolatility: 0.012,
    sharesPerDay: 55e6,
    quotesPerSecond: 4.3,
    wideSpreadChance: 0.15,
    meanLots: 3,
  },
  RIVN: {
    startPrice: 11.02,
    dailyVolatility: 0.035,
    sharesPerDay: 30e6,
    quotesPerSecond: 1.2,
    wideSpreadChance: 0.05,
    meanLots: 25,
  },
  TSLA: {
    startPrice: 189.5,
    dailyVolatility: 0.025,
    sharesPerDay: 100e6,
    quotesPerSecond: 6,
    wideSpreadChance: 0.3,
    meanLots: 2,
  },
};

/** The demo's hand-set profiles, or a plausible one derived from the symbol's name. */
export function symbolProfile(symbol: string, seed = 0): SymbolProfile {
  const known = KNOWN_PROFILES[symbol];
  if (known) return known;
  const r = rng(seed, 'profile', symbol);
  return {
    startPrice: Math.round((10 + r() * 390) * 100) / 100,
    dailyVolatility: 0.01 + r() * 0.03,
    sharesPerDay: Math.round(5e6 + r() * 60e6),
    quotesPerSecond: 4.3, // ~100k quotes per session
    wideSpreadChance: 0.05 + r() * 0.25,
    meanLots: 1 + Math.floor(r() * 10),
  };
}

/**
 * The U-shaped intraday activity profile, one weight per session second, normalized to a mean
 * of 1: about 3x the midday level in the first minutes, about 2.5x into the close.
 */
export const INTRADAY_PROFILE: Float64Array = (() => {
  const w = new Float64Array(SESSION_SECONDS);
  let sum = 0;
  for (let s = 0; s < SESSION_SECONDS; s++) {
    const x = (s + 0.5) / SESSION_SECONDS;
    w[s] = 1 + 3.5 * Math.exp(-x / 0.05) + 3 * Math.exp(-(1 - x) / 0.04);
    sum += w[s];
  }
  const mean = sum / SESSION_SECONDS;
  for (let s = 0; s < SESSION_SECONDS; s++) w[s] /= mean;
  return w;
})();
