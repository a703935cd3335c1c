/**
 * Where a chart's fill markers go: buys as ▲ under the bar holding the fill, sells as ▼ over
 * it, several fills of one side on one bar stacked, and a label ("B 100") only where it has
 * room. Recomputed for every paint from the fills in view, so the work is proportional to what
 * is on screen, never to the fills held; pure, so tests drive it without a canvas.
 */
import type { Fill } from '../../../../shared/strategy/types';
import { barIndexAt, formingHolds, type BarStarts } from './bar-snap';

/** The chart's bars: start times (ascending, UTC ms) with their extremes. */
export interface MarkedBars extends BarStarts {
  highAt(index: number): number;
  lowAt(index: number): number;
}

export interface FormingExtremes {
  time: number;
  high: number;
  low: number;
}

/** The chart's coordinates, in CSS pixels. */
export interface MarkerView {
  /** x of the bar starting at `barStart` (UTC ms), or null when the chart shows no such bar. */
  x(barStart: number): number | null;
  y(price: number): number | null;
  labelWidth(text: string): number;
}

/**
 * At most this many fills, the latest in view, are looked at per paint (a day of a strategy
 * trading every second, zoomed out to the whole day, is about half of it): past that, the
 * oldest in view go unmarked rather than a paint taking tens of milliseconds.
 */
export const MAX_SCANNED = 50_000;
/** Fills of one side on one bar drawn; more than that on a bar are one stack of this height. */
export const MAX_STACK = 3;
/** Pixels between a bar's wick and its first marker, and between stacked markers. */
export const MARKER_GAP = 3;
/** Pixels kept clear between neighbouring labels (or a label and a marker). */
const LABEL_PAD = 4;

/** Arrow size in pixels for a bar spacing: as wide as a bar, readable when bars are thin. */
export function markerSize(barSpacing: number): number {
  return Math.min(16, Math.max(7, Math.round(barSpacing)));
}

/** Fills never change once made, so each label is built once, not at every paint. */
const labels = new WeakMap<Fill, string>();

export function markerLabel(fill: Fill): string {
  let label = labels.get(fill);
  if (label === undefined) {
    label = `${fill.side === 'buy' ? 'B' : 'S'} ${fill.qty}${fill.source === 'manual' ? ' (m)' : ''}`;
    labels.set(fill, label);
  }
  return label;
}

export interface LayoutInput {
  /** One symbol's fills, in time order. */
  fills: readonly Fill[];
  bars: MarkedBars;
  forming: FormingExtremes | null;
  /** Start times (UTC ms) of the first and last bars in view. */
  firstShown: number;
  lastShown: number;
  barSpacing: number;
}

/**
 * The fills the bars in view hold, and those of one bar more each side (drawn half in view):
 * from the start of the bar before the first shown to just before the start of the second bar
 * after the last shown. A fill belongs to the last bar starting at or before it, so on sparse
 * bars one stamped long after the last bar in view is still that bar's.
 */
export function fillWindow(
  bars: MarkedBars,
  firstShown: number,
  lastShown: number,
): { from: number; to: number } {
  const n = bars.length;
  const first = barIndexAt(bars, firstShown) - 1;
  const after = barIndexAt(bars, lastShown) + 2;
  return {
    from: first >= 0 ? bars.timeAt(first) : Number.NEGATIVE_INFINITY,
    to: after < n ? bars.timeAt(after) - 1 : Number.POSITIVE_INFINITY,
  };
}

export class FillMarkerLayout {
  count = 0;
  size = 0;
  /** Buy and sell fills the markers stand for. */
  buyFills = 0;
  sellFills = 0;
  x = new Float64Array(256);
  y = new Float64Array(256);
  /** 1 for a buy (▲ under the bar), 0 for a sell. */
  buy = new Uint8Array(256);
  /** Index of the marker's fill in the input's `fills`. */
  fill = new Int32Array(256);
  /** Label text width when the marker is labelled, else 0. */
  labelWidth = new Float64Array(256);
  /** How many fills each marker stands for (more than one where fills share a pixel). */
  represents = new Int32Array(256);
  /** Markers' index in the stack on their bar: 0 nearest the bar. */
  private stack = new Int32Array(256);
  // Scratch, kept between paints.
  private readonly lastBar = [Number.NaN, Number.NaN];
  private readonly lastPx = [Number.NaN, Number.NaN];
  private readonly lastMarker = [-1, -1];
  private readonly lastOfSide = [-1, -1];
  private textWidth = new Float64Array(256);
  private prev = new Int32Array(256);
  private next = new Int32Array(256);

