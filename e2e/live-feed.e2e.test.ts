/**
 * A live session in the app (browser mode) against a local Binance stand-in on 127.0.0.1: the
 * clock follows the wall clock, candles form from the streamed klines, and the feed badge goes
 * through reconnecting and back when the server drops the connection and refuses a while;
 * with Record ticked, Stop leaves the session's bars in the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app';
import { openReadyApp } from './support/demo-app';
import { tempDataDir, type DataDir } from './support/demo-fixture';
import { screenshotOnFailure } from './support/failure-screenshot';
import { clockUtc, controls, count, sessionRow, waitFor } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { sessionState } from './support/session-steps';
import { listStoreFiles as locate } from '../src/main/storage/parquet/parquet-layout';
import { BinanceTestServer } from '../test/feed/binance-test-server';
import { klineMessage, type TestBar } from '../test/feed/capture';

const chromiumPath = chromiumOrSkip('live feed flow');

/** At most this many streamed klines: the server's part of the test is bounded. */
const MAX_STREAMED = 240;

function bar(start: number, i: number): TestBar {
  const mid = 60_000 + 20 * Math.sin(i / 6) + (i % 7);
  return { start, open: mid - 3, high: mid + 6, low: mid - 7, close: mid + 2, volume: 1 + (i % 5) };
}

describe.skipIf(chromiumPath === null)('live feed (browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;
  let server: BinanceTestServer;
  let streamer: ReturnType<typeof setInterval> | null = null;
  screenshotOnFailure(() => app?.page);

  beforeAll(async () => {
    server = await BinanceTestServer.start();
    const now = Math.floor(Date.now() / 1000) * 1000;
    // Two minutes of history, then a closed 1s kline each second while the test runs.
    server.bars = Array.from({ length: 120 }, (_, i) => bar(now - (120 - i) * 1000, i));
    let sent = 0;
    let next = now;
    streamer = setInterval(() => {
      const closed = Math.floor(Date.now() / 1000) * 1000 - 1000;
      while (next <= closed && sent < MAX_STREAMED) {
        const b = bar(next, 120 + sent++);
        server.bars.push(b); // REST answers the gap after a reconnect from the same bars
        void server.send([klineMessage('BTCUSDT', b)]);
        next += 1000;
      }
    }, 250);
    data = tempDataDir('tapedeck-e2e-live-');
    const config = data.writeConfig('live.json', {
      session_name: 'btc live',
      mode: 'live',
      data_streams: [{ type: 'bars', symbol: 'BTCUSDT', interval: '1s' }],
      session_data_config: { data_upkeep: { derived_intervals: ['1m'] } },
      feed: { type: 'binance', ws_url: server.wsUrl, rest_url: server.restUrl, history_minutes: 2 },
    });
    app = await openReadyApp(chromiumPath!, { data, config });
  }, 240_000);

  afterAll(async () => {
    if (streamer) clearInterval(streamer);
    await app?.close();
    await server?.stop();
    data?.remove();
  });

  it('runs on the wall clock, forms candles, and shows a drop as reconnecting until back', async () => {
    const { page } = app;
    const ui = controls(page);
    const badge = page.getByRole('status', { name: 'Feed status' });
    // Recording is offered for a live config with a feed: tick it before Start.
    await page.getByRole('checkbox', { name: 'Record' }).check();
    await ui.start.click();
    await waitFor(
      () => sessionState(page),
      (s) => s === 'running',
      'the live session to run',
    );
    await waitFor(
      () => badge.textContent(),
      (t) => /^connected/.test(t ?? ''),
      'connected',
    );
    expect(await badge.textContent()).toMatch(/REC$/);

    // The clock is the wall clock (a second or two behind it at most, for the frame cadence).
    const clock = await waitFor(
      () => clockUtc(page),
      (c) => c !== null,
      'the clock',
    );
    expect(Math.abs(clock! - Date.now())).toBeLessThan(10_000);
    // History and streamed bars reach session data; more keep coming.
    const bars = async () => count((await sessionRow(page, 'BTCUSDT')).Bars);
    const first = await waitFor(bars, (n) => n >= 120, 'the history in the session table');
    await waitFor(bars, (n) => n >= first + 2, 'streamed bars', 30_000);
    await screenshot(page, '13-live-connected');

    // An outage: the connection drops and the server refuses for a while.
    server.refusing = true;
    const back = server.nextClient();
    server.drop();
    await waitFor(
      () => badge.textContent(),
      (t) => /^reconnecting \(attempt \d+/.test(t ?? ''),
      'the badge to say reconnecting',
      30_000,
    );
    await screenshot(page, '13-live-reconnecting');
    server.refusing = false;
    await back;
    await waitFor(
      () => badge.textContent(),
      (t) => /^connected/.test(t ?? ''),
      'connected again',
    );
    const after = await bars();
    await waitFor(bars, (n) => n >= after + 2, 'bars after the reconnect', 30_000);
    expect(await badge.getAttribute('title')).toMatch(/1 reconnects/);
    // Stop ends the connection and rolls the recording into the store.
    await ui.stop.click();
    await waitFor(
      () => sessionState(page),
      (s) => s === 'stopped',
      'Stop',
    );
    // The UI says stopped at once; the recording's roll is logged when it is in the store.
    await waitFor(
      () => ui.log.textContent(),
      (t) => /Recorded into the store: BTCUSDT 1s \d+ rows/.test(t ?? ''),
      'the recording in the store',
    );
    const recorded = await locate(data.path);
    expect(recorded.map((f) => `${f.symbol} ${f.interval}`)).toContain('BTCUSDT 1s');
    expect(app.pageErrors).toEqual([]);
  });
});
