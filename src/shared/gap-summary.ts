/**
 * A symbol's gaps in a few words instead of thousands of rows: how many, how many bars are
 * missing in all, the largest few (the ones worth a look), and whether most are short, which in
 * 1s data means seconds nobody traded in, not lost data. Pure, so the service builds it for the
 * panels and tests check it against a brute-force count.
 */
import type { GapInfo } from './ipc-contract';

export interface GapSummary {
  count: number;
  /** Bars still missing across all gaps (expected − filled). */
  missingBars: number;
  filled: number;
  missing: number;
  partial: number;
  pending: number;
  /** Gaps of at most SHORT_GAP_BARS missing bars. */
  short: number;
}

/** A gap this short in 1s bars is almost always a second without a trade. */
export const SHORT_GAP_BARS = 2;

/** How many of the largest gaps the panel lists (and the service sends). */
export const LARGEST_GAPS = 5;

/** The fields a panel shows of a gap (a record may carry more: times of attempts, errors). */
export function gapInfoOf(gap: GapInfo): GapInfo {
  const { start, end, expected, filled, attempts, outcome } = gap;
  return { start, end, expected, filled, attempts, outcome };
}

export function missingOf(gap: GapInfo): number {
  return Math.max(0, gap.expected - gap.filled);
}

export function summariseGaps(gaps: readonly GapInfo[]): GapSummary {
  const s: GapSummary = {
    count: gaps.length,
    missingBars: 0,
    filled: 0,
    missing: 0,
    partial: 0,
    pending: 0,
    short: 0,
  };
  for (const gap of gaps) {
    const missing = missingOf(gap);
    s.missingBars += missing;
    s[gap.outcome] += 1;
    if (gap.expected <= SHORT_GAP_BARS) s.short += 1;
  }
  return s;
}

/**
 * The `n` gaps with the most missing bars (the earliest first among equals), in time order.
 * One pass with a small sorted buffer: thousands of gaps, a handful kept.
 */
export function largestGaps(gaps: readonly GapInfo[], n = LARGEST_GAPS): GapInfo[] {
  const kept: GapInfo[] = [];
  const worse = (a: GapInfo, b: GapInfo): boolean =>
    missingOf(a) > missingOf(b) || (missingOf(a) === missingOf(b) && a.start < b.start);
  for (const gap of gaps) {
    if (kept.length === n && !worse(gap, kept[n - 1]!)) continue;
    let i = kept.length === n ? n - 1 : kept.length;
    if (kept.length === n) kept.pop();
    while (i > 0 && worse(gap, kept[i - 1]!)) i -= 1;
    kept.splice(i, 0, gap);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** "Most are no-trade seconds": short gaps in 1s bars are the bulk of them. */
export function mostlyNoTradeSeconds(summary: GapSummary, baseInterval: string | null): boolean {
  return baseInterval === '1s' && summary.count >= 10 && summary.short * 2 >= summary.count;
}
