/**
 * Trading on a symbol's chart: fill markers (buy ▲ below, sell ▼ above), the open position's
 * average price as a line with its unrealized P&L in the legend, and the strategy's plot
 * lines. Markers are virtualized: only fills in a window around the visible range (at most
 * MAX_MARKERS, the latest) are handed to the library, whose cost grows with every marker it
 * holds, and a scroll inside that window redraws nothing (marker-window.ts).
 */
import {
  LineSeries,
  LineStyle,
  createSeriesMarkers,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type SeriesType,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { TradingModel } from '../../state/trading-model';
import { formatPrice, MIN_DECIMALS } from '../../../../shared/price-precision';
import { barStartAt, type BarStarts } from './bar-snap';
import { CHART_COLORS } from './chart-theme';
import { MarkerWindow } from './marker-window';

const NO_BARS: BarStarts = { length: 0, timeAt: () => Number.NaN };

export const MAX_MARKERS = 200;
/** New fills or bars redraw the markers at most this often; leaving the drawn window, at once. */
const MARKER_REFRESH_MS = 250;

interface PlotLineState {
  series: ISeriesApi<'Line'>;
  drawn: number;
}

export class TradeOverlay {
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private avgLine: IPriceLine | null = null;
  private avgPrice: number | null = null;
  private readonly lines = new Map<string, PlotLineState>();
  private drawnVersion = -1;
  private readonly window = new MarkerWindow(MARKER_REFRESH_MS);
  private hasWindow = false;
  private symbol = '';
  /** The symbol's price decimals (price-precision.ts), for the average price. */
  decimals = MIN_DECIMALS;
  private spanMs = 60_000;
  private bars: BarStarts = NO_BARS;
  private formingStart: number | null = null;
  private barsKey = '';

  constructor(
    private readonly chart: IChartApi,
    private readonly series: ISeriesApi<SeriesType>,
    private readonly model: TradingModel,
    private readonly legend: HTMLElement | null,
  ) {
    this.markers = createSeriesMarkers(series, []);
  }

  /** The symbol and bar span shown; markers snap to the bar holding each fill. */
  show(symbol: string, spanMs: number): void {
    if (symbol === this.symbol && spanMs === this.spanMs) return;
    this.symbol = symbol;
    this.spanMs = spanMs;
    this.drawnVersion = -1;
    this.window.reset();
    for (const line of this.lines.values()) this.chart.removeSeries(line.series);
    this.lines.clear();
  }

  /**
   * The bars the chart shows (start times, UTC ms): markers snap to the bar holding each fill.
   * `version` changes whenever they do.
   */
  setBars(bars: BarStarts | null, formingStart: number | null, version: string): void {
    this.bars = bars ?? NO_BARS;
    this.formingStart = formingStart;
    if (version === this.barsKey) return;
    this.barsKey = version;
    this.drawnVersion = -1;
  }

  frame(): void {
    const model = this.model;
    const range = this.chart.timeScale().getVisibleRange();
    const changed = model.version !== this.drawnVersion;
    if (!range) {
      if (this.hasWindow) this.markers.setMarkers([]);
      this.hasWindow = false;
      this.window.reset();
    } else {
      const next = this.window.next(
        (range.from as number) * 1000,
        (range.to as number) * 1000,
        this.spanMs,
        changed,
        performance.now(),
      );
      if (next === null) return;
      this.hasWindow = true;
      this.drawnVersion = model.version;
      this.drawMarkers(next.from, next.to);
    }
    if (changed) {
      this.drawPosition();
      this.drawPlots();
    }
  }

  dispose(): void {
    this.markers.detach();
  }

  private drawMarkers(from: number, to: number): void {
    const fills = this.model.fillsBetween(this.symbol, from, to, MAX_MARKERS);
    const markers: SeriesMarker<Time>[] = [];
    for (const f of fills) {
      const start = barStartAt(this.bars, this.formingStart, f.time);
      if (start === null) continue;
      const buy = f.side === 'buy';
      markers.push({
        time: (start / 1000) as UTCTimestamp,
        position: buy ? 'belowBar' : 'aboveBar',
        shape: buy ? 'arrowUp' : 'arrowDown',
        color: buy ? CHART_COLORS.up : CHART_COLORS.down,
        text: `${buy ? 'B' : 'S'} ${f.qty}${f.source === 'manual' ? ' (m)' : ''}`,
        id: String(f.seq),
      });
    }
    this.markers.setMarkers(markers);
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
