/**
 * Drawdown: how far equity sits below its running peak, as a percent of that peak.
 */

/** Tracks the running peak and the deepest drawdown, one equity value at a time. */
export class DrawdownTracker {
  peak = Number.NEGATIVE_INFINITY;
  /** Deepest drawdown so far, percent (>= 0). */
  max_pct = 0;

  update(equity: number): number {
    if (equity > this.peak) this.peak = equity;
    const dd = this.peak > 0 ? ((this.peak - equity) / this.peak) * 100 : 0;
    if (dd > this.max_pct) this.max_pct = dd;
    return dd;
  }
}

/** Drawdown percent at each point of an equity series. */
export function drawdownSeries(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  const tracker = new DrawdownTracker();
  for (let i = 0; i < equity.length; i++) out[i] = tracker.update(equity[i]!);
  return out;
}
