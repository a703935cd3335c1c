/**
 * Where a chart's fill markers go: buys as ▲ under the bar holding the fill, sells as ▼ over
 * it, several fills of one side on one bar stacked, and a label ("B 100") only where it has
 * room. Recomputed for every paint from the fills in view, so the work is proportional to what
 * is on screen, never to the fills held; pure, so tests drive it without a canvas.
 */
import type { Fill } from '../../../../shared/strategy/types';
import { barIndexAt, formingHolds, type BarStarts } from './bar-snap';
import { sidesOf } from './fill-sides';

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
 * Fills merged into one marker before the layout jumps to the next bar or pixel column with a
 * binary search: zoomed far out, the work follows the chart's width, not the fills in view.
 */
const JUMP_AFTER = 8;
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
function fillWindow(
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
  /** Times (UTC ms) of the earliest and latest fill marked; NaN when none is. */
  firstTime = Number.NaN;
  lastTime = Number.NaN;
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
  /** Scratch for placing labels, kept between paints: a candidate label's width, else 0. */
  private textWidth = new Float64Array(256);

  layout(input: LayoutInput, view: MarkerView): void {
    this.clear();
    this.size = markerSize(input.barSpacing);
    const { fills, bars } = input;
    const { from, to } = fillWindow(bars, input.firstShown, input.lastShown);
    // Fills before the first bar held have no bar to sit on (the forming bar starts later).
    const start = bars.length > 0 ? Math.max(from, bars.timeAt(0)) : from;
    const sides = sidesOf(fills);
    this.buyFills = this.placeSide(input, view, sides.buys, sides.buyCount, start, to, 1);
    this.sellFills = this.placeSide(input, view, sides.sells, sides.sellCount, start, to, 0);
    this.placeLabels(fills, view);
  }

  /**
   * One side's markers, in time order, for its fills with time in [from, to] (`index` lists
   * them in the input's `fills`). Returns how many fills the markers stand for.
   */
  private placeSide(
    input: LayoutInput,
    view: MarkerView,
    index: Int32Array,
    count: number,
    from: number,
    to: number,
    side: 0 | 1,
  ): number {
    const { fills, bars, forming } = input;
    const n = bars.length;
    const size = this.size;
    // No cap on the fills looked at: a marker is made, or JUMP_AFTER fills merged into it, at
    // most a stack per bar of a pixel or more, and one jump per pixel column where bars are
    // thinner; so the work is bounded by the chart's width, however many fills are in view.
    const lo = lowerBound(fills, index, count, from);
    const hi = to === Number.POSITIVE_INFINITY ? count : lowerBound(fills, index, count, to + 1);
    let marked = 0;
    // The last marker's bar start, pixel column and index, and fills merged into it since.
    let lastBar = Number.NaN;
    let lastColumn = Number.NaN;
    let last = -1;
    let merged = 0;
    let barIndex = -1;
    let barStart = Number.NaN;
    let barX: number | null = null;
    let high = 0;
    let low = 0;
    for (let k = lo; k < hi; k++) {
      const i = index[k]!;
      const t = fills[i]!.time;
      let start: number;
      const onForming = forming !== null && formingHolds(bars, forming.time, t);
      if (forming !== null && onForming) {
        start = forming.time;
        high = forming.high;
        low = forming.low;
      } else {
        // Fills come in time order, so the bar is usually the last one or a few after it.
        if (barIndex >= 0 && bars.timeAt(barIndex) <= t) {
          let steps = 0;
          while (barIndex + 1 < n && bars.timeAt(barIndex + 1) <= t && ++steps <= 4) barIndex++;
          if (steps > 4) barIndex = barIndexAt(bars, t);
        } else {
          barIndex = barIndexAt(bars, t);
        }
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
      const column = Math.floor(barX);
      let stack = 0;
      const sameBar = lastBar === start;
      if (sameBar) stack = this.stack[last]! + 1;
      if ((sameBar && stack >= MAX_STACK) || (!sameBar && lastColumn === column)) {
        // A full stack, or bars thinner than a pixel: the last marker stands for this fill.
        this.represents[last]! += 1;
        marked++;
        this.saw(t);
        if (++merged < JUMP_AFTER) continue;
        // Many here: jump to the first fill past this bar (a full stack) or this pixel column.
        let target = hi;
        if (!onForming) {
          const next = sameBar ? barIndex + 1 : firstBarRightOf(bars, barIndex, column, view);
          if (next < n) target = lowerBound(fills, index, count, bars.timeAt(next));
          else if (forming !== null) target = lowerBound(fills, index, count, forming.time);
          target = Math.min(target, hi);
        }
        if (target > k + 1) {
          this.represents[last]! += target - (k + 1);
          marked += target - (k + 1);
          k = target - 1;
          this.saw(fills[index[k]!]!.time);
        }
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
      marked++;
      this.saw(t);
      merged = 0;
      lastBar = start;
      lastColumn = column;
      last = m;
    }
    return marked;
  }

  /**
   * A marker alone on its bar's side is labelled when its label clears its neighbours on that
   * side (their labels, or their arrows when they are stacked). Decided from neighbours only,
   * not greedily, so a label does not flicker as the view scrolls. Each side's markers are
   * contiguous and in time order, so a marker's neighbours on its side are m - 1 and m + 1.
   */
  private placeLabels(fills: readonly Fill[], view: MarkerView): void {
    const count = this.count;
    const { textWidth, stack, buy } = this;
    for (let m = 0; m < count; m++) {
      // Alone: first on its bar, standing for one fill, and no marker stacked on it.
      const alone =
        stack[m] === 0 &&
        this.represents[m] === 1 &&
        !(m + 1 < count && buy[m + 1] === buy[m] && stack[m + 1]! > 0);
      textWidth[m] = alone ? view.labelWidth(markerLabel(fills[this.fill[m]!]!)) : 0;
    }
    for (let m = 0; m < count; m++) {
      if (textWidth[m] === 0) continue;
      const own = textWidth[m]! / 2 + LABEL_PAD;
      const p = m - 1;
      const q = m + 1;
      if (p >= 0 && buy[p] === buy[m] && this.x[m]! - this.x[p]! < own + this.halfExtent(p))
        continue;
      if (q < count && buy[q] === buy[m] && this.x[q]! - this.x[m]! < own + this.halfExtent(q))
        continue;
      this.labelWidth[m] = textWidth[m]!;
    }
  }

  /** Half the width a neighbour takes up: its label's if it may have one, else its arrow's. */
  private halfExtent(m: number): number {
    const w = this.textWidth[m]!;
    return w > 0 ? w / 2 : this.size / 2;
  }

  private saw(t: number): void {
    if (!(t >= this.firstTime)) this.firstTime = t;
    if (!(t <= this.lastTime)) this.lastTime = t;
  }

  /** Nothing to mark. */
  clear(): void {
    this.count = 0;
    this.buyFills = 0;
    this.sellFills = 0;
    this.firstTime = Number.NaN;
    this.lastTime = Number.NaN;
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
  }
}

/** First position k in `index` (of `count`) whose fill has time >= t. */
function lowerBound(fills: readonly Fill[], index: Int32Array, count: number, t: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fills[index[mid]!]!.time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The first bar after `from` drawn right of pixel column `column` (bars the chart does not
 * hold yet count as right of it), or `bars.length`.
 */
function firstBarRightOf(bars: MarkedBars, from: number, column: number, view: MarkerView): number {
  let lo = from + 1;
  let hi = bars.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = view.x(bars.timeAt(mid));
    if (x !== null && Math.floor(x) <= column) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
