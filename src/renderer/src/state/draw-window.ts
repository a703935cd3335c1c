/**
 * How much of a series a chart holds, and how new bars reach it. Measured on lightweight-charts
 * 5.2 (Chromium, production build): every `update` that adds a time point rebuilds each
 * series' plot list, so it costs O(bars held) — about 2.7 ms per bar at 23,400 1s bars with
 * candles, volume, bid and ask — and `setData` costs about as much as 30 such updates. So a
 * chart holds a window of the latest bars while it follows the replay (older ones are paged
 * in when the user scrolls back to them), appends new bars with `update` within each frame's
 * budget, and resets from the store only when it has fallen too far behind to catch up.
 *
 * While following, the window is sized to what is on screen (`followWindow`), not the full
 * 2,000: a frame that added time points repaints with a plot-list rebuild over every bar held,
 * so four charts of 1s bars at 300× spent ~38% of the main thread in the library's paint
 * holding 2,000–4,000 bars, and ~8% holding 300–600 (CPU profile, headless Chromium). The
 * trim's `setData`, once a window's worth of bars, shrinks with it.
 */
export interface DrawWindowOptions {
  /** Bars kept while following the live edge. */
  window: number;
  /**
   * Past this many bars not yet drawn, one setData catches up (replay is outrunning the
   * chart, at max speed say); below it, appends are spread over frames within their budget.
   */
  batchLimit: number;
}

export const DRAW_WINDOW: DrawWindowOptions = { window: 2000, batchLimit: 240 };

export interface DrawState {
  /** Bars in the store. */
  length: number;
  /** Index of the first bar the chart holds. */
  offset: number;
  /** One past the last bar the chart holds. */
  drawnEnd: number;
  /** Whether the user is looking at the newest bars (not browsing history). */
  atLiveEdge: boolean;
}

export type DrawStep =
  | { kind: 'none' }
  | { kind: 'append'; from: number; to: number }
  | { kind: 'reset'; offset: number };

export function planDraw(s: DrawState, o: DrawWindowOptions = DRAW_WINDOW): DrawStep {
  const fresh = s.length - s.drawnEnd;
  if (fresh <= 0) return { kind: 'none' };
  const held = s.length - s.offset;
  if (s.atLiveEdge && held > 2 * o.window) {
    return { kind: 'reset', offset: s.length - o.window };
  }
  if (fresh > o.batchLimit) {
    return {
      kind: 'reset',
      offset: s.atLiveEdge ? Math.max(s.offset, s.length - o.window) : s.offset,
    };
  }
  return { kind: 'append', from: s.drawnEnd, to: s.length };
}

/** The live-edge window never shrinks below this, so a trim is rare even zoomed right in. */
export const MIN_FOLLOW_WINDOW = 300;
/** Bars held per bar on screen while following: the view plus as much again to scroll into. */
const FOLLOW_FACTOR = 2;

/**
 * The window to keep while following the live edge, from the bars on screen (null: not known
 * yet). Trimming happens at twice the window, so a chart at the live edge never trims bars it
 * shows, and a zoomed-out view keeps up to `o.window`.
 */
export function followWindow(
  visibleBars: number | null,
  o: DrawWindowOptions = DRAW_WINDOW,
): number {
  if (visibleBars === null || !Number.isFinite(visibleBars)) return o.window;
  return Math.min(o.window, Math.max(MIN_FOLLOW_WINDOW, Math.ceil(visibleBars * FOLLOW_FACTOR)));
}

/** Where a (re)drawn chart starts: the latest `window` bars. */
export function initialOffset(length: number, o: DrawWindowOptions = DRAW_WINDOW): number {
  return Math.max(0, length - o.window);
}

/** Paging back in: another window of older bars. */
export function extendedOffset(offset: number, o: DrawWindowOptions = DRAW_WINDOW): number {
  return Math.max(0, offset - o.window);
}
