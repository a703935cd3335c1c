/**
 * One chart: candles at an interval, volume in its own pane, bid/ask lines for quote symbols.
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
  LineSeries,
  createChart,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type LineData,
  type LogicalRange,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { intervalMs } from '../../../../shared/interval';
import type { FormingBar } from '../../../../shared/ipc-contract';
import type { Bar } from '../../state/bar-series';
import { extendedOffset, initialOffset, planDraw } from '../../state/draw-window';
import { crosshairLabel, tickLabel, type TickKind } from '../../state/exchange-time';
import { lastQuotePerBucket } from '../../state/quote-buckets';
import type { BarSeriesState, QuoteSeriesState } from '../../state/series-store';
import { CHART_COLORS } from './chart-theme';

export interface LegendTarget {
  ohlc: HTMLElement;
  quote: HTMLElement | null;
}

function toTime(ms: number): UTCTimestamp {
  return (ms / 1000) as UTCTimestamp;
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

function price(value: number): string {
  return Number.isFinite(value) ? value.toFixed(value >= 1000 ? 1 : 2) : '—';
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
  quotes: QuoteSeriesState | null;
  quotesReady: boolean;
  quoteRevision: number;
  /** Quotes up to this store index are on the chart. */
  quoteEnd: number;
  lastQuoteBucket: number | null;
}

const NOTHING_DRAWN: Drawn = {
  series: null,
  ready: false,
  revision: -1,
  version: -1,
  offset: 0,
  end: 0,
  quotes: null,
  quotesReady: false,
  quoteRevision: -1,
  quoteEnd: 0,
  lastQuoteBucket: null,
};

/** Scrolled this close to the oldest bar held, older ones are paged in. */
const PAGE_IN_MARGIN = 20;

export class CandleChart {
  readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volumes: ISeriesApi<'Histogram'>;
  private readonly bid: ISeriesApi<'Line'>;
  private readonly ask: ISeriesApi<'Line'>;
  private drawn: Drawn = { ...NOTHING_DRAWN };
  private target: BarSeriesState | null = null;
  private quoteTarget: QuoteSeriesState | null = null;
  private hovering = false;
  private wantOlder = false;
  /** A range asked for before it could be shown, applied once the bars are there. */
  private pendingRange: { from: number; to: number } | null = null;

  constructor(
    container: HTMLElement,
    private readonly legend: LegendTarget,
  ) {
    this.chart = createChart(container, {
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
        rightOffset: 4,
        shiftVisibleRangeOnNewBar: true,
        tickMarkFormatter: (time: Time, kind: number) =>
          tickLabel(time as number, kind as TickKind),
      },
      localization: { timeFormatter: (time: Time) => crosshairLabel(time as number, true) },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: CHART_COLORS.up,
      downColor: CHART_COLORS.down,
      borderVisible: false,
      wickUpColor: CHART_COLORS.up,
      wickDownColor: CHART_COLORS.down,
    });
    const lineOptions = {
      lineWidth: 1 as const,
      priceLineVisible: false,
      lastValueVisible: true,
      crosshairMarkerVisible: false,
    };
    this.bid = this.chart.addSeries(LineSeries, {
      ...lineOptions,
      color: CHART_COLORS.bid,
      title: 'bid',
    });
    this.ask = this.chart.addSeries(LineSeries, {
      ...lineOptions,
      color: CHART_COLORS.ask,
      title: 'ask',
    });
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

  /** Which series to draw; the next frame redraws from scratch if it changed. */
  show(series: BarSeriesState | null, quotes: QuoteSeriesState | null): void {
    if (series !== this.target) {
      const seconds = series !== null && intervalMs(series.interval) < 60_000;
      this.chart.applyOptions({
        timeScale: { secondsVisible: seconds },
        localization: { timeFormatter: (time: Time) => crosshairLabel(time as number, seconds) },
      });
    }
    this.target = series;
    this.quoteTarget = quotes;
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
    this.drawQuotes(reset);
    if (this.pendingRange && ready && series.bars.length > 0) {
      const { from, to } = this.pendingRange;
      this.pendingRange = null;
      this.showRange(from, to);
    }
    if (!this.hovering) this.writeLegend(null);
  }

