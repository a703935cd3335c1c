/**
 * When a chart's fill markers are handed to lightweight-charts again. Markers are drawn for
 * the visible range widened by half its width each side; while the view stays inside that
 * window (a replay scrolling a little each frame) nothing is redrawn for the scroll, and new
 * fills or bars redraw at most every `refreshMs`. A view leaving the window redraws at once.
 */
export interface TimeWindow {
  from: number;
  to: number;
}

export class MarkerWindow {
  private from = Number.NaN;
  private to = Number.NaN;
  private drawnAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly refreshMs: number) {}

  /**
   * The window to draw markers for now (times in ms), or null when the markers drawn still
   * serve. `dirty`: fills or bars changed since the last draw; `minMargin`: at least a bar.
   */
  next(
    visibleFrom: number,
    visibleTo: number,
    minMargin: number,
    dirty: boolean,
    now: number,
  ): TimeWindow | null {
    const covered = visibleFrom >= this.from && visibleTo <= this.to;
    if (covered && (!dirty || now - this.drawnAt < this.refreshMs)) return null;
    const margin = Math.max(minMargin, (visibleTo - visibleFrom) / 2);
    this.from = visibleFrom - margin;
    this.to = visibleTo + margin;
    this.drawnAt = now;
    return { from: this.from, to: this.to };
  }

  /** Forget the drawn window (the symbol or interval changed, or nothing is visible). */
  reset(): void {
    this.from = Number.NaN;
    this.to = Number.NaN;
    this.drawnAt = Number.NEGATIVE_INFINITY;
  }
}
