import { describe, expect, it } from 'vitest';
import { epochTextToMs } from '../../../src/main/storage/import/csv-source';
import {
  epochNumberToMs,
  inferEpochUnit,
  int64ToMs,
} from '../../../src/main/storage/import/epoch-units';
import { parseTimestampText } from '../../../src/main/storage/import/timestamp-text';
import {
  sequentialWallClock,
  toZonedIso,
  wallClockToUtc,
} from '../../../src/shared/market/zoned-time';

const utc = wallClockToUtc('UTC');
const ny = wallClockToUtc('America/New_York');
const T = Date.UTC(2024, 2, 4, 14, 30, 0);

describe('inferEpochUnit', () => {
  it.each([
    [1709562600, 's', 's, from magnitude 1.7e9'],
    [1709562600123, 'ms', 'ms, from magnitude 1.7e12'],
    [1709562600123456, 'us', 'us, from magnitude 1.7e15'],
    [Number(1709562600123456789n), 'ns', 'ns, from magnitude 1.7e18'],
  ])('%d counts %s', (value, unit, note) => {
    expect(inferEpochUnit([value, value + 1, NaN, value + 2])).toEqual({ unit, note });
  });

  it('refuses numbers too small to be epoch times (a time of day in ms)', () => {
    expect(inferEpochUnit([34_200_000, 34_260_000])).toBeUndefined();
    expect(inferEpochUnit([NaN])).toBeUndefined();
  });
});

describe('epoch conversion', () => {
  it('converts numbers of each unit to whole ms, rounding sub-ms parts down', () => {
    expect(epochNumberToMs(1709562600, 's')).toBe(T);
    expect(epochNumberToMs(1709562600.123, 's')).toBe(T + 123);
    expect(epochNumberToMs(T + 0.9, 'ms')).toBe(T);
    expect(epochNumberToMs((T + 5) * 1000 + 999, 'us')).toBe(T + 5);
  });

  it('converts 64-bit ns exactly, even a nanosecond before a millisecond boundary', () => {
    const values = BigInt64Array.from([
      BigInt(T) * 1_000_000n + 999_999n,
      BigInt(T + 1) * 1_000_000n,
      BigInt(T) * 1_000_000n - 1n,
    ]);
    const out = new Float64Array(3);
    int64ToMs(values, 'ns', out, 0);
    expect([...out]).toEqual([T, T + 1, T - 1]);
    const unsigned = BigUint64Array.from([BigInt(T) * 1000n + 999n]);
    int64ToMs(unsigned, 'us', out, 0);
    expect(out[0]).toBe(T);
    int64ToMs(BigInt64Array.from([BigInt(T / 1000)]), 's', out, 0);
    expect(out[0]).toBe(T);
  });

  it('cuts ns and µs text without floating point', () => {
    expect(epochTextToMs(`${T}999999`, 'ns')).toBe(T);
    expect(epochTextToMs(`${T}999`, 'us')).toBe(T);
    expect(epochTextToMs('1709562600.5', 's')).toBe(T + 500);
    expect(epochTextToMs('', 'ms')).toBeNaN();
  });
});

