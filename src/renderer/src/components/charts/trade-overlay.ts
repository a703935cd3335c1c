/**
 * Trading on a symbol's chart: fill markers (buy ▲ below, sell ▼ above; fill-markers.ts draws
 * those in view at every paint), the open position's average price as a line with its
 * unrealized P&L in the legend, and the strategy's plot lines.
 */
import {
  LineSeries,
  LineStyle,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type SeriesType,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { TradingModel } from '../../state/trading-model';
import { formatPrice, MIN_DECIMALS } from '../../../../shared/price-precision';
import type { FormingExtremes, MarkedBars } from './fill-marker-layout';
import { FillMarkers } from './fill-markers';

const NO_FILLS: readonly never[] = [];
/** The fills-in-view words change at most this often. */
const DESCRIBE_EVERY_MS = 250;

interface PlotLineState {
  series: ISeriesApi<'Line'>;
  drawn: number;
}

export class TradeOverlay {
  readonly markers = new FillMarkers();
  private avgLine: IPriceLine | null = null;
  private avgPrice: number | null = null;
  private readonly lines = new Map<string, PlotLineState>();
  private drawnVersion = -1;
  private symbol = '';
  /** The symbol's price decimals (price-precision.ts), for the average price. */
  decimals = MIN_DECIMALS;
  private spanMs = 60_000;
  private describedAt = Number.NEGATIVE_INFINITY;
  private describedBuys = -1;
  private describedFrom = Number.NaN;
  private describedSells = -1;

  constructor(
    private readonly chart: IChartApi,
    private readonly series: ISeriesApi<SeriesType>,
    private readonly model: TradingModel,
    private readonly legend: HTMLElement | null,
    /** Says in words what the markers show, for screen readers (the canvas says nothing). */
    private readonly inView: HTMLElement | null = null,
    /** Fill times as the chart's clock shows them (its zone). */
    private readonly clock: (t: number) => string = String,
  ) {
    series.attachPrimitive(this.markers);
  }

  /** The symbol and bar span shown; markers snap to the bar holding each fill. */
  show(symbol: string, spanMs: number): void {
    if (symbol === this.symbol && spanMs === this.spanMs) return;
    this.symbol = symbol;
    this.spanMs = spanMs;
    this.drawnVersion = -1;
    for (const line of this.lines.values()) this.chart.removeSeries(line.series);
    this.lines.clear();
  }

  /** The bars the chart shows, given every frame: markers snap to the bar holding each fill. */
  setBars(bars: MarkedBars | null, forming: FormingExtremes | null): void {
    this.markers.setBars(bars, forming);
  }

  frame(): void {
    this.describeMarked();
    const model = this.model;
    if (model.version === this.drawnVersion) return;
    this.drawnVersion = model.version;
    this.markers.setFills(model.bySymbol.get(this.symbol) ?? NO_FILLS);
    this.drawPosition();
    this.drawPlots();
  }

  dispose(): void {
    this.series.detachPrimitive(this.markers);
  }

  private describeMarked(): void {
    if (!this.inView) return;
    const { markedBuys: buys, markedSells: sells, markedFrom: from, markedTo: to } = this.markers;
    if (buys === this.describedBuys && sells === this.describedSells && from === this.describedFrom)
      return;
    // A replay changes the counts every frame; words for a screen reader need not change that
    // often, and each change is a text node the page lays out again. Skipped ones come back
    // next frame, since the counts still differ from those described.
    const now = performance.now();
    if (now - this.describedAt < DESCRIBE_EVERY_MS) return;
    this.describedAt = now;
    this.describedBuys = buys;
    this.describedSells = sells;
    this.describedFrom = from;
    const n = buys + sells;
    this.inView.textContent =
      n === 0
        ? 'No fills in view'
        : `${n} fills in view: ${buys} buys, ${sells} sells, from ${this.clock(from)} to ${this.clock(to)}`;
  }

  private drawPosition(): void {
    const p = this.model.positions.find((x) => x.symbol === this.symbol);
    const avg = p && p.position !== 0 ? p.avg_price : null;
    if (avg !== this.avgPrice) {
      if (this.avgLine) this.series.removePriceLine(this.avgLine);
      this.avgLine =
        avg === null
          ? null
          : this.series.createPriceLine({
              price: avg,
              color: '#f5a623',
              lineWidth: 1,
              lineStyle: LineStyle.Dashed,
              axisLabelVisible: true,
              title: 'avg',
            });
      this.avgPrice = avg;
    }
    if (this.legend) {
      const text =
        p && p.position !== 0
          ? `Pos ${p.position} @ ${formatPrice(p.avg_price, this.decimals)}  uP&L ${p.unrealized_pnl >= 0 ? '+' : ''}${p.unrealized_pnl.toFixed(2)}`
          : '';
      if (this.legend.textContent !== text) this.legend.textContent = text;
    }
  }

  private drawPlots(): void {
    for (const [key, plot] of this.model.plots) {
      if (plot.symbol !== this.symbol) continue;
      let state = this.lines.get(key);
      if (!state) {
        state = {
          series: this.chart.addSeries(LineSeries, {
            color: plot.color ?? '#8e7dff',
            lineWidth: 1,
            priceLineVisible: false,
            lastValueVisible: false,
            title: plot.name,
          }),
          drawn: 0,
        };
        this.lines.set(key, state);
      }
      if (plot.time.length === state.drawn) continue;
      // One point per chart second: the last value within a second wins.
      const data: { time: UTCTimestamp; value: number }[] = [];
      for (let i = 0; i < plot.time.length; i++) {
        const time = Math.floor(plot.time[i]! / 1000) as UTCTimestamp;
        if (data.length > 0 && data[data.length - 1]!.time === time)
          data[data.length - 1]!.value = plot.value[i]!;
        else data.push({ time, value: plot.value[i]! });
      }
      state.series.setData(data);
      state.drawn = plot.time.length;
    }
  }
}
