import { describe, expect, it } from 'vitest';
import type { GapInfo } from '../../src/shared/ipc-contract';
import {
  largestGaps,
  missingOf,
  mostlyNoTradeSeconds,
  summariseGaps,
} from '../../src/shared/gap-summary';

/** Sparse 1s data: many 1-2 s no-trade gaps, a few long ones, some refilled. */
function sparseDay(seed = 7): GapInfo[] {
  let x = seed;
  const rand = (): number => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const gaps: GapInfo[] = [];
  let t = Date.parse('2013-10-07T13:30:00Z');
  for (let i = 0; i < 3000; i++) {
    t += 1000 * (2 + Math.floor(rand() * 20));
    const long = rand() < 0.01;
    const expected = long ? 30 + Math.floor(rand() * 300) : 1 + Math.floor(rand() * 2);
    const filled = rand() < 0.1 ? expected : rand() < 0.05 ? Math.floor(expected / 2) : 0;
    const outcome: GapInfo['outcome'] =
      filled === expected ? 'filled' : filled > 0 ? 'partial' : 'missing';
    gaps.push({ start: t, end: t + expected * 1000, expected, filled, attempts: 6, outcome });
    t += expected * 1000;
  }
  return gaps;
}

describe('gap summary', () => {
  const gaps = sparseDay();

  it('counts what a brute-force pass counts', () => {
    const s = summariseGaps(gaps);
    expect(s.count).toBe(gaps.length);
    expect(s.missingBars).toBe(gaps.reduce((n, g) => n + (g.expected - g.filled), 0));
    expect(s.filled + s.missing + s.partial + s.pending).toBe(gaps.length);
    expect(s.short).toBe(gaps.filter((g) => g.expected <= 2).length);
    expect(mostlyNoTradeSeconds(s, '1s')).toBe(true);
    expect(mostlyNoTradeSeconds(s, '1m')).toBe(false);
  });

  it('keeps the largest few, as a full sort would, in time order', () => {
    const top = largestGaps(gaps, 5);
    const sorted = [...gaps]
      .sort((a, b) => missingOf(b) - missingOf(a) || a.start - b.start)
      .slice(0, 5)
      .sort((a, b) => a.start - b.start);
    expect(top).toEqual(sorted);
    expect(largestGaps([], 5)).toEqual([]);
    expect(largestGaps(gaps.slice(0, 2), 5)).toHaveLength(2);
  });

  it('says nothing of no-trade seconds for a handful of long gaps', () => {
    const few = gaps.filter((g) => g.expected > 20);
    expect(mostlyNoTradeSeconds(summariseGaps(few), '1s')).toBe(false);
  });
});