describe('parseTimestampText', () => {
  it.each([
    ['2024-03-04T14:30:00Z', T],
    ['2024-03-04T14:30:00.123Z', T + 123],
    ['2024-03-04 14:30:00.123456+00:00', T + 123],
    ['2024-03-04T09:30:00-05:00', T],
    ['2024-03-04T09:30:00.5-0500', T + 500],
    ['2024-03-04T15:30:00+01', T],
    ['2024-03-04 14:30:00', T],
    ['2024-03-04 14:30', T],
    ['2024/03/04 14:30:00', T],
    ['20240304 14:30:00.250', T + 250],
    ['20240304 143000', T],
    ['2024.03.04 14:30', T],
    ['04.03.2024 14:30:00.000', T],
    ['20240304  09:30:00 US/Eastern', T],
    ['2024-03-04 14:30:00 UTC', T],
    ['2024-03-04', Date.UTC(2024, 2, 4)],
    ['2013-01-01 22:00:00.295000+00:00', Date.UTC(2013, 0, 1, 22, 0, 0, 295)],
  ])('%s', (text, expected) => {
    expect(parseTimestampText(text, utc)).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    '2024-13-01 00:00:00',
    '2024-02-31',
    '2024-03-04 25:00:00',
    '1709562600',
    '2024-03-04T14:30:00+5',
    '2024-03-04 09:30:00 Not/AZone',
    '2024-03-04 09:30:00 EST',
    '31.02.2024 00:00:00',
  ])('refuses %j', (text) => {
    expect(parseTimestampText(text, utc)).toBeNaN();
  });

  it('reads naive times in the import zone and never moves offset times', () => {
    expect(parseTimestampText('2024-03-04 09:30:00', ny)).toBe(T);
    expect(parseTimestampText('2024-03-04T14:30:00Z', ny)).toBe(T);
  });
});

describe('America/New_York wall clock, across DST', () => {
  it('uses EST before and EDT after the spring change (2024-03-10)', () => {
    expect(ny(Date.UTC(2024, 2, 8, 9, 30))).toBe(Date.UTC(2024, 2, 8, 14, 30));
    expect(ny(Date.UTC(2024, 2, 11, 9, 30))).toBe(Date.UTC(2024, 2, 11, 13, 30));
    // Same night, either side of 02:00 local.
    expect(ny(Date.UTC(2024, 2, 10, 1, 59))).toBe(Date.UTC(2024, 2, 10, 6, 59));
    expect(ny(Date.UTC(2024, 2, 10, 3, 0))).toBe(Date.UTC(2024, 2, 10, 7, 0));
  });

  it('uses EDT before and EST after the autumn change (2024-11-03)', () => {
    expect(ny(Date.UTC(2024, 10, 1, 16, 0))).toBe(Date.UTC(2024, 10, 1, 20, 0));
    expect(ny(Date.UTC(2024, 10, 4, 16, 0))).toBe(Date.UTC(2024, 10, 4, 21, 0));
  });

  it('reads the skipped spring hour with the later offset, the repeated autumn hour as its first pass', () => {
    expect(ny(Date.UTC(2024, 2, 10, 2, 30))).toBe(Date.UTC(2024, 2, 10, 7, 30));
    expect(ny(Date.UTC(2024, 10, 3, 1, 30))).toBe(Date.UTC(2024, 10, 3, 5, 30));
    expect(ny(Date.UTC(2024, 10, 3, 2, 0))).toBe(Date.UTC(2024, 10, 3, 7, 0));
  });

  it('reads a chronological pass through the repeated hour as first, then second pass', () => {
    const clock = sequentialWallClock('America/New_York');
    const wall = (h: number, m: number) => Date.UTC(2024, 10, 3, h, m);
    const read = [wall(0, 59), wall(1, 0), wall(1, 59), wall(1, 0), wall(1, 59), wall(2, 0)].map(
      (w) => (clock(w) - Date.UTC(2024, 10, 3)) / 60_000,
    );
    // 04:59Z, 05:00Z, 05:59Z (EDT), then 06:00Z, 06:59Z (EST), 07:00Z.
    expect(read).toEqual([299, 300, 359, 360, 419, 420]);
    expect(clock.secondPassRows).toBe(2);
    const utc = sequentialWallClock('UTC');
    expect(utc(wall(1, 0))).toBe(wall(1, 0));
  });

  it('formats instants in exchange time with the offset', () => {
    expect(toZonedIso(T)).toBe('2024-03-04T09:30:00.000-05:00');
    expect(toZonedIso(Date.UTC(2024, 6, 1, 13, 30, 0, 5))).toBe('2024-07-01T09:30:00.005-04:00');
    expect(toZonedIso(T, 'UTC')).toBe('2024-03-04T14:30:00.000Z');
  });
});
