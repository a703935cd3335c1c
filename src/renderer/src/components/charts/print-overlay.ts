/**
 * A ticks-only symbol's trade prints as a line, each point a real print at its own time. A
 * long tape is thinned to about two points per pixel of the view, keeping each bucket's lowest
 * and highest print (print-thinning.ts), so the line reaches every extreme and is never
 * interpolated; prints that arrive later are appended. Prints in the same millisecond share a
 * point: the last of them.
 */
import {
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type LineData,
  type Time,
} from 'lightweight-charts';
import { thinPrints } from '../../../../shared/print-thinning';
import type { TradeSeriesState } from '../../state/series-store';
import { CHART_COLORS } from './chart-theme';
import { toTime } from './chart-time';

/** Points per pixel of the view kept when thinning a long tape. */
const POINTS_PER_PIXEL = 2;

export class PrintOverlay {
  readonly line: ISeriesApi<'Line'>;
  private target: TradeSeriesState | null = null;
  private revision = -1;
  /** Prints up to this index are drawn. */
  private end = 0;
  private lastTime = Number.NEGATIVE_INFINITY;

  constructor(private readonly chart: IChartApi) {
    this.line = chart.addSeries(LineSeries, {
      color: CHART_COLORS.print,
      lineWidth: 1,
      priceLineVisible: true,
      lastValueVisible: true,
      pointMarkersVisible: true,
      pointMarkersRadius: 1.5,
      title: 'trades',
    });
  }

  draw(trades: TradeSeriesState | null): void {
    const ready = trades !== null && trades.state === 'ready';
    if (trades !== this.target || (ready && trades.prints.revision !== this.revision)) {
      this.reset(ready ? trades : null);
      this.target = trades;
      return;
    }
    if (ready && trades.prints.length > this.end) this.append(trades);
  }

  private reset(trades: TradeSeriesState | null): void {
    this.end = 0;
    this.lastTime = Number.NEGATIVE_INFINITY;
    this.revision = trades?.prints.revision ?? -1;
    const points: LineData<Time>[] = [];
    if (trades) {
      const { prints } = trades;
      const width = Math.max(100, this.chart.timeScale().width());
      const kept = thinPrints(
        prints.time,
        prints.price,
        0,
        prints.length,
        width * POINTS_PER_PIXEL,
      );
      for (const i of kept) this.push(points, prints.time[i], prints.price[i]);
      this.end = prints.length;
    }
    this.line.setData(points);
  }

  private append(trades: TradeSeriesState): void {
    const { prints } = trades;
    for (let i = this.end; i < prints.length; i += 1) {
      const t = prints.time[i];
      if (t < this.lastTime) continue;
      this.line.update({ time: toTime(t), value: prints.price[i] });
      this.lastTime = t;
    }
    this.end = prints.length;
  }

  /** Adds a point, or replaces the last one when the print is in the same millisecond. */
  private push(points: LineData<Time>[], t: number, value: number): void {
    const point = { time: toTime(t), value };
    if (t === this.lastTime) points[points.length - 1] = point;
    else points.push(point);
    this.lastTime = t;
  }
}
