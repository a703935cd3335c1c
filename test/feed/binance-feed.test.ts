/**
 * The Binance adapter against a local server on 127.0.0.1: connect, history, stream, a drop
 * mid-stream, reconnect, the gap backfilled over REST through injected 500/429 answers, and
 * every bar kept exactly once. Waits are bounded by count, never by timing assertions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BinanceFeed } from '../../src/main/feed/binance/binance-feed';
import type { FeedStatus } from '../../src/main/feed/market-feed';
import { systemWallClock } from '../../src/main/engine/wall-clock';
import { outsideData } from '../outside-data';
import { BinanceTestServer } from './binance-test-server';
import { barsFromTrades, capturedTrades, klineMessage, readCapture, type TestBar } from './capture';
import { drain, SetWallClock, waitFor } from './feed-helpers';

const SYMBOL = 'BTCUSDT';
const BACKOFF = { baseMs: 5, maxMs: 20 };
const QUOTE =
  '{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"100.5","B":"1","a":"100.6","A":"2"}}';
const trade = (id: number, time: number) =>
  `{"stream":"btcusdt@trade","data":{"e":"trade","E":${time + 1},"s":"BTCUSDT","t":${id},"p":"100.55","q":"0.1","T":${time},"m":false,"M":true}}`;

/** 150 one-second bars, with a few seconds missing as in real data. */
function inlineBars(): TestBar[] {
  const bars: TestBar[] = [];
  const t0 = Date.UTC(2024, 7, 9, 0, 0, 0);
  for (let i = 0; bars.length < 150; i++) {
    if (i % 7 === 3) continue;
    const open = 100 + (i % 11);
    bars.push({
      start: t0 + i * 1000,
      open,
      high: open + 2,
      low: open - 1,
      close: open + 1,
      volume: 1 + i / 10,
    });
  }
  return bars;
}

const capture = outsideData('real/hftbacktest-binance-btcusdt-spot');

let server: BinanceTestServer;
let feed: BinanceFeed | null = null;
beforeEach(async () => {
  server = await BinanceTestServer.start();
});
afterEach(async () => {
  await feed?.close();
  feed = null;
  await server.stop();
});

async function dropReconnectBackfill(bars: TestBar[]): Promise<void> {
  server.bars = bars;
  const wall = new SetWallClock(bars[10]!.start + 500);
  feed = new BinanceFeed({
    wsUrl: server.wsUrl,
    restUrl: server.restUrl,
    historyMs: bars[10]!.start - bars[0]!.start + 1000,
    wall,
    backoff: BACKOFF,
  });
  const statuses: FeedStatus[] = [];
  feed.onStatus((s) => statuses.push(s));
  const [barCursor, quotes, ticks] = feed.subscribe([
    { symbol: SYMBOL, type: 'bars', interval: '1s' },
    { symbol: SYMBOL, type: 'quotes' },
    { symbol: SYMBOL, type: 'ticks' },
  ]);
  await feed.connect();
  expect(server.subscriptions).toEqual(['btcusdt@kline_1s/btcusdt@bookTicker/btcusdt@trade']);
  // History before the connection: the ten closed bars before "now".
  expect(feed.counts).toMatchObject({ bars: 10, backfilled: 10 });

  const live = bars.slice(10, 50).map((b) => klineMessage(SYMBOL, b));
  await server.send([
    ...live.slice(0, 20),
    klineMessage(SYMBOL, bars[15]!), // a repeated frame
    klineMessage(SYMBOL, bars[30]!, false), // still forming
    '{"stream":"btcusdt@bookTicker","data":{"u":2,"s":"BTCUSDT","b":"oops"}}',
    'not json at all',
    QUOTE,
    trade(7, bars[30]!.start + 10),
    trade(7, bars[30]!.start + 10), // the same trade twice
    ...live.slice(20),
  ]);
  await waitFor('the live bars', () => feed!.counts.bars === 50);

  // The connection drops; 30 bars happen while it is down; REST fails twice before answering.
  server.restFaults = [500, 429];
  wall.t = bars[80]!.start + 500;
  const back = server.nextClient();
  server.drop();
  await back;
  await waitFor(
    'the gap backfill',
    () => feed!.counts.bars === 80 && feed!.status.state === 'connected',
  );
  await server.send(bars.slice(78, 120).map((b) => klineMessage(SYMBOL, b)));
  await waitFor('the bars after reconnecting', () => feed!.counts.bars === 120);

  await feed.close();
  const got = await drain(barCursor!);
  expect(got).toEqual(
    bars.slice(0, 120).map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume]),
  );
  // Stamped with the receive time: the wall clock when it came in.
  expect(await drain(quotes!)).toEqual([[bars[10]!.start + 500, 100.5, 100.6, 1, 2]]);
  expect(await drain(ticks!)).toEqual([[bars[30]!.start + 10, 100.55, 0.1]]);
  expect(feed.counts).toMatchObject({
    bars: 120,
    backfilled: 40,
    quotes: 1,
    ticks: 1,
    // bars[15] repeated, bars[78..79] from both REST and the stream, the repeated trade.
    duplicates: 4,
    reconnects: 1,
    bad: { 'btcusdt@bookTicker': 1, '(unknown)': 1 },
  });
  // The gap was asked from the bar after the last one held; the faults were retried.
  const gapAsks = server.restRequests.slice(1);
  expect(gapAsks.map((q) => Number(q.get('startTime')))).toEqual(
    Array(3).fill(bars[49]!.start + 1000),
  );
  expect(gapAsks.every((q) => q.get('limit') === '1000')).toBe(true);
  const states = statuses.map((s) => s.state);
  const reconnecting = states.indexOf('reconnecting');
  expect(reconnecting).toBeGreaterThan(0);
  expect(states.slice(reconnecting)).toEqual(
    expect.arrayContaining(['reconnecting', 'backfilling', 'connected']),
  );
  expect(states.at(-1)).toBe('closed');
}

