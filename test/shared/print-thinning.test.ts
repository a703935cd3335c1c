/**
 * Trade-print thinning against brute force: within every bucket the lowest and highest print
 * survive, nothing is made up, and a short tape is left whole.
 */
import { describe, expect, it } from 'vitest';
import { thinPrints } from '../../src/shared/print-thinning';

function tape(n: number, seed: number): { time: number[]; price: number[] } {
  let x = seed;
  const rand = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
  const time: number[] = [];
  const price: number[] = [];
  let t = 1_700_000_000_000;
  let p = 100;
  for (let i = 0; i < n; i++) {
    // Bursts: several prints in one millisecond, then quiet stretches.
    t += rand() < 0.3 ? 0 : Math.floor(rand() * (rand() < 0.05 ? 60_000 : 900));
    p += (rand() - 0.5) * (rand() < 0.01 ? 5 : 0.2);
    time.push(t);
    price.push(Math.round(p * 100) / 100);
  }
  return { time, price };
}

describe('thinPrints', () => {
  it('keeps every print of a tape no longer than the limit', () => {
    const { time, price } = tape(500, 7);
    expect(thinPrints(time, price, 100, 400, 300)).toEqual(
      Array.from({ length: 300 }, (_, i) => 100 + i),
    );
    expect(thinPrints(time, price, 5, 5, 10)).toEqual([]);
  });

  it.each([1, 2, 3, 4])('keeps each bucket’s extremes and invents nothing (seed %i)', (seed) => {
    const { time, price } = tape(50_000, seed);
    const max = 800;
    const kept = thinPrints(time, price, 0, time.length, max);
    expect(kept.length).toBeLessThanOrEqual(max + 1);
    for (let k = 1; k < kept.length; k++) expect(kept[k]!).toBeGreaterThan(kept[k - 1]!);
    expect(kept[kept.length - 1]).toBe(time.length - 1);
    const keptPrices = new Set(kept.map((i) => price[i]!));
    // The tape's own extremes, by brute force.
    expect(keptPrices.has(Math.min(...price))).toBe(true);
    expect(keptPrices.has(Math.max(...price))).toBe(true);
    // And each bucket's: the prints of a bucket found by filtering the whole tape.
    const width = (time[time.length - 1]! - time[0]! + 1) / (max / 2);
    const byBucket = new Map<number, number[]>();
    time.forEach((t, i) => {
      const b = Math.floor((t - time[0]!) / width);
      byBucket.set(b, [...(byBucket.get(b) ?? []), i]);
    });
    for (const indexes of byBucket.values()) {
      const prices = indexes.map((i) => price[i]!);
      const keptHere = kept.filter((i) => indexes.includes(i)).map((i) => price[i]!);
      expect(keptHere).toContain(Math.min(...prices));
      expect(keptHere).toContain(Math.max(...prices));
    }
  });
});
