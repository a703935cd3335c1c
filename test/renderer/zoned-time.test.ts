import { describe, expect, it } from 'vitest';
import type { Mutable, TimeScalePoint } from 'lightweight-charts';
import { displayZone, zoneOffsetMs } from '../../src/renderer/src/state/display-zone';
import { zonedTimeScale } from '../../src/renderer/src/components/charts/zoned-time-scale';
import { tickLabel } from '../../src/renderer/src/state/exchange-time';
import type { SymbolInfo } from '../../src/shared/ipc-contract';

const DAY = 50;

function points(isoTimes: string[]): Mutable<TimeScalePoint>[] {
  return isoTimes.map(
    (iso) =>
      ({
        time: {},
        originalTime: Date.parse(iso) / 1000,
        timeWeight: 0,
      }) as unknown as Mutable<TimeScalePoint>,
  );
}

// 2013-10-07 19:59 and 20:00 in New York (23:59 and 00:00 UTC), then the 8th's pre-market.
const EVENING_AND_PREMARKET = [
  '2013-10-07T23:58:00Z',
  '2013-10-07T23:59:00Z',
  '2013-10-08T00:00:00Z',
  '2013-10-08T08:00:00Z',
  '2013-10-08T08:15:00Z',
];

function info(symbol: string, calendar: string): SymbolInfo {
  return {
    symbol,
    baseInterval: '1m',
    derivedIntervals: [],
    hasQuotes: false,
    hasTicks: false,
    calendar,
  };
}

describe('axis day marks in the display zone', () => {
  it('marks the New York day at its first bar, not at midnight UTC', () => {
    const p = points(EVENING_AND_PREMARKET);
    zonedTimeScale('America/New_York').fillWeightsForPoints(p, 0);
    const weights = p.map((x) => x.timeWeight as number);
    expect(weights[2]).toBeLessThan(DAY);
    expect(weights[3]).toBe(DAY);
    // And that mark's label is the 8th, the date the crosshair shows there.
    expect(tickLabel(p[3].originalTime as number, 2, 'America/New_York')).toBe('8 Oct');
  });

  it('marks midnight UTC when the zone is UTC', () => {
    const p = points(EVENING_AND_PREMARKET);
    zonedTimeScale('UTC').fillWeightsForPoints(p, 0);
    expect(p.map((x) => x.timeWeight as number).slice(2, 4)).toEqual([DAY, 32]);
  });

  it('weighs appended points from where it is told to start', () => {
    const p = points(EVENING_AND_PREMARKET);
    const scale = zonedTimeScale('America/New_York');
    scale.fillWeightsForPoints(p.slice(0, 3), 0);
    scale.fillWeightsForPoints(p, 3);
    expect(p[3].timeWeight).toBe(DAY);
  });

  it('knows the offset on both sides of a DST change', () => {
    expect(zoneOffsetMs(Date.parse('2024-03-08T15:00:00Z'), 'America/New_York')).toBe(-5 * 3.6e6);
    expect(zoneOffsetMs(Date.parse('2024-03-11T15:00:00Z'), 'America/New_York')).toBe(-4 * 3.6e6);
    expect(zoneOffsetMs(Date.parse('2024-03-11T15:00:00Z'), 'UTC')).toBe(0);
  });
});

describe('display zone', () => {
  it('is UTC on auto when every symbol trades around the clock', () => {
    expect(displayZone('auto', [info('BTCUSD', '24x7')])).toBe('UTC');
    expect(displayZone('auto', [info('BTCUSD', '24x7'), info('SPY', 'XNYS')])).toBe(
      'America/New_York',
    );
    expect(displayZone('auto', [])).toBe('America/New_York');
    expect(displayZone('utc', [info('SPY', 'XNYS')])).toBe('UTC');
    expect(displayZone('exchange', [info('BTCUSD', '24x7')])).toBe('America/New_York');
    expect(displayZone('local', [])).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});
