/**
 * A live session opened from a config with a `feed` block, against the local server: the
 * feed's cursors go through the coordinator into session data like stored streams, across a
 * drop and a REST backfill, with every bar once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSessionConfig, type SessionConfig } from '../../src/shared/session-config';
import { openFeedSession, type FeedSession } from '../../src/main/host/feed-session';
import { buildSummary } from '../../src/main/host/session-summary';
import { systemWallClock } from '../../src/main/engine/wall-clock';
import { BinanceTestServer } from './binance-test-server';
import { klineMessage, type TestBar } from './capture';
import { SetWallClock, waitFor } from './feed-helpers';

let server: BinanceTestServer;
let live: FeedSession | null = null;
beforeEach(async () => {
  server = await BinanceTestServer.start();
});
afterEach(async () => {
  await live?.close();
  live = null;
  await server.stop();
});

function config(extra: Record<string, unknown> = {}): SessionConfig {
  const r = parseSessionConfig({
    session_name: 'btc live',
    mode: 'live',
    data_streams: [
      { type: 'bars', symbol: 'BTCUSDT', interval: '1s' },
      { type: 'quotes', symbol: 'BTCUSDT' },
      { type: 'ticks', symbol: 'BTCUSDT' },
    ],
    session_data_config: { data_upkeep: { derived_intervals: ['1m'] } },
    feed: { type: 'binance', ws_url: server.wsUrl, rest_url: server.restUrl, history_minutes: 5 },
    ...extra,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

describe('a live session fed by the Binance adapter', () => {
  it('merges history, the stream and a reconnect gap into session data, every bar once', async () => {
    // Bars a few minutes old, so the session's wall clock is past all of them.
    const base = Math.floor(Date.now() / 1000) * 1000 - 300_000;
    const bars: TestBar[] = [];
    for (let i = 0; bars.length < 120; i++) {
      if (i % 7 === 3) continue;
      bars.push({
        start: base + i * 1000,
        open: 10,
        high: 11,
        low: 9,
        close: 10 + (i % 3) / 2,
        volume: i,
      });
    }
    server.bars = bars;
    const feedWall = new SetWallClock(bars[10]!.start + 500);
    live = await openFeedSession(config(), {
      wall: systemWallClock,
      feed: { wall: feedWall },
    });
    const { session, feed } = live;
    expect(session.config.calendar).toBe('24x7');
    expect(session.upkeep).not.toBeNull();
    const done = session.coordinator.start();
    const stored = () => session.sessionData.getSymbolData('BTCUSDT')?.bars_base.length ?? 0;
    await waitFor('the history in session data', () => stored() === 10);

    await server.send([
      ...bars.slice(10, 50).map((b) => klineMessage('BTCUSDT', b)),
      '{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"10.5","B":"1","a":"10.6","A":"2"}}',
      `{"stream":"btcusdt@trade","data":{"e":"trade","E":${base + 1},"s":"BTCUSDT","t":1,"p":"10.55","q":"0.1","T":${base},"m":false,"M":true}}`,
    ]);
    await waitFor('the streamed bars', () => stored() === 50);

    feedWall.t = bars[80]!.start + 500;
    const back = server.nextClient();
    server.drop();
    await back;
    await server.send(bars.slice(75, 90).map((b) => klineMessage('BTCUSDT', b)));
    await waitFor('the gap and the bars after it', () => stored() === 90);

    const data = session.sessionData.getSymbolData('BTCUSDT')!;
    expect(Array.from(data.bars_base.timestamp.subarray(0, 90))).toEqual(
      bars.slice(0, 90).map((b) => b.start),
    );
    expect(data.quotes.length).toBe(1);
    expect(data.ticks.length).toBe(1);
    expect(feed.counts).toMatchObject({ reconnects: 1, duplicates: 5, backfilled: 40 });
    // The trade is older than the history already emitted: kept, and counted as late.
    const stats = session.coordinator.getQueueStats();
    expect(stats.find((q) => q.type === 'ticks')!.late).toBe(1);
    expect(stats.find((q) => q.type === 'bars')!.late).toBe(0);
    const summary = buildSummary(session, null, 1);
    expect(summary.events.late).toBe(session.coordinator.late);
    expect(summary.symbols.BTCUSDT!.late).toBe(session.coordinator.late);
    await live.close();
    live = null;
    expect(await done).toBe('stopped');
    expect(feed.status.state).toBe('closed');
  });

  it('an unknown symbol stops the session before it opens, naming the symbol', async () => {
    server.symbol = 'BTCUSDT';
    const c = config({ data_streams: [{ type: 'bars', symbol: 'NOPEUSDT', interval: '1m' }] });
    await expect(openFeedSession(c, { wall: systemWallClock })).rejects.toThrow(
      /^NOPEUSDT: .*HTTP 400.*Invalid symbol/,
    );
  });
});
