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
 * At most this many fills, the latest in view, are looked at per paint: a zoomed-out view of
 * a strategy that trades every second must not cost a frame.
 */
export const MAX_SCANNED = 5_000;
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

export function markerLabel(fill: Fill): string {
  return `${fill.side === 'buy' ? 'B' : 'S'} ${fill.qty}${fill.source === 'manual' ? ' (m)' : ''}`;
}

export interface LayoutInput {
  /** One symbol's fills, in time order. */
  fills: readonly Fill[];
  bars: MarkedBars;
  forming: FormingExtremes | null;
  /** Fills with time in [from, to] (UTC ms) are marked. */
  from: number;
  to: number;
  barSpacing: number;
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
  fills = new Int32Array(256);
  /** Markers' index in the stack on their bar: 0 nearest the bar. */
  private stack = new Int32Array(256);
  // Scratch for placing labels, kept between paints.
  private textWidth = new Float64Array(256);
  private prev = new Int32Array(256);
  private next = new Int32Array(256);

  layout(input: LayoutInput, view: MarkerView): void {
    this.count = 0;
    this.buyFills = 0;
    this.sellFills = 0;
    const size = markerSize(input.barSpacing);
    this.size = size;
    const { fills, bars, forming } = input;
    const n = bars.length;
    let lo = lowerBound(fills, n > 0 ? Math.max(input.from, bars.timeAt(0)) : input.from);
    const hi = lowerBound(fills, input.to + 1);
    if (hi - lo > MAX_SCANNED) lo = hi - MAX_SCANNED;
    // Per side: the last marker's bar start, pixel column, index and stack height.
    const lastBar = [Number.NaN, Number.NaN];
    const lastPx = [Number.NaN, Number.NaN];
    const lastMarker = [-1, -1];
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
          this.fills[prev]! += 1;
          continue;
        }
      } else if (lastPx[side] === Math.floor(barX)) {
        // Bars thinner than a pixel: a marker already stands for this pixel column.
        this.fills[lastMarker[side]!]! += 1;
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
      this.fills[m] = 1;
      this.stack[m] = stack;
      this.labelWidth[m] = 0;
      lastBar[side] = start;
      lastPx[side] = Math.floor(barX);
      lastMarker[side] = m;
    }
    for (let m = 0; m < this.count; m++) {
      if (this.buy[m] === 1) this.buyFills += this.fills[m]!;
      else this.sellFills += this.fills[m]!;
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
    const lastOfSide = [-1, -1];
    for (let m = 0; m < count; m++) {
      const alone = this.stack[m] === 0 && this.fills[m] === 1;
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
    const half = (m: number): number => (textWidth[m]! > 0 ? textWidth[m]! / 2 : this.size / 2);
    for (let m = 0; m < count; m++) {
      if (textWidth[m] === 0) continue;
      const own = textWidth[m]! / 2 + LABEL_PAD;
      const p = prev[m]!;
      const q = next[m]!;
      if (p >= 0 && this.x[m]! - this.x[p]! < own + half(p)) continue;
      if (q >= 0 && this.x[q]! - this.x[m]! < own + half(q)) continue;
      this.labelWidth[m] = textWidth[m]!;
    }
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
    this.fills = i32(this.fills);
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
