import { describe, expect, it } from 'vitest';
import { RunProgressMeter, formatDuration, formatRate } from '../../src/shared/run-progress';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Three trading days, 09:30-16:00 in UTC ms terms (6.5 h each).
const DAYS = [0, 1, 2].map((d) => ({ start: d * DAY, end: d * DAY + 6.5 * HOUR }));

describe('RunProgressMeter', () => {
  it('counts days whose close the clock has passed', () => {
    const meter = new RunProgressMeter(DAYS, 3000);
    expect(meter.sample(null, 0, 0).daysDone).toBe(0);
    expect(meter.sample(DAYS[0]!.start + HOUR, 100, 1000).daysDone).toBe(0);
    expect(meter.sample(DAYS[0]!.end, 1000, 2000).daysDone).toBe(1);
    expect(meter.sample(DAYS[2]!.start, 2000, 3000).daysDone).toBe(2);
    const last = meter.sample(DAYS[2]!.end, 3000, 4000);
    expect(last).toMatchObject({ daysDone: 3, daysTotal: 3 });
  });

  it('measures events a second over the last few seconds and the time left at that rate', () => {
    const meter = new RunProgressMeter(DAYS, 10_000_000);
    meter.sample(0, 0, 0);
    // A fast start (2 M/s) then a slow stretch (0.5 M/s) for longer than the window.
    meter.sample(1, 2_000_000, 1000);
    let events = 2_000_000;
    let progress = meter.sample(2, events, 1000);
    for (let wall = 2000; wall <= 8000; wall += 1000) {
      events += 500_000;
      progress = meter.sample(3, events, wall);
    }
    expect(progress.eventsPerSecond).toBeCloseTo(500_000, 6);
    expect(progress.secondsLeft).toBeCloseTo((10_000_000 - events) / 500_000, 6);
  });

  it('without an item count, judges the time left by days', () => {
    const meter = new RunProgressMeter(DAYS, 0);
    meter.sample(DAYS[0]!.start, 0, 0);
    // Half a day in 2 s: the remaining 2.5 days take 10 s.
    const progress = meter.sample(DAYS[0]!.start + 3.25 * HOUR, 500, 2000);
    expect(progress.secondsLeft).toBeCloseTo(10, 6);
  });

  it('knows no rate or time left from a single sample', () => {
    const progress = new RunProgressMeter(DAYS, 100).sample(null, 0, 5);
    expect(progress).toEqual({ daysDone: 0, daysTotal: 3, eventsPerSecond: 0, secondsLeft: null });
  });
});

describe('formatting', () => {
  it('durations and rates', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(42.4)).toBe('0:42');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatRate(1_160_000)).toBe('1.16 M/s');
    expect(formatRate(830_400)).toBe('830 k/s');
    expect(formatRate(95)).toBe('95/s');
  });
});
