import { describe, expect, it } from 'vitest';
import { calendarsOf } from '../../src/main/host/session-host';
import { tradingDays } from '../../src/main/service/session-range';
import { parseSessionConfig, type SessionConfig } from '../../src/shared/session-config';

function config(streams: object[], dates?: { start_date: string; end_date: string }) {
  const parsed = parseSessionConfig({
    session_name: 'days',
    data_streams: streams,
    ...(dates ? { backtest_config: dates } : {}),
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return parsed.config;
}

const days = (c: SessionConfig, fallback?: { start_date: string; end_date: string }) =>
  tradingDays(c, calendarsOf(c), fallback ?? null);

describe('tradingDays', () => {
  const aapl = { type: 'bars', symbol: 'AAPL', interval: '1m' };

  it("lists the calendar's trading days in the range, open to close", () => {
    // Friday 2024-03-29 is Good Friday: the NYSE is closed.
    const out = days(config([aapl], { start_date: '2024-03-27', end_date: '2024-04-01' }));
    expect(out.map((d) => d.date)).toEqual(['2024-03-27', '2024-03-28', '2024-04-01']);
    expect(out[0]).toMatchObject({
      start: Date.parse('2024-03-27T13:30:00Z'),
      end: Date.parse('2024-03-27T20:00:00Z'),
    });
  });

  it('takes the union over symbols on other calendars, each day from its earliest open', () => {
    const btc = { type: 'bars', symbol: 'BTC-USD', interval: '1m', calendar: '24x7' };
    const out = days(config([aapl, btc], { start_date: '2024-03-29', end_date: '2024-04-01' }));
    expect(out.map((d) => d.date)).toEqual([
      '2024-03-29',
      '2024-03-30',
      '2024-03-31',
      '2024-04-01',
    ]);
    // The round-the-clock calendar's days run midnight to midnight UTC, before the NYSE opens.
    expect(out[3]).toMatchObject({
      start: Date.parse('2024-04-01T00:00:00Z'),
      end: Date.parse('2024-04-02T00:00:00Z'),
    });
  });

  it("uses the catalog's range when the config has no dates, and none without either", () => {
    const undated = config([aapl]);
    expect(days(undated)).toEqual([]);
    expect(days(undated, { start_date: '2024-03-28', end_date: '2024-04-01' })).toHaveLength(2);
  });
});
