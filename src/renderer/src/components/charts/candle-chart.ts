/**
 * One chart: candles at an interval, volume in its own pane, bid/ask lines for quote symbols
 * (and their mid without candles), trade prints for a ticks-only symbol.
 * It draws from the renderer's series store once per animation frame. New completed bars are
 * appended with `update` and the forming bar replaces the last candle; `setData` runs only on
 * a switch, a resync, a refilled gap, or when the draw window says so (see draw-window.ts for
 * the measured reasons). Chart times are UTC seconds; labels are formatted in exchange time.
 */
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  HistogramSeries,
  createChartEx,
  type CandlestickData,
  type ChartOptions,
  type DeepPartial,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type LogicalRange,
  type MouseEventParams,
  type Time,
} from 'lightweight-charts';
import { intervalMs } from '../../../../shared/interval';
import type { FormingBar } from '../../../../shared/ipc-contract';
import type { Bar } from '../../state/bar-series';
import {
  DRAW_WINDOW,
  extendedOffset,
  followWindow,
  initialOffset,
  planDraw,
} from '../../state/draw-window';
import { crosshairLabel, tickLabel, type TickKind } from '../../state/exchange-time';
import { EXCHANGE_TZ } from '../../../../shared/time';
import type { BarSeriesState, QuoteSeriesState, TradeSeriesState } from '../../state/series-store';
import { CHART_COLORS } from './chart-theme';
import { toTime } from './chart-time';
import { PrintOverlay } from './print-overlay';
import { QuoteOverlay, type BucketGrid } from './quote-overlay';
import { zonedTimeScale } from './zoned-time-scale';
import { formatPrice, minMove, MIN_DECIMALS } from '../../../../shared/price-precision';

export interface LegendTarget {
  ohlc: HTMLElement;
  quote: HTMLElement | null;
}

function candle(bar: Bar | FormingBar): CandlestickData<Time> {
  return { time: toTime(bar.time), open: bar.open, high: bar.high, low: bar.low, close: bar.close };
}

function volume(bar: Bar | FormingBar): HistogramData<Time> {
  return {
    time: toTime(bar.time),
    value: bar.volume,
    color: bar.close >= bar.open ? CHART_COLORS.upVolume : CHART_COLORS.downVolume,
  };
}

/** Writes only on change: the legend is refreshed every frame. */
function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** What the chart holds now, to tell what the next frame must add. */
interface Drawn {
  series: BarSeriesState | null;
  ready: boolean;
  revision: number;
  /** The series' version when last drawn: nothing to do while it is unchanged. */
  version: number;
  /** Store indexes [offset, end) are on the chart. */
  offset: number;
  end: number;
}

const NOTHING_DRAWN: Drawn = {
  series: null,
  ready: false,
  revision: -1,
  version: -1,
  offset: 0,
  end: 0,
};

/** Scrolled this close to the oldest bar held, older ones are paged in. */
const PAGE_IN_MARGIN = 20;

/** Bars of empty space kept right of the newest bar. */
const RIGHT_OFFSET = 4;

/**
 * The widest a bar may be drawn, in pixels: a few bars fitted to the view (a 15m tab early in
 * a session) are readable candles, not one giant block.
 */
const MAX_BAR_SPACING = 40;

export class CandleChart {
  readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volumes: ISeriesApi<'Histogram'>;
  private readonly quotes: QuoteOverlay;
  private readonly prints: PrintOverlay;
  private tradeTarget: TradeSeriesState | null = null;
  /** The print under the pointer, for the legend. */
  private hoveredPrint: number | null = null;
  private drawn: Drawn = { ...NOTHING_DRAWN };
  private target: BarSeriesState | null = null;
  private quoteTarget: QuoteSeriesState | null = null;
  private hovering = false;
  private wantOlder = false;
  /** A range asked for before it could be shown, applied once the bars are there. */
  private pendingRange: { from: number; to: number } | null = null;
  /** The bar another chart's crosshair points at (see showCrosshairAt). */
  private syncedBar: Bar | FormingBar | null = null;
  /** The bar count and view width last fitted (see fitFew). */
  private fitted = { bars: -1, width: -1 };
  /** Decimals of the symbol's prices (price-precision.ts): axis, legend, lines. */
  private decimals = MIN_DECIMALS;

