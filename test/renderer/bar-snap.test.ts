import { describe, expect, it } from 'vitest';
import {
  barIndexAt,
  formingHolds,
  type BarStarts,
} from '../../src/renderer/src/components/charts/bar-snap';
import { exchangeTimeToUtc } from '../../src/shared/time';

const HOUR = 3_600_000;

function starts(times: number[]): BarStarts {
  return { length: times.length, timeAt: (i) => times[i]! };
}

/** The start of the bar holding t, as the markers find it: the forming bar, or the last start. */
function holding(bars: BarStarts, forming: number | null, t: number): number | null {
  if (formingHolds(bars, forming, t)) return forming;
  const i = barIndexAt(bars, t);
  return i < 0 ? null : bars.timeAt(i);
}

/** Brute force: the last start at or before t. */
function oracle(times: number[], t: number): number | null {
  let found: number | null = null;
  for (const s of times) if (s <= t) found = s;
  return found;
}

describe('barIndexAt and formingHolds', () => {
  // 1h bars of two NY sessions, aligned to the 09:30 open and cut at 16:00.
  const day = (date: string): number[] =>
    [0, 1, 2, 3, 4, 5, 6].map((h) => exchangeTimeToUtc(date, 9, 30) + h * HOUR);
  const hours = [...day('2024-03-04'), ...day('2024-03-05')];

  it('snaps a fill at 10:15 NY to the 09:30 hour bar, where floor(t / 1h) picks 10:00', () => {
    const t = exchangeTimeToUtc('2024-03-04', 10, 15);
    expect(holding(starts(hours), null, t)).toBe(exchangeTimeToUtc('2024-03-04', 9, 30));
    expect(Math.floor(t / HOUR) * HOUR).not.toBe(exchangeTimeToUtc('2024-03-04', 9, 30));
  });

  it('agrees with a brute-force scan at every minute of both sessions and the night between', () => {
    const from = exchangeTimeToUtc('2024-03-04', 9, 0);
    const to = exchangeTimeToUtc('2024-03-05', 16, 30);
    for (let t = from; t <= to; t += 60_000) {
      expect(holding(starts(hours), null, t)).toBe(oracle(hours, t));
    }
  });

  it('uses the forming bar for fills at or after its start, and nothing before the first bar', () => {
    const shown = hours.slice(0, 3);
    const forming = hours[3]!;
    expect(holding(starts(shown), forming, forming + 1000)).toBe(forming);
    expect(holding(starts(shown), forming, forming - 1)).toBe(hours[2]);
    expect(holding(starts(shown), null, hours[0]! - 1)).toBeNull();
    expect(holding(starts([]), forming, forming)).toBe(forming);
    expect(holding(starts([]), null, forming)).toBeNull();
  });
});
