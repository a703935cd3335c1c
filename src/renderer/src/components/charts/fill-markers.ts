/**
 * Fill markers drawn by the chart itself, as a series primitive: every paint lays out the
 * fills in view (fill-marker-layout.ts) and draws all buy arrows as one path, all sell arrows
 * as another, and the labels that have room. lightweight-charts' own markers plugin re-maps
 * every marker it holds whenever the series' data changes (a new bar each frame in a replay)
 * and draws each with its own path and save/restore, so it cost about 1.5 ms a frame with a
 * few hundred fills in view; see docs/strategies.md.
 */
import type {
  AutoscaleInfo,
  IChartApiBase,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  Logical,
  ISeriesPrimitive,
  SeriesAttachedParameter,
  SeriesType,
  Time,
} from 'lightweight-charts';
import type { Fill } from '../../../../shared/strategy/types';
import { CHART_COLORS } from './chart-theme';
import { toTime } from './chart-time';
import {
  FillMarkerLayout,
  MARKER_GAP,
  MAX_STACK,
  markerLabel,
  markerSize,
  type FormingExtremes,
  type MarkedBars,
  type MarkerView,
} from './fill-marker-layout';

type RenderingTarget = Parameters<IPrimitivePaneRenderer['draw']>[0];

const NO_BARS: MarkedBars = {
  length: 0,
  timeAt: () => Number.NaN,
  highAt: () => Number.NaN,
  lowAt: () => Number.NaN,
};
/** Distinct label texts whose widths are remembered (a strategy has few order sizes). */
const WIDTH_CACHE = 512;

export class FillMarkers implements ISeriesPrimitive<Time> {
  private chart: IChartApiBase<Time> | null = null;
  private series: ISeriesApi<SeriesType> | null = null;
  private requestUpdate: (() => void) | null = null;
  private fills: readonly Fill[] = [];
  private bars: MarkedBars = NO_BARS;
  private forming: FormingExtremes | null = null;
  private readonly placed = new FillMarkerLayout();
  private readonly views: readonly IPrimitivePaneView[];
  private readonly widths = new Map<string, number>();
  private measure: CanvasRenderingContext2D | null = null;
  private font = '';
  private fontSize = 12;
  private readonly view: MarkerView = {
    x: (barStart) => this.chart?.timeScale().timeToCoordinate(toTime(barStart)) ?? null,
    y: (price) => this.series?.priceToCoordinate(price) ?? null,
    labelWidth: (text) => this.labelWidth(text),
  };

  /** Set when the view or the data changed; the layout is redone when the chart paints next. */
  private stale = true;

