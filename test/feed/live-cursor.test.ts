/** The live cursor, reconnect backoff, and paged REST klines with their refusals. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveCursor } from '../../src/main/feed/live-cursor';
import { backoffDelay } from '../../src/main/feed/backoff';
import { fetchKlines, klinesUrl, type FetchLike } from '../../src/main/feed/binance/binance-klines';
import { BinanceTestServer } from './binance-test-server';
import { restRow, type TestBar } from './capture';
import { drain } from './feed-helpers';

describe('LiveCursor', () => {
  it('bars: strictly increasing starts, a repeat or an older bar is counted and dropped', async () => {
    const c = new LiveCursor({ symbol: 'X', type: 'bars', interval: '1s' });
    expect(c.push(1000, 1, 2, 0.5, 1.5, 10)).toBe(true);
    expect(c.push(1000, 9, 9, 9, 9, 9)).toBe(false);
    expect(c.push(500, 9, 9, 9, 9, 9)).toBe(false);
    expect(c.push(2000, 2, 3, 1, 2, 20)).toBe(true);
    c.end();
    expect(await drain(c)).toEqual([
      [1000, 1, 2, 0.5, 1.5, 10],
      [2000, 2, 3, 1, 2, 20],
    ]);
    expect([c.accepted, c.duplicates]).toEqual([2, 2]);
  });

  it('ticks: equal times are kept, older ones refused; rows past the first buffer survive growth', async () => {
    const c = new LiveCursor({ symbol: 'X', type: 'ticks' });
    for (let i = 0; i < 1000; i++) c.push(Math.floor(i / 2), i + 1, 1);
    expect(c.push(10, 1, 1)).toBe(false);
    const first = await c.next(300);
    expect(first!.length).toBe(300);
    expect(first!.values[0]![299]).toBe(300);
    c.end();
    const rest = await drain(c);
    expect(rest).toHaveLength(700);
    expect(rest[699]).toEqual([499, 1000, 1]);
  });

  it('a pending next() wakes on the first push, and on end() with null', async () => {
    const c = new LiveCursor({ symbol: 'X', type: 'quotes' });
    const pending = c.next(10);
    c.push(5, 1, 2, 3, 4);
    expect((await pending)!.timestamp).toEqual(Float64Array.from([5]));
    const waiting = c.next(10);
    c.abort();
    expect(await waiting).toBeNull();
    expect(c.push(6, 1, 2, 3, 4)).toBe(false);
  });
});

describe('backoff', () => {
  it('doubles its ceiling per attempt up to the max, with half of it jittered', () => {
    const o = { baseMs: 100, maxMs: 1000 };
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, o, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect([1, 2, 3, 4, 5, 10].map((a) => backoffDelay(a, o, () => 0.999999))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });
});

describe('REST klines, paged', () => {
  let server: BinanceTestServer;
  beforeEach(async () => {
    server = await BinanceTestServer.start();
  });
  afterEach(async () => {
    await server.stop();
  });

  const bars: TestBar[] = Array.from({ length: 20 }, (_, i) => ({
    start: 60_000 * (100 + i),
    open: 10,
    high: 11 + i,
    low: 9,
    close: 10.5,
    volume: i,
  }));

  it('follows pages until a short one, and keeps to the asked range', async () => {
    server.bars = bars;
    const got = await fetchKlines({
      restUrl: server.restUrl + '/',
      symbol: 'BTCUSDT',
      interval: '1m',
      startMs: bars[2]!.start,
      endMs: bars[17]!.start,
      pageLimit: 4,
    });
    expect(Array.from(got.timestamp)).toEqual(bars.slice(2, 17).map((b) => b.start));
    expect(Array.from(got.values[1]!)).toEqual(bars.slice(2, 17).map((b) => b.high));
    // 15 bars in pages of 4: 4 + 4 + 4 + 3.
    expect(server.restRequests.map((q) => Number(q.get('startTime')))).toEqual([
      bars[2]!.start,
      bars[6]!.start,
      bars[10]!.start,
      bars[14]!.start,
    ]);
    expect(server.restRequests[0]!.get('endTime')).toBe(String(bars[17]!.start - 1));
  });

  it('refuses answers out of range, out of order, or with an error status', async () => {
    const answer =
      (rows: unknown[], status = 200): FetchLike =>
      async () => ({
        ok: status === 200,
        status,
        json: async () => rows,
        text: async () => JSON.stringify(rows),
      });
    const ask = (fetch: FetchLike) =>
      fetchKlines({
        restUrl: 'http://x',
        symbol: 'BTCUSDT',
        interval: '1m',
        startMs: bars[0]!.start,
        endMs: bars[5]!.start,
        fetch,
      });
    await expect(ask(answer([restRow(bars[6]!)]))).rejects.toThrow(
      /row 0 starts at .* outside the asked range/,
    );
    await expect(ask(answer([restRow(bars[2]!), restRow(bars[1]!)]))).rejects.toThrow(
      /row 1 is out of order/,
    );
    await expect(ask(answer([restRow(bars[2]!), restRow(bars[2]!)]))).rejects.toThrow(
      /row 1 is out of order/,
    );
    await expect(ask(answer([], 429))).rejects.toThrow(
      /^BTCUSDT: http:\/\/x\/api\/v3\/klines\?.* answered HTTP 429/,
    );
    expect(klinesUrl('http://x/', 'btcusdt', '1s', 1000, 2000, 1000)).toBe(
      'http://x/api/v3/klines?symbol=BTCUSDT&interval=1s&startTime=1000&endTime=1999&limit=1000',
    );
  });
});
