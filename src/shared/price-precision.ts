/**
 * How many decimals a symbol's prices are shown with, learnt from the prices themselves: the
 * fewest decimals that write every price seen exactly. Stocks quoted in cents show 2
 * (176.73), EUR/USD in pips show 5 (1.08123), USD/JPY 3. A price with no short exact decimal
 * form (a computed mid, say) counts for enough decimals to show six significant digits.
 * Never fewer than MIN_DECIMALS, so a stock at 176.70 still reads as money.
 */

export const MIN_DECIMALS = 2;
export const MAX_DECIMALS = 8;
const SIGNIFICANT = 6;

/**
 * The fewest decimals (at most MAX_DECIMALS) that write `value` exactly, allowing for the
 * float error of the multiplication; null when none do.
 */
export function exactDecimals(value: number): number | null {
  if (!Number.isFinite(value)) return 0;
  const magnitude = Math.abs(value);
  let scaled = magnitude;
  for (let d = 0; d <= MAX_DECIMALS; d++) {
    if (Math.abs(scaled - Math.round(scaled)) <= scaled * 1e-14 + 1e-9) return d;
    scaled *= 10;
  }
  return null;
}

/** Decimals for a price with no short exact form: six significant digits, within bounds. */
function significantDecimals(value: number): number {
  const magnitude = Math.abs(value);
  if (magnitude === 0) return MIN_DECIMALS;
  const integerDigits = Math.floor(Math.log10(magnitude)) + 1;
  return Math.min(MAX_DECIMALS, Math.max(MIN_DECIMALS, SIGNIFICANT - integerDigits));
}

/** Decimals one price asks for, at least MIN_DECIMALS. */
export function decimalsFor(value: number): number {
  const exact = exactDecimals(value);
  return Math.max(MIN_DECIMALS, exact ?? significantDecimals(value));
}

/** At most this many prices are read per observation: a few thousand decide the precision. */
const SAMPLE = 4096;

/**
 * The precision of one symbol, kept as prices arrive: the largest any observed price asked
 * for (it only grows, so a label never loses a digit it showed). Work per call is bounded
 * by SAMPLE, read evenly across the new rows.
 */
export class PricePrecision {
  decimals = MIN_DECIMALS;

  /** Reads rows [from, to) of a price column. */
  observe(prices: ArrayLike<number>, from = 0, to = prices.length): number {
    const n = to - from;
    if (n <= 0) return this.decimals;
    const stride = Math.max(1, Math.floor(n / SAMPLE));
    let decimals = this.decimals;
    for (let i = from; i < to && decimals < MAX_DECIMALS; i += stride) {
      const d = decimalsFor(prices[i]!);
      if (d > decimals) decimals = d;
    }
    // The newest price always counts: it is the one on screen.
    decimals = Math.max(decimals, decimalsFor(prices[to - 1]!));
    this.decimals = decimals;
    return decimals;
  }
}

/** The precision of a whole column of prices. */
export function pricePrecisionOf(prices: ArrayLike<number>): number {
  return new PricePrecision().observe(prices);
}

/** The smallest price step of a precision, for a chart's price scale. */
export function minMove(decimals: number): number {
  return Number((10 ** -decimals).toFixed(decimals));
}

/** A price as text with its symbol's decimals; "—" when there is none. */
export function formatPrice(value: number | null | undefined, decimals = MIN_DECIMALS): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '—'
    : value.toFixed(decimals);
}
