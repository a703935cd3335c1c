import { describe, expect, it } from 'vitest';
import { configZone, sessionZone, zoneName } from '../../src/shared/session-zone';

const stream = (symbol: string, calendar?: 'XNYS' | '24x7') => ({
  symbol,
  type: 'bars' as const,
  interval: '1m' as const,
  ...(calendar ? { calendar } : {}),
});

describe('session zone', () => {
  it('is UTC only when every symbol trades around the clock', () => {
    expect(sessionZone(['24x7', '24x7'])).toBe('UTC');
    expect(sessionZone(['24x7', 'XNYS'])).toBe('America/New_York');
    expect(sessionZone([])).toBe('America/New_York');
  });
  it("reads a config's streams on their own calendars, else the session's", () => {
    const config = (calendar: 'XNYS' | '24x7', streams: ReturnType<typeof stream>[]) =>
      ({ calendar, data_streams: streams }) as unknown as Parameters<typeof configZone>[0];
    expect(configZone(config('24x7', [stream('BTCUSD')]))).toBe('UTC');
    expect(configZone(config('XNYS', [stream('BTCUSD', '24x7')]))).toBe('UTC');
    expect(configZone(config('XNYS', [stream('BTCUSD', '24x7'), stream('SPY')]))).toBe(
      'America/New_York',
    );
    expect(configZone(config('24x7', [stream('SPY', 'XNYS')]))).toBe('America/New_York');
  });
  it('names zones for text', () => {
    expect(zoneName('America/New_York')).toBe('New York');
    expect(zoneName('UTC')).toBe('UTC');
  });
});
