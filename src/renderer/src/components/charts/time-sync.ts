/**
 * Keeps the charts of a multi-chart layout on the same time window. Only the chart the user
 * is working in leads (pointer or wheel inside it), so charts that scroll themselves while
 * replaying never fight each other, and a follower's own change is never echoed back.
 */
import type { IChartApi, LogicalRange, Time } from 'lightweight-charts';

export class TimeSync {
  private readonly charts = new Set<IChartApi>();
  private leader: IChartApi | null = null;
  private applying = false;

  add(chart: IChartApi, element: HTMLElement): () => void {
    this.charts.add(chart);
    const lead = (): void => {
      this.leader = chart;
    };
    element.addEventListener('pointerdown', lead);
    element.addEventListener('wheel', lead, { passive: true });
    element.addEventListener('pointerenter', lead);
    const onRange = (): void => this.follow(chart);
    chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    return () => {
      chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
      element.removeEventListener('pointerdown', lead);
      element.removeEventListener('wheel', lead);
      element.removeEventListener('pointerenter', lead);
      this.charts.delete(chart);
      if (this.leader === chart) this.leader = null;
    };
  }

  private follow(source: IChartApi, _range?: LogicalRange | null): void {
    if (this.applying || source !== this.leader || this.charts.size < 2) return;
    const range = source.timeScale().getVisibleRange();
    if (!range) return;
    this.applying = true;
    try {
      for (const chart of this.charts) {
        if (chart === source) continue;
        try {
          chart.timeScale().setVisibleRange(range as { from: Time; to: Time });
        } catch {
          // A chart with no data yet has no range to set.
        }
      }
    } finally {
      this.applying = false;
    }
  }
}