  layout(input: LayoutInput, view: MarkerView): void {
    this.clear();
    const size = markerSize(input.barSpacing);
    this.size = size;
    const { fills, bars, forming } = input;
    const n = bars.length;
    const { from, to } = fillWindow(bars, input.firstShown, input.lastShown);
    // Fills before the first bar held have no bar to sit on (the forming bar starts later).
    let lo = lowerBound(fills, n > 0 ? Math.max(from, bars.timeAt(0)) : from);
    const hi = to === Number.POSITIVE_INFINITY ? fills.length : lowerBound(fills, to + 1);
    if (hi - lo > MAX_SCANNED) lo = hi - MAX_SCANNED;
    // Per side (index 1 buys, 0 sells): the last marker's bar start, pixel column and index.
    const { lastBar, lastPx, lastMarker } = this;
    lastBar[0] = lastBar[1] = Number.NaN;
    lastPx[0] = lastPx[1] = Number.NaN;
    lastMarker[0] = lastMarker[1] = -1;
    let barIndex = -1;
    let barStart = Number.NaN;
    let barX: number | null = null;
    let high = 0;
    let low = 0;
    for (let i = lo; i < hi; i++) {
      const f = fills[i]!;
      const t = f.time;
      let start: number;
      if (forming !== null && formingHolds(bars, forming.time, t)) {
        start = forming.time;
        high = forming.high;
        low = forming.low;
      } else {
        // Fills come in time order, so the bar is usually the last one or the next.
        if (!(
          barIndex >= 0 &&
          bars.timeAt(barIndex) <= t &&
          (barIndex + 1 >= n || bars.timeAt(barIndex + 1) > t)
        ))
          barIndex = barIndexAt(bars, t);
        if (barIndex < 0) continue;
        start = bars.timeAt(barIndex);
        high = bars.highAt(barIndex);
        low = bars.lowAt(barIndex);
      }
      if (start !== barStart) {
        barStart = start;
        barX = view.x(start);
      }
      if (barX === null) continue;
      const side = f.side === 'buy' ? 1 : 0;
      let stack = 0;
      if (lastBar[side] === start) {
        const prev = lastMarker[side]!;
        stack = this.stack[prev]! + 1;
        if (stack >= MAX_STACK) {
          this.represents[prev]! += 1;
          continue;
        }
      } else if (lastPx[side] === Math.floor(barX)) {
        // Bars thinner than a pixel: a marker already stands for this pixel column.
        this.represents[lastMarker[side]!]! += 1;
        continue;
      }
      const wick = view.y(side === 1 ? low : high);
      if (wick === null) continue;
      const offset = MARKER_GAP + size / 2 + stack * (size + MARKER_GAP);
      const m = this.push();
      this.x[m] = barX;
      this.y[m] = side === 1 ? wick + offset : wick - offset;
      this.buy[m] = side;
      this.fill[m] = i;
      this.represents[m] = 1;
      this.stack[m] = stack;
      this.labelWidth[m] = 0;
      lastBar[side] = start;
      lastPx[side] = Math.floor(barX);
      lastMarker[side] = m;
    }
    for (let m = 0; m < this.count; m++) {
      if (this.buy[m] === 1) this.buyFills += this.represents[m]!;
      else this.sellFills += this.represents[m]!;
    }
    this.placeLabels(fills, view);
  }

  /**
   * A marker alone on its bar's side is labelled when its label clears its neighbours on that
   * side (their labels, or their arrows when they are stacked). Decided from neighbours only,
   * not greedily, so a label does not flicker as the view scrolls.
   */
  private placeLabels(fills: readonly Fill[], view: MarkerView): void {
    const count = this.count;
    const { textWidth, prev, next } = this;
    const lastOfSide = this.lastOfSide;
    lastOfSide[0] = lastOfSide[1] = -1;
    for (let m = 0; m < count; m++) {
      const alone = this.stack[m] === 0 && this.represents[m] === 1;
      textWidth[m] = alone ? view.labelWidth(markerLabel(fills[this.fill[m]!]!)) : 0;
      next[m] = -1;
      const side = this.buy[m]!;
      const p = lastOfSide[side]!;
      prev[m] = p;
      if (p >= 0) {
        next[p] = m;
        // A marker stacked on the previous one's bar: that one is not alone after all.
        if (this.stack[m]! > 0) textWidth[p] = 0;
      }
      lastOfSide[side] = m;
    }
    for (let m = 0; m < count; m++) {
      if (textWidth[m] === 0) continue;
      const own = textWidth[m]! / 2 + LABEL_PAD;
      const p = prev[m]!;
      const q = next[m]!;
      if (p >= 0 && this.x[m]! - this.x[p]! < own + this.halfExtent(p)) continue;
      if (q >= 0 && this.x[q]! - this.x[m]! < own + this.halfExtent(q)) continue;
      this.labelWidth[m] = textWidth[m]!;
    }
  }

  /** Half the width a neighbour takes up: its label's if it may have one, else its arrow's. */
  private halfExtent(m: number): number {
    const w = this.textWidth[m]!;
    return w > 0 ? w / 2 : this.size / 2;
  }

  /** Nothing to mark. */
  clear(): void {
    this.count = 0;
    this.buyFills = 0;
    this.sellFills = 0;
  }

  private push(): number {
    if (this.count === this.x.length) this.grow(this.x.length * 2);
    return this.count++;
  }

  private grow(capacity: number): void {
    const f64 = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    const b = new Uint8Array(capacity);
    b.set(this.buy);
    this.buy = b;
    this.x = f64(this.x);
    this.y = f64(this.y);
    this.labelWidth = f64(this.labelWidth);
    this.textWidth = f64(this.textWidth);
    this.fill = i32(this.fill);
    this.represents = i32(this.represents);
    this.stack = i32(this.stack);
    this.prev = i32(this.prev);
    this.next = i32(this.next);
  }
}

/** First fill with time >= t. */
function lowerBound(fills: readonly Fill[], t: number): number {
  let lo = 0;
  let hi = fills.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fills[mid]!.time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
