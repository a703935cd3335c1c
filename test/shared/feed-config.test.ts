/** The `feed` block of a live session's config: defaults, overrides, and every refusal. */
import { describe, expect, it } from 'vitest';
import { defaultCalendar, parseSessionConfig } from '../../src/shared/session-config';

const live = (feed: unknown, extra: Record<string, unknown> = {}) => ({
  session_name: 'btc live',
  mode: 'live',
  data_streams: [
    { type: 'bars', symbol: 'btcusdt', interval: '1s' },
    { type: 'quotes', symbol: 'BTCUSDT' },
  ],
  feed,
  ...extra,
});

const messages = (input: unknown) => {
  const r = parseSessionConfig(input);
  return r.ok ? [] : r.problems.map((p) => `${p.path} | ${p.message}`);
};

describe('feed config', () => {
  it('defaults both URLs to Binance public endpoints, and the calendar to 24x7', () => {
    const r = parseSessionConfig(live({ type: 'binance' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.feed).toEqual({
      type: 'binance',
      ws_url: 'wss://stream.binance.com:9443',
      rest_url: 'https://api.binance.com',
      history_minutes: 60,
    });
    expect(r.config.calendar).toBe('24x7');
    expect(r.config.data_streams[0]!.symbol).toBe('BTCUSDT');
  });

  it('gives the form the same default calendar the parser applies (24x7 on a feed)', () => {
    for (const input of [live({ type: 'binance' }), { ...live(undefined), mode: 'backtest' }]) {
      const r = parseSessionConfig(input);
      expect(r.ok).toBe(true);
      if (r.ok) expect(defaultCalendar(input)).toBe(r.config.calendar);
    }
    expect(defaultCalendar(live({ type: 'binance' }))).toBe('24x7');
    expect(defaultCalendar({})).toBe('XNYS');
  });

  it('takes overriding URLs and an explicit calendar as given', () => {
    const r = parseSessionConfig(
      live(
        {
          type: 'binance',
          ws_url: 'ws://127.0.0.1:9000',
          rest_url: 'http://127.0.0.1:9000',
          history_minutes: 0,
        },
        { calendar: 'XNYS' },
      ),
    );
    expect(r.ok && r.config.feed).toMatchObject({
      ws_url: 'ws://127.0.0.1:9000',
      history_minutes: 0,
    });
    expect(r.ok && r.config.calendar).toBe('XNYS');
  });

  it('refuses unknown keys, unknown vendors, wrong URL schemes, and a feed outside live mode', () => {
    expect(messages(live({ type: 'binance', api_key: 'x' }))).toEqual([
      expect.stringMatching(/^feed \| feed: Unrecognized key: "api_key"/),
    ]);
    expect(messages(live({ type: 'alpaca' }))).toEqual([
      'feed.type | feed.type: Unknown feed type. Supported feeds: binance.',
    ]);
    expect(messages(live({ type: 'binance', ws_url: 'https://x', rest_url: 'wss://x' }))).toEqual([
      'feed.ws_url | feed.ws_url: ws_url must be a ws:// or wss:// URL',
      'feed.rest_url | feed.rest_url: rest_url must be an http:// or https:// URL',
    ]);
    expect(messages(live({ type: 'binance' }, { mode: 'backtest' }))).toEqual([
      'feed | feed: a market-data feed needs mode "live" (mode is "backtest")',
    ]);
    const fromTicks = live(
      { type: 'binance' },
      {
        data_streams: [{ type: 'ticks', symbol: 'BTCUSDT', bars_from_ticks: '1s' }],
      },
    );
    expect(messages(fromTicks)).toEqual([
      'data_streams[0].bars_from_ticks | data_streams[0]: bars_from_ticks is not available with a live feed; subscribe to a bars stream instead',
    ]);
  });

  it('a session without a feed is unchanged', () => {
    const r = parseSessionConfig({
      session_name: 'x',
      data_streams: [{ type: 'quotes', symbol: 'SPY' }],
    });
    expect(r.ok && [r.config.feed, r.config.calendar]).toEqual([undefined, 'XNYS']);
  });
});
