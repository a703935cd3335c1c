/**
 * Drawdown: how far equity sits below its running peak, as a percent of that peak.
 */

/** Tracks the running peak and the deepest drawdown, one equity value at a time. */
export class DrawdownTracker {
  peak = Number.NEGATIVE_INFINITY;
  /** Deepest drawdown so far, percent (>= 0). */
  max_pct = 0;

  /** The lowest equity since the peak was set: nothing at or above it can deepen the drawdown. */
  private trough = Number.NaN;

  /**
   * update() for a running curve, without the per-value division: the drawdown against one
   * peak only grows as equity falls below its lowest since that peak (every step of the
   * formula is monotonic), so the same deepest drawdown, bit for bit.
   */
  note(equity: number): void {
    if (equity > this.peak) {
      this.peak = equity;
      this.trough = equity;
      return;
    }
    if (equity >= this.trough) return;
    this.trough = equity;
    const dd = this.peak > 0 ? ((this.peak - equity) / this.peak) * 100 : 0;
    if (dd > this.max_pct) this.max_pct = dd;
  }

  update(equity: number): number {
    if (equity > this.peak) this.peak = this.trough = equity;
    else if (equity < this.trough) this.trough = equity;
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