  /** Jumps the view to a time range (a gap clicked in the session-data panel). */
  showRange(fromMs: number, toMs: number): void {
    const series = this.drawn.series;
    if (!series || !this.drawn.ready || series.bars.length === 0) {
      this.pendingRange = { from: fromMs, to: toMs };
      return;
    }
    const pad = Math.max(60_000, (toMs - fromMs) * 2);
    const first = series.bars.indexAtOrAfter(fromMs - pad);
    if (first < this.drawn.offset) {
      this.resetBars(series, first, false);
      this.drawQuotes(true);
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
    if (ready && switched && follow) this.chart.timeScale().scrollToRealTime();
  }

  /** Returns whether it had to reset instead of appending. */
  private appendBars(series: BarSeriesState, deadline: number): boolean {
    const bars = series.bars;
    const step = planDraw({
      length: bars.length,
      offset: this.drawn.offset,
      drawnEnd: this.drawn.end,
      atLiveEdge: this.atLiveEdge(),
    });
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

  private drawQuotes(barsReset: boolean): void {
    const quotes = this.quoteTarget;
    const series = this.drawn.ready ? this.drawn.series : null;
    const quotesReady = quotes !== null && quotes.state === 'ready';
    const d = this.drawn;
    if (
      barsReset ||
      quotes !== d.quotes ||
      quotesReady !== d.quotesReady ||
      (quotesReady && quotes.quotes.revision !== d.quoteRevision)
    ) {
      this.resetQuotes(quotes, quotesReady, series);
    } else if (quotesReady && series && quotes.quotes.length > d.quoteEnd) {
      this.appendQuotes(quotes, series);
    }
  }

  /** First bar start held: the lattice quotes are bucketed on, and where they start. */
  private anchor(series: BarSeriesState): number | null {
    if (series.bars.length > this.drawn.offset) return series.bars.timeAt(this.drawn.offset);
    return series.forming?.time ?? null;
  }

  private resetQuotes(
    quotes: QuoteSeriesState | null,
    quotesReady: boolean,
    series: BarSeriesState | null,
  ): void {
    let bid: LineData<Time>[] = [];
    let ask: LineData<Time>[] = [];
    let quoteEnd = 0;
    let lastQuoteBucket: number | null = null;
    if (quotesReady && quotes && series) {
      const anchor = this.anchor(series);
      const from = anchor === null ? 0 : quotes.quotes.indexAtOrAfter(anchor);
      quoteEnd = quotes.quotes.length;
      const columns = lastQuotePerBucket(
        quotes.quotes,
        from,
        quoteEnd,
        intervalMs(series.interval),
        anchor,
      );
      bid = columns.time.map((t, i) => ({ time: toTime(t), value: columns.bid[i] }));
      ask = columns.time.map((t, i) => ({ time: toTime(t), value: columns.ask[i] }));
      lastQuoteBucket = columns.time.length > 0 ? columns.time[columns.time.length - 1] : null;
    }
    this.bid.setData(bid);
    this.ask.setData(ask);
    this.drawn = {
      ...this.drawn,
      quotes,
      quotesReady,
      quoteRevision: quotes?.quotes.revision ?? -1,
      quoteEnd,
      lastQuoteBucket,
    };
  }

  private appendQuotes(quotes: QuoteSeriesState, series: BarSeriesState): void {
    const from = this.drawn.quoteEnd;
    const to = quotes.quotes.length;
    const columns = lastQuotePerBucket(
      quotes.quotes,
      from,
      to,
      intervalMs(series.interval),
      this.anchor(series),
    );
    const floor = this.drawn.lastQuoteBucket;
    for (let i = 0; i < columns.time.length; i += 1) {
      if (floor !== null && columns.time[i] < floor) continue;
      this.bid.update({ time: toTime(columns.time[i]), value: columns.bid[i] });
      this.ask.update({ time: toTime(columns.time[i]), value: columns.ask[i] });
      this.drawn.lastQuoteBucket = columns.time[i];
    }
    this.drawn.quoteEnd = to;
  }

  private readonly onRange = (range: LogicalRange | null): void => {
    if (range && range.from < PAGE_IN_MARGIN && this.drawn.offset > 0) this.wantOlder = true;
  };

  private readonly onCrosshair = (param: MouseEventParams<Time>): void => {
    const data = param.time === undefined ? undefined : param.seriesData.get(this.candles);
    this.hovering = data !== undefined;
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
    setText(
      this.legend.ohlc,
      bar
        ? `O ${price(bar.open)}  H ${price(bar.high)}  L ${price(bar.low)}  C ${price(bar.close)}`
        : 'no bars yet',
    );
    if (this.legend.quote) {
      const last = this.quoteTarget?.quotes.last ?? null;
      setText(
        this.legend.quote,
        last
          ? `Bid ${price(last.bid)} × ${last.bidSize}  Ask ${price(last.ask)} × ${last.askSize}`
          : 'no quote yet',
      );
    }
  }
}
