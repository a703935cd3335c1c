/**
 * Daily returns from each trading day's closing equity, and the Sharpe ratio over them.
 */

export interface DailyEquity {
  /** Exchange-local date, YYYY-MM-DD. */
  date: string;
  equity: number;
}

export interface DailyReturn extends DailyEquity {
  /** equity / previous day's equity - 1 (the first day against the initial cash). */
  return: number;
}

/** Fewer days than this give no Sharpe ratio: the estimate would be noise. */
export const MIN_SHARPE_DAYS = 5;

export function dailyReturns(initialCash: number, days: readonly DailyEquity[]): DailyReturn[] {
  let previous = initialCash;
  return days.map((d) => {
    const r = previous === 0 ? 0 : d.equity / previous - 1;
    previous = d.equity;
    return { ...d, return: r };
  });
}

/**
 * Annualised Sharpe ratio with a zero risk-free rate: mean(r) / stdev(r) × √252, stdev the
 * sample standard deviation (n - 1). Null under MIN_SHARPE_DAYS days or with no variation.
 */
export function sharpe(returns: readonly number[]): number | null {
  const n = returns.length;
  if (n < MIN_SHARPE_DAYS) return null;
  let sum = 0;
  for (const r of returns) sum += r;
  const mean = sum / n;
  let ss = 0;
  for (const r of returns) ss += (r - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  return sd === 0 ? null : (mean / sd) * Math.sqrt(252);
}
