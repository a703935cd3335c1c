import { describe, expect, it } from 'vitest';
import { bucketStart, lastQuotePerBucket } from '../../src/renderer/src/state/quote-buckets';
import { QuoteSeries } from '../../src/renderer/src/state/quote-series';

describe('bucketStart', () => {
  it('floors to the epoch lattice without an anchor', () => {
    expect(bucketStart(1_500, 1000, null)).toBe(1000);
    expect(bucketStart(59_999, 60_000, null)).toBe(0);
  });
  it('follows the lattice of a known bar start (1h bars at :30)', () => {
    const anchor = Date.UTC(2024, 2, 4, 14, 30);
    expect(bucketStart(Date.UTC(2024, 2, 4, 16, 10), 3_600_000, anchor)).toBe(
      Date.UTC(2024, 2, 4, 15, 30),
    );
    expect(bucketStart(Date.UTC(2024, 2, 4, 14, 29), 3_600_000, anchor)).toBe(
      Date.UTC(2024, 2, 4, 13, 30),
    );
  });
});

describe('lastQuotePerBucket', () => {
  it('keeps the last quote of each bucket, in order', () => {
    const s = new QuoteSeries();
    s.append({
      time: [100, 600, 1200, 1900, 3100],
      bid: [1, 2, 3, 4, 5],
      ask: [1.1, 2.1, 3.1, 4.1, 5.1],
      bidSize: [1, 1, 1, 1, 1],
      askSize: [1, 1, 1, 1, 1],
    });
    expect(lastQuotePerBucket(s, 0, s.length, 1000, null)).toEqual({
      time: [0, 1000, 3000],
      bid: [2, 4, 5],
      ask: [2.1, 4.1, 5.1],
    });
    expect(lastQuotePerBucket(s, 3, s.length, 1000, null).time).toEqual([1000, 3000]);
  });
});
