/**
 * Which shown bar holds a time. Derived buckets are aligned to the session open (09:30 for a
 * 1h bar) and cut at the close, so `floor(t / span)` names the wrong bar; the chart's own bar
 * start times are the truth: the holding bar is the last one starting at or before `t`.
 */

/** Bar start times in ascending order (UTC ms), as the chart's bar series holds them. */
export interface BarStarts {
  readonly length: number;
  timeAt(index: number): number;
}

/** Index of the last bar starting at or before `t`, or -1 when `t` precedes every bar. */
export function barIndexAt(bars: BarStarts, t: number): number {
  let lo = 0;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bars.timeAt(mid) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Whether the forming bar (starting at `formingStart`) holds `t` rather than a completed bar. */
export function formingHolds(bars: BarStarts, formingStart: number | null, t: number): boolean {
  if (formingStart === null || formingStart > t) return false;
  const n = bars.length;
  return n === 0 || bars.timeAt(n - 1) < formingStart;
}
