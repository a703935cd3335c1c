import { describe, expect, it } from 'vitest';
import { HoldingsValue } from '../../src/main/engine/strategy/holdings-value';

describe('HoldingsValue', () => {
  it('equals a brute-force Σ position × mark after every change, flat symbols worth 0', () => {
    const n = 37;
    const value = new HoldingsValue(n);
    const position = new Array<number>(n).fill(0);
    const mark = new Array<number>(n).fill(Number.NaN);
    let seed = 7;
    const rand = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let step = 0; step < 5000; step++) {
      const i = Math.floor(rand() * n);
      if (rand() < 0.3) position[i] = rand() < 0.3 ? 0 : Math.round((rand() - 0.5) * 200);
      else mark[i] = 50 + rand() * 100;
      value.set(i, position[i]!, mark[i]!);
      let brute = 0;
      for (let k = 0; k < n; k++) if (position[k] !== 0) brute += position[k]! * mark[k]!;
      if (Number.isNaN(brute)) expect(value.total).toBeNaN();
      else expect(value.total).toBeCloseTo(brute, 6);
    }
  });

  it('gives the same total for the same state whatever order it was reached in', () => {
    const a = new HoldingsValue(5);
    const b = new HoldingsValue(5);
    a.set(0, 3, 10.1);
    a.set(3, -2, 7.3);
    a.set(0, 3, 10.7);
    b.set(3, -2, 7.3);
    b.set(0, 3, 10.7);
    expect(a.total).toBe(b.total);
    a.set(3, 0, 7.3);
    expect(a.total).toBe(3 * 10.7);
  });
});
