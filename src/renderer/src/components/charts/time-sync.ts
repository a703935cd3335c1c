/**
 * Keeps the charts of a multi-chart layout looking at the same moment. What is shared is the
 * time at the right edge of the view and the crosshair's time, never the bar spacing: a 1m
 * chart beside a 1s chart keeps its own zoom (an hour of minutes, not 90 seconds of one
 * giant candle). Only the chart the user is working in leads (pointer or wheel inside it), so
 * charts that scroll themselves while replaying never fight, and a follower's own change is
 * never echoed back.
 */
import type { IChartApi, MouseEventParams, Time } from 'lightweight-charts';

export interface SyncMember {
  chart: IChartApi;
  element: HTMLElement;
  /** Shows the crosshair on the bar holding this time (UTC ms), or hides it (null). */
  showCrosshairAt(timeMs: number | null): void;
}

export class TimeSync {
  private readonly members = new Set<SyncMember>();
  private leader: SyncMember | null = null;
  private applying = false;

  add(member: SyncMember): () => void {
    const { chart, element } = member;
    this.members.add(member);
    const lead = (): void => {
      this.leader = member;
    };
    element.addEventListener('pointerdown', lead);
    element.addEventListener('wheel', lead, { passive: true });
    element.addEventListener('pointerenter', lead);
    const onRange = (): void => this.followRange(member);
    const onCrosshair = (param: MouseEventParams<Time>): void =>
      this.followCrosshair(member, param);
    chart.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    chart.subscribeCrosshairMove(onCrosshair);
    return () => {
      chart.timeScale().unsubscribeVisibleLogicalRangeChange(onRange);
      chart.unsubscribeCrosshairMove(onCrosshair);
      element.removeEventListener('pointerdown', lead);
      element.removeEventListener('wheel', lead);
      element.removeEventListener('pointerenter', lead);
      this.members.delete(member);
      if (this.leader === member) this.leader = null;
    };
  }

  private followers(source: SyncMember): SyncMember[] {
    if (this.applying || source !== this.leader || this.members.size < 2) return [];
    return [...this.members].filter((m) => m !== source);
  }

  private followRange(source: SyncMember): void {
    const followers = this.followers(source);
    if (followers.length === 0) return;
    const scale = source.chart.timeScale();
    const range = scale.getVisibleRange();
    const logical = scale.getVisibleLogicalRange();
    if (!range || !logical) return;
    const edgeIndex = scale.timeToIndex(range.to, true);
    // Empty bars right of the newest one, kept as they are in the leader.
    const gap = edgeIndex === null ? 0 : Math.max(0, logical.to - edgeIndex);
    this.applying = true;
    try {
      for (const m of followers) {
        const own = m.chart.timeScale();
        const ownRange = own.getVisibleLogicalRange();
        const index = own.timeToIndex(range.to, true);
        if (!ownRange || index === null) continue;
        const width = ownRange.to - ownRange.from;
        own.setVisibleLogicalRange({ from: index + gap - width, to: index + gap });
      }
    } finally {
      this.applying = false;
    }
  }

  private followCrosshair(source: SyncMember, param: MouseEventParams<Time>): void {
    const followers = this.followers(source);
    if (followers.length === 0) return;
    const time = typeof param.time === 'number' && param.point ? param.time * 1000 : null;
    this.applying = true;
    try {
      for (const m of followers) m.showCrosshairAt(time);
    } finally {
      this.applying = false;
    }
  }
}
