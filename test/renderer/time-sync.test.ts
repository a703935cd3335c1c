import { describe, expect, it } from 'vitest';
import type { IChartApi } from 'lightweight-charts';
import { TimeSync, type SyncMember } from '../../src/renderer/src/components/charts/time-sync';

/** A chart of bars every `stepS` seconds from t0, showing logical [from, to]. */
class FakeChart {
  rangeHandlers: Array<() => void> = [];
  crosshairHandlers: Array<(p: unknown) => void> = [];
  crosshairAt: Array<number | null> = [];
  readonly element = new EventTarget() as unknown as HTMLElement;
  constructor(
    private readonly t0: number,
    private readonly stepS: number,
    private readonly bars: number,
    public logical: { from: number; to: number },
  ) {}
  timeAt(i: number): number {
    return this.t0 + i * this.stepS;
  }
  api(): IChartApi {
    const scale = {
      subscribeVisibleLogicalRangeChange: (h: () => void) => this.rangeHandlers.push(h),
      unsubscribeVisibleLogicalRangeChange: () => undefined,
      getVisibleLogicalRange: () => this.logical,
      getVisibleRange: () => ({
        from: this.timeAt(Math.max(0, Math.ceil(this.logical.from))),
        to: this.timeAt(Math.min(this.bars - 1, Math.floor(this.logical.to))),
      }),
      timeToIndex: (t: number) =>
        Math.max(0, Math.min(this.bars - 1, Math.floor((t - this.t0) / this.stepS))),
      setVisibleLogicalRange: (r: { from: number; to: number }) => {
        this.logical = r;
        for (const h of this.rangeHandlers) h();
      },
    };
    return {
      timeScale: () => scale,
      subscribeCrosshairMove: (h: (p: unknown) => void) => this.crosshairHandlers.push(h),
      unsubscribeCrosshairMove: () => undefined,
    } as unknown as IChartApi;
  }
  member(): SyncMember {
    return {
      chart: this.api(),
      element: this.element,
      showCrosshairAt: (t) => this.crosshairAt.push(t),
    };
  }
}

const T0 = 1_700_000_000;

describe('TimeSync across intervals', () => {
  it('moves a 1m follower to the 1s leader’s right edge, keeping its own bar spacing', () => {
    const seconds = new FakeChart(T0, 1, 3600, { from: 3000, to: 3090 });
    const minutes = new FakeChart(T0, 60, 60, { from: 0, to: 40 });
    const sync = new TimeSync();
    sync.add(seconds.member());
    sync.add(minutes.member());
    seconds.element.dispatchEvent(new Event('pointerenter'));
    seconds.logical = { from: 3000, to: 3090 };
    for (const h of seconds.rangeHandlers) h();
    // 3090 s in is minute 51: the follower's right edge, 40 bars wide as before.
    expect(minutes.logical).toEqual({ from: 11, to: 51 });
  });

  it('does not move the leader back when a follower changes, nor a chart nobody leads', () => {
    const a = new FakeChart(T0, 1, 3600, { from: 100, to: 200 });
    const b = new FakeChart(T0, 60, 60, { from: 0, to: 40 });
    const sync = new TimeSync();
    sync.add(a.member());
    sync.add(b.member());
    for (const h of a.rangeHandlers) h();
    expect(b.logical).toEqual({ from: 0, to: 40 });
    a.element.dispatchEvent(new Event('pointerdown'));
    for (const h of a.rangeHandlers) h();
    expect(a.logical).toEqual({ from: 100, to: 200 });
  });

  it('shows the leader’s crosshair time on the other charts, and hides it on leave', () => {
    const a = new FakeChart(T0, 1, 3600, { from: 0, to: 90 });
    const b = new FakeChart(T0, 60, 60, { from: 0, to: 40 });
    const sync = new TimeSync();
    sync.add(a.member());
    sync.add(b.member());
    a.element.dispatchEvent(new Event('pointerenter'));
    for (const h of a.crosshairHandlers) h({ time: T0 + 75, point: { x: 1, y: 1 } });
    for (const h of a.crosshairHandlers) h({ time: undefined, point: undefined });
    expect(b.crosshairAt).toEqual([(T0 + 75) * 1000, null]);
    expect(a.crosshairAt).toEqual([]);
  });
});