  constructor() {
    const renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };
    this.views = [
      {
        renderer: () => {
          if (this.stale) this.layout();
          return renderer;
        },
        zOrder: () => 'top',
      },
    ];
  }

  /** Buy fills the last paint marked. */
  get markedBuys(): number {
    return this.placed.buyFills;
  }

  /** Sell fills the last paint marked. */
  get markedSells(): number {
    return this.placed.sellFills;
  }

  /** The earliest and latest fill times (UTC ms) the last paint marked; NaN for none. */
  get markedFrom(): number {
    return this.placed.firstTime;
  }

  get markedTo(): number {
    return this.placed.lastTime;
  }

  attached(param: SeriesAttachedParameter<Time>): void {
    this.chart = param.chart;
    this.series = param.series;
    this.requestUpdate = param.requestUpdate;
    const { fontSize, fontFamily } = this.chart.options().layout;
    this.fontSize = fontSize;
    this.font = `${fontSize}px ${fontFamily}`;
  }

  detached(): void {
    this.chart = null;
    this.series = null;
    this.requestUpdate = null;
  }

  /**
   * The bars the chart shows, which markers snap to (under a bar's low, over its high). Given
   * every frame: a change to them is a change to the chart's series too, which repaints.
   */
  setBars(bars: MarkedBars | null, forming: FormingExtremes | null): void {
    this.bars = bars ?? NO_BARS;
    this.forming = forming;
  }

  /** One symbol's fills to mark (time order; the list may grow in place), when they changed. */
  setFills(fills: readonly Fill[]): void {
    this.fills = fills;
    this.stale = true;
    this.requestUpdate?.();
  }

  /**
   * The library calls this for every change to the series (each bar a replay appends) and
   * before every paint that is not the crosshair's alone, scrolls and zooms included: it only
   * marks the layout stale, which the next paint redoes once.
   */
  updateAllViews(): void {
    this.stale = true;
  }

  private layout(): void {
    this.stale = false;
    const timeScale = this.fills.length === 0 ? null : this.chart?.timeScale();
    const range = timeScale?.getVisibleRange();
    if (!timeScale || !range) {
      this.placed.clear();
      return;
    }
    // The bar spacing from two coordinates: reading it from the options copies all of them.
    const x0 = timeScale.logicalToCoordinate(0 as Logical);
    const x1 = timeScale.logicalToCoordinate(1 as Logical);
    this.placed.layout(
      {
        fills: this.fills,
        bars: this.bars,
        forming: this.forming,
        firstShown: (range.from as number) * 1000,
        lastShown: (range.to as number) * 1000,
        barSpacing: x0 !== null && x1 !== null ? x1 - x0 : 6,
      },
      this.view,
    );
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  /** Room above and below the bars for a marker and its label, once the symbol has fills. */
  autoscaleInfo(): AutoscaleInfo | null {
    if (this.fills.length === 0) return null;
    // The library asks on every scroll and zoom step: the size from the last layout will do
    // (reading the time scale's options copies them).
    const size = this.placed.size || markerSize(6);
    // A full stack of arrows, or one arrow and its label, whichever is taller.
    const room =
      MARKER_GAP + Math.max(MAX_STACK * (size + MARKER_GAP), size + MARKER_GAP + this.fontSize);
    return { priceRange: null, margins: { above: room, below: room } };
  }

  private draw(target: RenderingTarget): void {
    const p = this.placed;
    if (p.count === 0) return;
    target.useMediaCoordinateSpace(({ context: ctx }) => {
      arrows(ctx, p, true);
      arrows(ctx, p, false);
      ctx.font = this.font;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      const away = p.size / 2 + MARKER_GAP + this.fontSize / 2;
      for (let m = 0; m < p.count; m++) {
        if (p.labelWidth[m] === 0) continue;
        const buy = p.buy[m] === 1;
        ctx.fillStyle = buy ? CHART_COLORS.up : CHART_COLORS.down;
        ctx.fillText(markerLabel(this.fills[p.fill[m]!]!), p.x[m]!, p.y[m]! + (buy ? away : -away));
      }
    });
  }

  private labelWidth(text: string): number {
    let width = this.widths.get(text);
    if (width !== undefined) return width;
    if (!this.measure) {
      this.measure = document.createElement('canvas').getContext('2d');
      if (!this.measure) return text.length * this.fontSize * 0.6;
      this.measure.font = this.font;
    }
    width = this.measure.measureText(text).width;
    if (this.widths.size >= WIDTH_CACHE) this.widths.clear();
    this.widths.set(text, width);
    return width;
  }
}

/** One side's arrows as a single path: one fill call however many there are. */
function arrows(ctx: CanvasRenderingContext2D, p: FillMarkerLayout, buy: boolean): void {
  const side = buy ? 1 : 0;
  ctx.fillStyle = buy ? CHART_COLORS.up : CHART_COLORS.down;
  ctx.beginPath();
  for (let m = 0; m < p.count; m++)
    if (p.buy[m] === side) arrow(ctx, p.x[m]!, p.y[m]!, p.size, buy);
  ctx.fill();
}

/** An arrow of `size` pixels centred on (x, y), pointing up for a buy, down for a sell. */
function arrow(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  size: number,
  up: boolean,
): void {
  const half = size / 2;
  const shaft = Math.max(1, size / 6);
  const d = up ? 1 : -1;
  const tip = y - d * half;
  ctx.moveTo(x, tip);
  ctx.lineTo(x + half, y);
  ctx.lineTo(x + shaft, y);
  ctx.lineTo(x + shaft, y + d * half);
  ctx.lineTo(x - shaft, y + d * half);
  ctx.lineTo(x - shaft, y);
  ctx.lineTo(x - half, y);
  ctx.closePath();
}
