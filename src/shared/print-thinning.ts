/**
 * Thinning trade prints for drawing: of the prints in each time bucket only the lowest and the
 * highest are kept (in time order, the last print of the range too), so a line through them
 * still reaches every extreme the full tape reaches. Kept points are real prints at their own
 * times: nothing is averaged or interpolated.
 */

/**
 * Indexes of the prints in [from, to) to draw, at most about `maxPoints` of them: every index
 * when there are no more than that, else per bucket of (span / (maxPoints / 2)) ms the lowest
 * and the highest print, and the range's last print. Times are non-decreasing.
 */
export function thinPrints(
  time: ArrayLike<number>,
  price: ArrayLike<number>,
  from: number,
  to: number,
  maxPoints: number,
): number[] {
  const out: number[] = [];
  if (to <= from) return out;
  if (to - from <= maxPoints) {
    for (let i = from; i < to; i++) out.push(i);
    return out;
  }
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const t0 = time[from]!;
  const width = Math.max(1, (time[to - 1]! - t0 + 1) / buckets);
  let bucket = -1;
  let lo = -1;
  let hi = -1;
  const close = (): void => {
    if (lo < 0) return;
    if (lo === hi) out.push(lo);
    else out.push(Math.min(lo, hi), Math.max(lo, hi));
  };
  for (let i = from; i < to; i++) {
    const b = Math.floor((time[i]! - t0) / width);
    if (b !== bucket) {
      close();
      bucket = b;
      lo = hi = i;
      continue;
    }
    const p = price[i]!;
    if (p < price[lo]!) lo = i;
    if (p > price[hi]!) hi = i;
  }
  close();
  if (out[out.length - 1] !== to - 1) out.push(to - 1);
  return out;
}
