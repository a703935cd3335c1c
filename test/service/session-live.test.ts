/**
 * A live session through the service (the API both hosts serve): it starts running on the
 * local Binance stand-in, its status carries the feed badge's figures, a dropped connection
 * shows as reconnecting and comes back, and Stop lets go of the connection.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionSnapshot, SessionUpdate } from '../../src/shared/ipc-contract';
import { LiveStatusSchema } from '../../src/shared/live-status';
import { BinanceTestServer } from '../feed/binance-test-server';
import { klineMessage, type TestBar } from '../feed/capture';
import { waitFor } from '../feed/feed-helpers';
import { listStoreFiles as locate } from '../../src/main/storage/parquet/parquet-layout';
import { makeDataDir, removeDataDir } from '../storage/fixtures';
import { demoConfig, recorder, type Recorder } from './service-helpers';

let server: BinanceTestServer;
let r: Recorder;
beforeEach(async () => {
  server = await BinanceTestServer.start();
  r = recorder();
});
afterEach(async () => {
  await r.service.close();
  await server.stop();
});

function withTimeout<T>(what: string, promise: Promise<T>, ms = 20_000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, fail) => setTimeout(() => fail(new Error(`timed out: ${what}`)), ms)),
  ]);
}

describe('a live session through the service', () => {
  it('runs, reports the feed state, and shows a drop as reconnecting until it is back', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    const bars: TestBar[] = Array.from({ length: 30 }, (_, i) => ({
      start: now - (30 - i) * 1000,
      open: 10,
      high: 14,
      low: 9,
      close: 10 + i / 10,
      volume: i,
    }));
    server.bars = bars;
    const config = {
      session_name: 'btc live',
      mode: 'live',
      data_streams: [{ type: 'bars', symbol: 'BTCUSDT', interval: '1s' }],
      feed: { type: 'binance', ws_url: server.wsUrl, rest_url: server.restUrl, history_minutes: 1 },
    };
    const snapshot = await r.call<SessionSnapshot>('startSession', { config });
    expect(snapshot.status.state).toBe('running');
    expect(LiveStatusSchema.parse(snapshot.status.live)).toMatchObject({
      state: 'connected',
      recording: false,
      reconnects: 0,
    });
    await withTimeout(
      'the history',
      r.until((u) => (u.status.live?.items ?? 0) >= 30),
    );

    const back = server.nextClient();
    server.drop();
    const reconnecting = await withTimeout(
      'reconnecting',
      r.until((u) => u.status.live?.state === 'reconnecting'),
    );
    expect(reconnecting.status.live!.attempt).toBe(1);
    await back;
    const connected = (u: SessionUpdate) =>
      u.status.live?.state === 'connected' && u.status.live.reconnects === 1;
    await withTimeout('connected again', r.until(connected));
    await server.send([klineMessage('BTCUSDT', { ...bars[29]!, start: now })]);
    await withTimeout(
      'a streamed bar',
      r.until((u) => (u.status.live?.items ?? 0) >= 31),
    );
    expect(r.logs.some((l) => l.level === 'warn' && /Feed reconnecting/.test(l.message))).toBe(
      true,
    );

    await r.call('controlSession', { action: 'stop' });
    const stopped = await r.call<SessionSnapshot>('snapshot');
    expect(stopped.status.state).toBe('stopped');
    expect(stopped.status.live!.state).toBe('closed');
    // The server hears the close a moment later.
    await waitFor('the server to see the socket close', () => server.connections === 0);
  });

  it('an unknown symbol refuses the start, naming the symbol', async () => {
    server.symbol = 'ETHUSDT';
    const config = {
      session_name: 'nope',
      mode: 'live',
      data_streams: [{ type: 'bars', symbol: 'BTCUSDT', interval: '1m' }],
      feed: { type: 'binance', ws_url: server.wsUrl, rest_url: server.restUrl },
    };
    await expect(r.call('startSession', { config })).rejects.toMatchObject({
      issues: [expect.stringMatching(/^BTCUSDT: .*Invalid symbol/)],
    });
  });

  it('records into the data directory when asked; a replay of the store refuses to record', async () => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    server.bars = Array.from({ length: 20 }, (_, i) => ({
      start: now - (20 - i) * 1000,
      open: 10,
      high: 12,
      low: 9,
      close: 11,
      volume: i + 1,
    }));
    const dir = await makeDataDir();
    const rec = recorder({ dataDir: dir });
    try {
      const config = {
        session_name: 'btc rec',
        mode: 'live',
        data_streams: [{ type: 'bars', symbol: 'BTCUSDT', interval: '1s' }],
        feed: {
          type: 'binance',
          ws_url: server.wsUrl,
          rest_url: server.restUrl,
          history_minutes: 1,
        },
      };
      const started = await rec.call<SessionSnapshot>('startSession', { config, record: true });
      expect(started.status.live!.recording).toBe(true);
      await withTimeout(
        'the history',
        rec.until((u) => (u.status.live?.items ?? 0) >= 20),
      );
      await rec.call('controlSession', { action: 'stop' });
      const files = await locate(dir);
      expect(files.map((f) => `${f.symbol} ${f.interval} ${f.date}`)).toEqual(
        [...new Set(server.bars.map((b) => new Date(b.start).toISOString().slice(0, 10)))].map(
          (d) => `BTCUSDT 1s ${d}`,
        ),
      );
    } finally {
      await rec.service.close();
      await removeDataDir(dir);
    }
    await expect(
      r.call('startSession', { config: demoConfig(), record: true }),
    ).rejects.toMatchObject({ issues: [expect.stringMatching(/Recording needs a live session/)] });
  });
});
