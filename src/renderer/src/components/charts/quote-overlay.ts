/**
 * Bid and ask as two lines over a chart's candles, and their mid as a third on a chart without
 * candles (a quotes-only symbol). Each quote goes into the bar bucket that
 * contains it (lightweight-charts spaces points by index, so a point per quote would squeeze
 * the candles), and a bucket shows its last quote. Quotes held by the store are drawn from
 * the chart's first bar on; new ones are appended with `update`.
 */
import {
  LineSeries,
  LineStyle,
  type IChartApi,
  type ISeriesApi,
  type LineData,
  type Time,
} from 'lightweight-charts';
import type { Interval } from '../../../../shared/interval';
import { intervalMs } from '../../../../shared/interval';
import { lastQuotePerBucket } from '../../state/quote-buckets';
import type { QuoteSeriesState } from '../../state/series-store';
import { CHART_COLORS } from './chart-theme';
import { toTime } from './chart-time';

/** Where the chart's bars start: the lattice quotes are bucketed on. */
export interface BucketGrid {
  interval: Interval;
  /** The first drawn bar's start (UTC ms), or null before any bar. */
  anchor: number | null;
}

export class QuoteOverlay {
  private readonly bid: ISeriesApi<'Line'>;
  private readonly ask: ISeriesApi<'Line'>;
  private readonly mid: ISeriesApi<'Line'>;
  private withMid = false;
  private target: QuoteSeriesState | null = null;
  private ready = false;
  private revision = -1;
  /** Quotes up to this store index are drawn. */
  private end = 0;
  private lastBucket: number | null = null;

  constructor(chart: IChartApi) {
    const options = {
      lineWidth: 1 as const,
      priceLineVisible: false,
      lastValueVisible: true,
      crosshairMarkerVisible: false,
    };
    this.bid = chart.addSeries(LineSeries, { ...options, color: CHART_COLORS.bid, title: 'bid' });
    this.ask = chart.addSeries(LineSeries, { ...options, color: CHART_COLORS.ask, title: 'ask' });
    this.mid = chart.addSeries(LineSeries, {
      ...options,
      color: CHART_COLORS.mid,
      lineStyle: LineStyle.Dotted,
      title: 'mid',
    });
  }

  /** The symbol's price decimals, for the lines' labels on the price axis. */
  setPriceFormat(priceFormat: { type: 'price'; precision: number; minMove: number }): void {
    for (const line of [this.bid, this.ask, this.mid]) line.applyOptions({ priceFormat });
  }

  /**
   * Draws what changed; `gridChanged` after the candles were redrawn from scratch; `withMid`
   * on a chart without candles.
   */
  draw(
    quotes: QuoteSeriesState | null,
    grid: BucketGrid | null,
    gridChanged: boolean,
    withMid = false,
  ): void {
    const ready = quotes !== null && quotes.state === 'ready';
    if (
      gridChanged ||
      withMid !== this.withMid ||
      quotes !== this.target ||
      ready !== this.ready ||
      (ready && quotes.quotes.revision !== this.revision)
    ) {
      this.withMid = withMid;
      this.reset(quotes, ready, grid);
    } else if (ready && grid && quotes.quotes.length > this.end) {
      this.append(quotes, grid);
    }
  }

  private reset(quotes: QuoteSeriesState | null, ready: boolean, grid: BucketGrid | null): void {
    let bid: LineData<Time>[] = [];
    let ask: LineData<Time>[] = [];
    this.end = 0;
    this.lastBucket = null;
    if (ready && quotes && grid) {
      const from = grid.anchor === null ? 0 : quotes.quotes.indexAtOrAfter(grid.anchor);
      this.end = quotes.quotes.length;
      const c = lastQuotePerBucket(
        quotes.quotes,
        from,
        this.end,
        intervalMs(grid.interval),
        grid.anchor,
      );
      bid = c.time.map((t, i) => ({ time: toTime(t), value: c.bid[i] }));
      ask = c.time.map((t, i) => ({ time: toTime(t), value: c.ask[i] }));
      this.lastBucket = c.time.length > 0 ? c.time[c.time.length - 1] : null;
    }
    this.bid.setData(bid);
    this.ask.setData(ask);
    this.mid.setData(
      this.withMid
        ? bid.map((p, i) => ({ time: p.time, value: (p.value + ask[i].value) / 2 }))
        : [],
    );
    this.target = quotes;
    this.ready = ready;
    this.revision = quotes?.quotes.revision ?? -1;
  }

  private append(quotes: QuoteSeriesState, grid: BucketGrid): void {
    const to = quotes.quotes.length;
    const c = lastQuotePerBucket(
      quotes.quotes,
      this.end,
      to,
      intervalMs(grid.interval),
      grid.anchor,
    );
    for (let i = 0; i < c.time.length; i += 1) {
      // The line never goes back: a bucket before the last drawn one is already final.
      if (this.lastBucket !== null && c.time[i] < this.lastBucket) continue;
      this.bid.update({ time: toTime(c.time[i]), value: c.bid[i] });
      this.ask.update({ time: toTime(c.time[i]), value: c.ask[i] });
      if (this.withMid) {
        this.mid.update({ time: toTime(c.time[i]), value: (c.bid[i] + c.ask[i]) / 2 });
      }
      this.lastBucket = c.time[i];
    }
    this.end = to;
  }
}