describe('Binance feed against a local server', () => {
  it('connects, streams, drops, reconnects and backfills the gap: every bar once (inline bars)', async () => {
    await dropReconnectBackfill(inlineBars());
  });

  it.skipIf(capture.path === null)(
    `the same with 1-second bars built from the real captured trades${capture.reason ? ` (${capture.reason})` : ''}`,
    async () => {
      const lines = readCapture(`${capture.path}/btcusdt_20240808.gz`);
      await dropReconnectBackfill(barsFromTrades(capturedTrades(lines)));
    },
  );

  it('a silent connection is judged stale and replaced', async () => {
    feed = new BinanceFeed({
      wsUrl: server.wsUrl,
      restUrl: server.restUrl,
      wall: systemWallClock,
      backoff: BACKOFF,
      staleAfterMs: 150,
    });
    const statuses: string[] = [];
    feed.onStatus((s) => statuses.push(s.state));
    const [quotes] = feed.subscribe([{ symbol: SYMBOL, type: 'quotes' }]);
    const first = server.nextClient();
    await feed.connect();
    await first;
    await server.send([QUOTE]);
    // The server goes quiet without closing: the feed must notice and reconnect by itself.
    const second = server.nextClient();
    await second;
    await waitFor('the reconnection', () => feed!.status.state === 'connected');
    await server.send([QUOTE]);
    await waitFor('the quote after reconnecting', () => feed!.counts.quotes === 2);
    expect(statuses).toEqual(expect.arrayContaining(['stale', 'reconnecting', 'connected']));
    expect(feed.counts.reconnects).toBeGreaterThanOrEqual(1);
    await feed.close();
    expect((await drain(quotes!)).length).toBe(2);
  });

  it('an unknown symbol is a clear error naming it, from the socket or from REST', async () => {
    server.unknownSymbols.add('XYZUSDT');
    feed = new BinanceFeed({ wsUrl: server.wsUrl, restUrl: server.restUrl, backoff: BACKOFF });
    feed.subscribe([{ symbol: 'XYZUSDT', type: 'quotes' }]);
    await expect(feed.connect()).rejects.toThrow(/xyzusdt@bookTicker.*400/);
    expect(feed.status.state).toBe('closed');

    server.unknownSymbols.clear();
    server.symbol = 'BTCUSDT';
    feed = new BinanceFeed({ wsUrl: server.wsUrl, restUrl: server.restUrl, historyMs: 60_000 });
    feed.subscribe([{ symbol: 'ETHUSDT', type: 'bars', interval: '1m' }]);
    await expect(feed.connect()).rejects.toThrow(/^ETHUSDT: .*HTTP 400.*Invalid symbol/);
  });

  it('subscribe and connect refuse misuse', async () => {
    feed = new BinanceFeed({ wsUrl: server.wsUrl, restUrl: server.restUrl });
    await expect(feed.connect()).rejects.toThrow('no stream subscribed');
    expect(() =>
      feed!.subscribe([
        { symbol: SYMBOL, type: 'ticks' },
        { symbol: SYMBOL, type: 'ticks' },
      ]),
    ).toThrow('btcusdt@trade is subscribed twice');
  });
});

describe.skipIf(capture.path === null)(
  `Binance feed replaying the real capture${capture.reason ? ` (${capture.reason})` : ''}`,
  () => {
    it('delivers every captured quote and trade, counts depth and the snapshot, in order', async () => {
      const lines = readCapture(`${capture.path}/btcusdt_20240808.gz`);
      feed = new BinanceFeed({
        wsUrl: server.wsUrl,
        restUrl: server.restUrl,
        wall: systemWallClock,
      });
      const [quotes, ticks] = feed.subscribe([
        { symbol: SYMBOL, type: 'quotes' },
        { symbol: SYMBOL, type: 'ticks' },
      ]);
      const client = server.nextClient();
      await feed.connect();
      await client;
      await server.send(lines.map((l) => l.text));
      await waitFor(
        'the whole capture',
        () => feed!.counts.quotes + feed!.counts.ticks + feed!.counts.other + 1 >= lines.length,
        4000,
      );
      await feed.close();
      expect(feed.counts).toMatchObject({
        quotes: 28_040,
        ticks: 9_757,
        other: 3_451,
        duplicates: 0,
      });
      expect(feed.counts.bad).toEqual({ '(unknown)': 1 });
      const tickRows = await drain(ticks!);
      const raw = capturedTrades(lines);
      expect(tickRows).toEqual(raw.map((t) => [t.T, t.p, t.q]));
      const quoteRows = await drain(quotes!);
      expect(quoteRows).toHaveLength(28_040);
      for (let i = 1; i < quoteRows.length; i++)
        expect(quoteRows[i]![0]!).toBeGreaterThanOrEqual(quoteRows[i - 1]![0]!);
    });
  },
);
