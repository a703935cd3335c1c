/**
 * Symbols without stored bars, on real-shaped 24x7 data written in the test: a crypto symbol
 * with trades only, charted with bars built from its ticks (`bars_from_ticks`); another with
 * trades only and no bars, charted as its trade prints; and an FX symbol with quotes only,
 * charted as bid, ask and mid lines. All show a Last price, and the clock is in UTC because
 * every symbol trades around the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app';
import { openReadyApp } from './support/demo-app';
import { demoDataDir, type DataDir } from './support/demo-fixture';
import { screenshotOnFailure } from './support/failure-screenshot';
import {
  CANDLE_COLORS,
  MID_COLORS,
  PRINT_COLORS,
  QUOTE_COLORS,
  chartPixels,
  controls,
  legendBar,
  sessionRow,
  waitFor,
} from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { replayToEnd } from './support/session-steps';
import { writeStream } from '../src/main/storage/synthetic/synthetic-day';

const chromiumPath = chromiumOrSkip('ticks-only and quotes-only flow');
const DATE = '2024-03-04';
const START = Date.parse('2024-03-04T10:00:00Z');

/** An hour of bursty trades: quiet seconds, several trades in one millisecond. */
function trades(base = 62_000): { timestamp: Float64Array; values: Float64Array[] } {
  const t: number[] = [];
  const p: number[] = [];
  const s: number[] = [];
  let now = START;
  let price = base;
  let x = 3;
  const rand = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
  while (now < START + 3_600_000) {
    now += rand() < 0.3 ? 0 : Math.floor(rand() * 3000);
    price += (rand() - 0.5) * 20;
    t.push(now);
    p.push(Math.round(price * 100) / 100);
    s.push(Math.round(rand() * 1000) / 1000);
  }
  return { timestamp: Float64Array.from(t), values: [Float64Array.from(p), Float64Array.from(s)] };
}

function quotes(): { timestamp: Float64Array; values: Float64Array[] } {
  const n = 7200;
  const t = new Float64Array(n);
  const bid = new Float64Array(n);
  const ask = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = START + i * 500;
    bid[i] = 1.085 + Math.sin(i / 300) * 0.002;
    ask[i] = bid[i] + 0.0001;
  }
  return { timestamp: t, values: [bid, ask, new Float64Array(n), new Float64Array(n)] };
}

describe.skipIf(chromiumPath === null)('ticks-only and quotes-only symbols (browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;
  let ethTape: ReturnType<typeof trades>;
  screenshotOnFailure(() => app?.page);

  beforeAll(async () => {
    data = demoDataDir();
    writeStream(data.path, { symbol: 'BTCUSD', type: 'ticks', date: DATE }, trades(), undefined);
    writeStream(data.path, { symbol: 'EURUSD', type: 'quotes', date: DATE }, quotes(), undefined);
    ethTape = trades(3_400);
    writeStream(data.path, { symbol: 'ETHUSD', type: 'ticks', date: DATE }, ethTape, undefined);
    const config = data.writeConfig('crypto.json', {
      session_name: 'crypto-fx',
      calendar: '24x7',
      data_streams: [
        { type: 'ticks', symbol: 'BTCUSD', bars_from_ticks: '1s' },
        { type: 'quotes', symbol: 'EURUSD' },
        { type: 'ticks', symbol: 'ETHUSD' },
      ],
      backtest_config: { start_date: DATE, end_date: DATE, speed_multiplier: 0 },
    });
    app = await openReadyApp(chromiumPath!, { data, config });
  });

  afterAll(async () => {
    await app?.close();
    data?.remove();
  });

  it('3: trades become 1s candles, quotes become bid/ask lines, both with a Last', async () => {
    const { page } = app;
    const ui = controls(page);
    await replayToEnd(page, 'the hour to replay');
    // The clock is in UTC: every symbol is on the 24x7 calendar.
    expect((await ui.clock.textContent()) ?? '').toMatch(/^2024-03-04 1\d:\d\d:\d\d UTC$/);
    expect(await ui.symbol().inputValue()).toBe('BTCUSD');
    expect(await legendBar(page)).not.toBeNull();
    const [up, down] = await chartPixels(page, CANDLE_COLORS);
    expect(up + down).toBeGreaterThan(200);
    const btc = await sessionRow(page, 'BTCUSD');
    expect(btc.Interval).toBe('1s');
    expect(btc.Last).toMatch(/^\d/);
    // Quiet seconds are gaps; the panel and the Log read them in UTC, as the clock does
    // (trading ran 10:00-11:00 UTC, 05:00-06:00 in New York).
    const gapRows = await page.getByRole('list', { name: 'BTCUSD largest gaps' }).textContent();
    expect(gapRows ?? '').toMatch(/BTCUSD 2024-03-04 10:\d\d:\d\d–10:\d\d:\d\d/);
    const logText = (await page.getByRole('log').textContent()) ?? '';
    expect(logText).toMatch(/BTCUSD 2024-03-04 10:\d\d:\d\d–10:\d\d:\d\d UTC/);
    expect(logText).not.toMatch(/New York/);
    await screenshot(page, '3-ticks-only-bars-from-ticks');

    await ui.symbol().selectOption('EURUSD');
    await waitFor(
      async () => (await chartPixels(page, QUOTE_COLORS)).reduce((a, b) => a + b, 0),
      (n) => n > 200,
      'bid and ask lines',
    );
    // The chart paints in its own animation frame after the legend's text is set, and the
    // first frame after the switch may still hold the old interval's (empty) bars: wait for
    // the mid line to be painted rather than read the canvas once.
    await waitFor(
      async () => (await chartPixels(page, MID_COLORS))[0],
      (n) => n > 100,
      'the mid line',
    );
    expect(await ui.chart().locator('.legend-ohlc').textContent()).toBe(
      'quotes only: bid, ask and mid',
    );
    // The legend follows the chart's next frame; it must come to name the last quote.
    await waitFor(
      () => ui.chart().getByLabel('Last quote').textContent(),
      (t) => /^Bid 1\.08/.test(t ?? ''),
      'the last quote in the legend',
      10_000,
    );
    expect((await sessionRow(page, 'EURUSD')).Last).toMatch(/^1\.0[89]/);
    await screenshot(page, '3-quotes-only-bid-ask');

    // Trades and no bar stream: the prints themselves, as a line, with the last one in the
    // legend and the panel.
    await ui.symbol().selectOption('ETHUSD');
    await waitFor(
      async () => (await chartPixels(page, PRINT_COLORS))[0],
      (n) => n > 200,
      'the trade-print line',
    );
    const n = ethTape.timestamp.length;
    const lastPrice = ethTape.values[0]![n - 1]!;
    const lastSize = ethTape.values[1]![n - 1]!;
    // The tape is in cents: its prices read with two decimals (price-precision.ts).
    expect(await ui.chart().locator('.legend-ohlc').textContent()).toBe(
      `Last ${lastPrice.toFixed(2)} × ${lastSize}`,
    );
    expect(Number((await sessionRow(page, 'ETHUSD')).Last)).toBeCloseTo(lastPrice, 2);
    await screenshot(page, '3-ticks-only-prints');
  });
});
