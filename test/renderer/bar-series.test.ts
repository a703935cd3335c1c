import { describe, expect, it } from 'vitest';
import type { BarColumns } from '../../src/shared/ipc-contract';
import { BarSeries, liveForming } from '../../src/renderer/src/state/bar-series';

function bars(times: number[], close = 10): BarColumns {
  return {
    time: times,
    open: times.map(() => close),
    high: times.map(() => close + 1),
    low: times.map(() => close - 1),
    close: times.map(() => close),
    volume: times.map(() => 100),
  };
}

describe('BarSeries', () => {
  it('appends in order and grows past its initial capacity', () => {
    const s = new BarSeries(16);
    const times = Array.from({ length: 1000 }, (_, i) => i * 1000);
    expect(s.append(bars(times))).toBe(1000);
    expect(s.length).toBe(1000);
    expect(s.lastTime).toBe(999_000);
    expect(s.barAt(500)).toEqual({
      time: 500_000,
      open: 10,
      high: 11,
      low: 9,
      close: 10,
      volume: 100,
    });
    expect(s.revision).toBe(0);
  });

  it('replaces the last bar when one with the same time arrives', () => {
    const s = new BarSeries();
    s.append(bars([0, 1000]));
    expect(s.append(bars([1000], 20))).toBe(0);
    expect(s.length).toBe(2);
    expect(s.barAt(1).close).toBe(20);
    expect(s.revision).toBe(1);
  });

  it('inserts a refilled bar into history in sorted place and bumps the revision', () => {
    const s = new BarSeries();
    s.append(bars([0, 1000, 4000]));
    expect(s.append(bars([2000, 3000], 12))).toBe(0);
    expect(s.length).toBe(5);
    expect([0, 1, 2, 3, 4].map((i) => s.timeAt(i))).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(s.barAt(2).close).toBe(12);
    expect(s.revision).toBe(2);
  });

  it('reset replaces everything', () => {
    const s = new BarSeries();
    s.append(bars([0, 1000, 2000]));
    s.reset(bars([5000]));
    expect(s.length).toBe(1);
    expect(s.lastTime).toBe(5000);
  });

  it('finds the first bar at or after a time', () => {
    const s = new BarSeries();
    s.append(bars([0, 1000, 2000]));
    expect(s.indexAtOrAfter(-5)).toBe(0);
    expect(s.indexAtOrAfter(1000)).toBe(1);
    expect(s.indexAtOrAfter(1500)).toBe(2);
    expect(s.indexAtOrAfter(9000)).toBe(3);
  });
});

describe('liveForming', () => {
  const forming = { time: 300_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 9, baseBars: 3 };
  it('keeps a forming bar newer than the last completed one', () => {
    expect(liveForming(forming, 0)).toBe(forming);
    expect(liveForming(forming, null)).toBe(forming);
  });
  it('drops one that has completed', () => {
    expect(liveForming(forming, 300_000)).toBeNull();
    expect(liveForming(null, 0)).toBeNull();
  });
});