  constructor(
    container: HTMLElement,
    private readonly legend: LegendTarget,
    /** The zone of the axis labels and the crosshair: the clock's (see display-zone.ts). */
    private readonly zone: string = EXCHANGE_TZ,
  ) {
    const options: DeepPartial<ChartOptions> = {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: CHART_COLORS.background },
        textColor: CHART_COLORS.text,
        fontSize: 11,
        attributionLogo: false,
        panes: { separatorColor: CHART_COLORS.border },
      },
      grid: {
        vertLines: { color: CHART_COLORS.grid },
        horzLines: { color: CHART_COLORS.grid },
      },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: CHART_COLORS.border },
      timeScale: {
        borderColor: CHART_COLORS.border,
        timeVisible: true,
        secondsVisible: false,
        rightOffset: RIGHT_OFFSET,
        maxBarSpacing: MAX_BAR_SPACING,
        shiftVisibleRangeOnNewBar: true,
        tickMarkFormatter: (time: Time, kind: number) =>
          tickLabel(time as number, kind as TickKind, zone),
      },
      localization: { timeFormatter: (time: Time) => crosshairLabel(time as number, true, zone) },
    };
    // createChart with our time-scale behaviour; its options are the time chart's.
    this.chart = createChartEx(container, zonedTimeScale(zone), options as never) as IChartApi;
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: CHART_COLORS.up,
      downColor: CHART_COLORS.down,
      borderVisible: false,
      wickUpColor: CHART_COLORS.up,
      wickDownColor: CHART_COLORS.down,
    });
    this.quotes = new QuoteOverlay(this.chart);
    this.prints = new PrintOverlay(this.chart);
    this.volumes = this.chart.addSeries(
      HistogramSeries,
      { priceFormat: { type: 'volume' }, priceLineVisible: false, lastValueVisible: false },
      1,
    );
    this.chart.panes()[0]?.setStretchFactor(4);
    this.chart.panes()[1]?.setStretchFactor(1);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRange);
  }

  /** The price series, for overlays that mark it (fills, the position's average price). */
  get priceSeries(): ISeriesApi<'Candlestick'> {
    return this.candles;
  }

  /**
   * The decimals prices are shown with, learnt from the symbol's data (EUR/USD's 1.08123 needs
   * five): the price axis, its labels and the legend follow. Cheap when unchanged.
   */
  setPrecision(decimals: number): void {
    if (decimals === this.decimals) return;
    this.decimals = decimals;
    const priceFormat = { type: 'price' as const, precision: decimals, minMove: minMove(decimals) };
    this.candles.applyOptions({ priceFormat });
    this.quotes.setPriceFormat(priceFormat);
    this.prints.line.applyOptions({ priceFormat });
    this.writeLegend(null);
  }

  private price(value: number): string {
    return formatPrice(value, this.decimals);
  }

  /** Which series to draw; the next frame redraws from scratch if it changed. */
  show(
    series: BarSeriesState | null,
    quotes: QuoteSeriesState | null,
    trades: TradeSeriesState | null = null,
  ): void {
    if (
      series !== this.target ||
      (series === null &&
        ((quotes === null) !== (this.quoteTarget === null) ||
          (trades === null) !== (this.tradeTarget === null)))
    ) {
      // A quotes-only chart is drawn on a one-second lattice, trade prints at their own times.
      const seconds =
        series !== null ? intervalMs(series.interval) < 60_000 : quotes !== null || trades !== null;
      this.chart.applyOptions({
        timeScale: { secondsVisible: seconds },
        localization: {
          timeFormatter: (time: Time) => crosshairLabel(time as number, seconds, this.zone),
        },
      });
    }
    if (series !== this.target || quotes !== this.quoteTarget || trades !== this.tradeTarget) {
      // What the crosshair rested on belongs to the series shown before: without this, a mouse
      // left still over the chart kept the legend from ever showing the new symbol's figures.
      this.hovering = false;
      this.hoveredPrint = null;
      this.syncedBar = null;
    }
    this.target = series;
    this.quoteTarget = quotes;
    this.tradeTarget = series === null ? trades : null;
  }

  /**
   * Draws what is new since the last frame, appending until `deadline` (performance.now());
   * bars left over are drawn in the next frame. Cheap when nothing changed.
   */
  frame(deadline = Number.POSITIVE_INFINITY): void {
    try {
      this.draw(deadline);
    } catch (error) {
      // The library refused something (an out-of-order point, say): draw from scratch next
      // frame rather than stop, and let the caller report it.
      this.drawn = { ...NOTHING_DRAWN };
      throw error;
    }
  }

  private draw(deadline: number): void {
    const series = this.target;
    const ready = series !== null && series.state === 'ready';
    const d = this.drawn;
    let reset = false;
    if (
      series !== d.series ||
      ready !== d.ready ||
      (ready && series.bars.revision !== d.revision)
    ) {
      this.resetBars(series, ready ? initialOffset(series.bars.length) : 0, true);
      reset = true;
    } else if (ready && this.wantOlder && d.offset > 0) {
      this.pageIn(series);
      reset = true;
    } else if (ready && (series.version !== d.version || d.end < series.bars.length)) {
      reset = this.appendBars(series, deadline);
    }
    this.wantOlder = false;
    if (ready) this.fitFew(series);
    this.quotes.draw(this.quoteTarget, this.grid(), reset, series === null);
    this.prints.draw(this.tradeTarget);
    if (this.pendingRange && ready && series.bars.length > 0) {
      const { from, to } = this.pendingRange;
      this.pendingRange = null;
      this.applyRange(series, from, to);
    }
    if (!this.hovering) this.writeLegend(null);
  }

  /** Puts the crosshair on the bar holding a time (another chart's crosshair), or hides it. */
  showCrosshairAt(timeMs: number | null): void {
    const series = this.drawn.series;
    this.syncedBar = null;
    if (timeMs === null || !series || !this.drawn.ready) {
      this.chart.clearCrosshairPosition();
      this.hovering = false;
      return;
    }
    const step = intervalMs(series.interval);
    const start = Math.floor(timeMs / step) * step;
    // The bar holding that time: the forming one, or the last completed one at or before it.
    const bars = series.bars;
    let bar: Bar | FormingBar | null = null;
    if (series.forming && start >= series.forming.time) bar = series.forming;
    else {
      const i = bars.indexAtOrAfter(start);
      const at = i < bars.length && bars.timeAt(i) === start ? i : i - 1;
      if (at >= this.drawn.offset && at < bars.length) bar = bars.barAt(at);
    }
    if (!bar) {
      this.chart.clearCrosshairPosition();
      return;
    }
    // The library places a synthetic crosshair by pixel, which at narrow bar spacing can land
    // on a neighbour; the legend shows the bar that holds the time.
    this.syncedBar = bar;
    this.chart.setCrosshairPosition(bar.close, toTime(bar.time), this.candles);
    this.hovering = true;
    this.writeLegend(candle(bar));
  }

  /**
   * Jumps the view to a time range (a gap or a fill clicked in a panel), at the end of the next
   * frame's drawing. A click that also switches the chart's symbol arrives before the chart has
   * drawn the new symbol: applied at once, the range would page in the old symbol's bars and
   * be lost when the new ones are drawn at the live edge.
   */
  showRange(fromMs: number, toMs: number): void {
    this.pendingRange = { from: fromMs, to: toMs };
  }

  private applyRange(series: BarSeriesState, fromMs: number, toMs: number): void {
    const pad = Math.max(60_000, (toMs - fromMs) * 2);
    const first = series.bars.indexAtOrAfter(fromMs - pad);
    if (first < this.drawn.offset) {
      this.resetBars(series, first, false);
      this.quotes.draw(this.quoteTarget, this.grid(), true);
    }
    try {
      this.chart
        .timeScale()
        .setVisibleRange({ from: toTime(fromMs - pad), to: toTime(toMs + pad) });
    } catch {
      // Nothing drawn in that range: the view stays where it is.
    }
  }

  dispose(): void {
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRange);
    this.chart.remove();
  }

  /**
   * While the bars drawn are fewer than the view holds (a 15m tab early in a session, a day of
   * 1m crypto), they fill it from the left edge rather than sit squeezed against the right
   * one: fitted when that needs no wider bars than MAX_BAR_SPACING, else drawn at that spacing
   * from the left, new bars coming in on the right. Only when the count or the view's width
   * changes (a chart sized after its first draw, a layout switch), and only at the live edge,
   * so a user's own zoom is left alone.
   */
  private fitFew(series: BarSeriesState): void {
    const n = this.drawn.end - this.drawn.offset + (series.forming ? 1 : 0);
    const scale = this.chart.timeScale();
    const width = scale.width();
    if (width <= 0 || (n === this.fitted.bars && width === this.fitted.width)) return;
    this.fitted = { bars: n, width };
    const visible = this.visibleBars();
    if (n < 2 || visible === null || !this.atLiveEdge()) return;
    if (n + RIGHT_OFFSET >= visible - 1) return;
    const slots = n + RIGHT_OFFSET;
    if (width / slots <= MAX_BAR_SPACING) scale.fitContent();
    else scale.setVisibleLogicalRange({ from: -1, to: -1 + width / MAX_BAR_SPACING });
  }

  /** Bars across the view now, or null before anything is drawn. */
  private visibleBars(): number | null {
    const range = this.chart.timeScale().getVisibleLogicalRange();
    return range ? range.to - range.from : null;
  }

  private atLiveEdge(): boolean {
    return this.chart.timeScale().scrollPosition() >= -2;
  }

  private resetBars(series: BarSeriesState | null, offset: number, follow: boolean): void {
    const ready = series !== null && series.state === 'ready';
    const end = ready ? series.bars.length : 0;
    const n = Math.max(0, end - offset);
    const candles: CandlestickData<Time>[] = new Array(n);
    const volumes: HistogramData<Time>[] = new Array(n);
    for (let i = 0; i < n; i += 1) {
      const bar = series!.bars.barAt(offset + i);
      candles[i] = candle(bar);
      volumes[i] = volume(bar);
    }
    const forming = ready ? series.forming : null;
    const lastTime = ready ? series.bars.lastTime : null;
    if (forming && (lastTime === null || forming.time > lastTime)) {
      candles.push(candle(forming));
      volumes.push(volume(forming));
    }
    const switched = series !== this.drawn.series || ready !== this.drawn.ready;
    this.candles.setData(candles);
    this.volumes.setData(volumes);
    this.drawn = {
      ...this.drawn,
      series,
      ready,
      revision: ready ? series.bars.revision : -1,
      version: ready ? series.version : -1,
      offset,
      end,
    };
    // A new series starts at the live edge with the usual margin: a few-bar fit of the last one
    // may have left the view with many bars' worth of room on the right.
    if (ready && switched && follow) this.chart.timeScale().scrollToPosition(RIGHT_OFFSET, false);
  }

  /** Returns whether it had to reset instead of appending. */
  private appendBars(series: BarSeriesState, deadline: number): boolean {
    const bars = series.bars;
    const step = planDraw(
      {
        length: bars.length,
        offset: this.drawn.offset,
        drawnEnd: this.drawn.end,
        atLiveEdge: this.atLiveEdge(),
      },
      { ...DRAW_WINDOW, window: followWindow(this.visibleBars()) },
    );
    if (step.kind === 'reset') {
      this.resetBars(series, step.offset, false);
      return true;
    }
    if (step.kind === 'append') {
      // Candles first: the volume update then finds its time point and takes the cheap path.
      let i = step.from;
      while (i < step.to) {
        const bar = bars.barAt(i);
        this.candles.update(candle(bar));
        this.volumes.update(volume(bar));
        i += 1;
        if (performance.now() > deadline) break;
      }
      this.drawn.end = i;
    }
    const last = bars.lastTime;
    const forming = series.forming;
    const caughtUp = this.drawn.end === bars.length;
    if (caughtUp && forming && (last === null || forming.time > last)) {
      this.candles.update(candle(forming));
      this.volumes.update(volume(forming));
    }
    this.drawn.version = series.version;
    return false;
  }

  /** The user scrolled back to the oldest bar held: draw another window of history. */
  private pageIn(series: BarSeriesState): void {
    const range = this.chart.timeScale().getVisibleLogicalRange();
    const before = this.drawn.offset;
    const offset = extendedOffset(before);
    this.resetBars(series, offset, false);
    if (range) {
      const added = before - offset;
      this.chart
        .timeScale()
        .setVisibleLogicalRange({ from: range.from + added, to: range.to + added });
    }
  }

  /** The bucket lattice the quote lines follow: the first bar held. */
  private grid(): BucketGrid | null {
    const series = this.drawn.ready ? this.drawn.series : null;
    // A quotes-only symbol: bid and ask on a one-second lattice, with no candles to follow.
    if (!series) return this.quoteTarget ? { interval: '1s', anchor: null } : null;
    const anchor =
      series.bars.length > this.drawn.offset
        ? series.bars.timeAt(this.drawn.offset)
        : (series.forming?.time ?? null);
    return { interval: series.interval, anchor };
  }

  private readonly onRange = (range: LogicalRange | null): void => {
    if (range && range.from < PAGE_IN_MARGIN && this.drawn.offset > 0) this.wantOlder = true;
  };

  private readonly onCrosshair = (param: MouseEventParams<Time>): void => {
    if (param.sourceEvent === undefined && this.syncedBar !== null) return;
    this.syncedBar = null;
    const data = param.time === undefined ? undefined : param.seriesData.get(this.candles);
    const print = param.time === undefined ? undefined : param.seriesData.get(this.prints.line);
    this.hoveredPrint = print && 'value' in print ? (print as { value: number }).value : null;
    this.hovering = data !== undefined || this.hoveredPrint !== null;
    this.writeLegend(data && 'open' in data ? (data as CandlestickData<Time>) : null);
  };

  private writeLegend(hovered: CandlestickData<Time> | null): void {
    const series = this.drawn.series;
    let bar: { open: number; high: number; low: number; close: number } | null = hovered;
    if (!bar && series && this.drawn.ready) {
      bar =
        series.forming ??
        (series.bars.length > 0 ? series.bars.barAt(series.bars.length - 1) : null);
    }
    const lastPrint = this.tradeTarget?.prints.last ?? null;
    setText(
      this.legend.ohlc,
      bar
        ? `O ${this.price(bar.open)}  H ${this.price(bar.high)}  L ${this.price(bar.low)}  C ${this.price(bar.close)}`
        : this.hoveredPrint !== null
          ? `Trade ${this.price(this.hoveredPrint)}`
          : lastPrint
            ? `Last ${this.price(lastPrint.price)} × ${lastPrint.size}`
            : this.tradeTarget
              ? 'trades only: no trade yet'
              : this.quoteTarget && !series
                ? 'quotes only: bid, ask and mid'
                : 'no bars yet',
    );
    if (this.legend.quote) {
      const last = this.quoteTarget?.quotes.last ?? null;
      setText(
        this.legend.quote,
        last
          ? `Bid ${this.price(last.bid)} × ${last.bidSize}  Ask ${this.price(last.ask)} × ${last.askSize}`
          : 'no quote yet',
      );
    }
  }
}
