import { describe, expect, it } from 'vitest';
import {
  decimalsFor,
  exactDecimals,
  formatPrice,
  minMove,
  PricePrecision,
  pricePrecisionOf,
} from '../../src/shared/price-precision';

/** Brute force: the fewest decimals whose rounded text reads back as the same number. */
function oracleDecimals(value: number): number | null {
  for (let d = 0; d <= 8; d++) if (Number(value.toFixed(d)) === value) return d;
  return null;
}

describe('price precision', () => {
  it('finds the fewest exact decimals, allowing for float error', () => {
    expect(exactDecimals(176.73)).toBe(2);
    expect(exactDecimals(1.08123)).toBe(5);
    expect(exactDecimals(1.0812)).toBe(4);
    expect(exactDecimals(151.234)).toBe(3);
    expect(exactDecimals(65_000)).toBe(0);
    expect(exactDecimals(0.00001234)).toBe(8);
    expect(exactDecimals(1 / 3)).toBeNull();
    // LEAN stores prices × 10,000: divided back, they carry float noise.
    expect(exactDecimals(1_767_300 / 10_000)).toBe(2);
    expect(exactDecimals(10_812.3 / 10_000)).toBe(5);
  });

  it('agrees with a brute-force reading on many random prices', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    for (let i = 0; i < 5_000; i++) {
      const d = Math.floor(random() * 7);
      const value = Number((random() * 10 ** (1 + Math.floor(random() * 4))).toFixed(d));
      expect(exactDecimals(value), String(value)).toBe(oracleDecimals(value));
    }
  });

  it('shows at least cents, and six significant digits for prices with no exact form', () => {
    expect(decimalsFor(176.7)).toBe(2);
    expect(decimalsFor(65_000)).toBe(2);
    expect(decimalsFor(1 / 3)).toBe(6);
    expect(decimalsFor(100 / 3)).toBe(4);
    expect(decimalsFor(100_000 / 3)).toBe(2);
  });

  it('gives FX five decimals from its data, even when some prices end in zero', () => {
    const eurusd = [1.0812, 1.08123, 1.0813, 1.08127, 1.081];
    expect(pricePrecisionOf(eurusd)).toBe(5);
    expect(pricePrecisionOf([176.7, 176.73, 176.8])).toBe(2);
    expect(pricePrecisionOf([151.23, 151.234])).toBe(3);
  });

  it('only grows as prices arrive, reading new rows only', () => {
    const p = new PricePrecision();
    const prices = new Float64Array([1.08, 1.1, 1.08123, 1.09]);
    expect(p.observe(prices, 0, 2)).toBe(2);
    expect(p.observe(prices, 2, 4)).toBe(5);
    expect(p.observe(new Float64Array([2]), 0, 1)).toBe(5);
  });

  it('samples long columns but always reads the newest price', () => {
    const prices = new Float64Array(100_000).fill(176.5);
    prices[prices.length - 1] = 176.515;
    expect(pricePrecisionOf(prices)).toBe(3);
  });

  it('formats with the precision and gives the price step', () => {
    expect(formatPrice(1.0812, 5)).toBe('1.08120');
    expect(formatPrice(null, 5)).toBe('—');
    expect(formatPrice(Number.NaN)).toBe('—');
    expect(formatPrice(176.7)).toBe('176.70');
    expect(minMove(5)).toBe(0.00001);
    expect(minMove(2)).toBe(0.01);
  });
});
