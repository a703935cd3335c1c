import { describe, expect, it } from 'vitest';
import {
  INTERVALS,
  formatInterval,
  isDerivableFrom,
  parseInterval,
} from '../../src/shared/interval';

describe('intervals', () => {
  it('parses every supported interval to seconds and formats it back', () => {
    const expected = [1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 86_400];
    expect(INTERVALS.map(parseInterval)).toEqual(expected);
    for (const name of INTERVALS) expect(formatInterval(parseInterval(name))).toBe(name);
  });

  it.each(['2m', '1M', '60s', '', '1 m', '1min', '5', '1w'])(
    'refuses %j with the supported list',
    (bad) => {
      expect(() => parseInterval(bad)).toThrow(
        `Unknown interval "${bad}". Supported intervals: 1s, 5s`,
      );
    },
  );

  it('refuses to format a span that has no interval name', () => {
    expect(() => formatInterval(7)).toThrow('No supported interval is 7 seconds long.');
  });

  it('derives only strictly larger whole multiples of the base', () => {
    expect(isDerivableFrom('5s', '1s')).toBe(true);
    expect(isDerivableFrom('1m', '1s')).toBe(true);
    expect(isDerivableFrom('1m', '1m')).toBe(false);
    expect(isDerivableFrom('30s', '1m')).toBe(false);
    expect(isDerivableFrom('15m', '1m')).toBe(true);
    expect(isDerivableFrom('1h', '1m')).toBe(true);
  });
});
