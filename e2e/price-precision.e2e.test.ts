/**
 * Prices shown with the decimals of their data: EUR/USD 1m bars and quotes quoted in tenths
 * of a pip (1.08123) read with five decimals in the legend, the quote line and the Session
 * data panel (and on the price axis: see the screenshot), next to a stock in cents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app';
import { openReadyApp } from './support/demo-app';
import { demoDataDir, type DataDir } from './support/demo-fixture';
import { screenshotOnFailure } from './support/failure-screenshot';
import { controls, sessionRow } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { replayToEnd } from './support/session-steps';
import { writeStream } from '../src/main/storage/synthetic/synthetic-day';

const chromiumPath = chromiumOrSkip('price precision flow');
const DATE = '2024-03-04';
const START = Date.parse('2024-03-04T10:00:00Z');
const MINUTES = 120;

/** Rounded to a tenth of a pip, as an FX feed quotes EUR/USD. */
const pip = (x: number): number => Math.round(x * 100_000) / 100_000;

function bars(): { timestamp: Float64Array; values: Float64Array[] } {
  const t = new Float64Array(MINUTES);
  const cols = [0, 1, 2, 3, 4].map(() => new Float64Array(MINUTES));
  let close = 1.0812;
  for (let i = 0; i < MINUTES; i++) {
    const open = close;
    close = pip(open + Math.sin(i / 7) * 0.00031);
    t[i] = START + i * 60_000;
    cols[0]![i] = open;
    cols[1]![i] = pip(Math.max(open, close) + 0.00007);
    cols[2]![i] = pip(Math.min(open, close) - 0.00006);
    cols[3]![i] = close;
    cols[4]![i] = 1_000 + i;
  }
  return { timestamp: t, values: cols };
}

function quotes(): { timestamp: Float64Array; values: Float64Array[] } {
  const n = MINUTES * 6;
  const t = new Float64Array(n);
  const bid = new Float64Array(n);
  const ask = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = START + i * 10_000;
    bid[i] = pip(1.0812 + Math.sin(i / 40) * 0.0011);
    ask[i] = pip(bid[i]! + 0.00012);
  }
  return { timestamp: t, values: [bid, ask, new Float64Array(n), new Float64Array(n)] };
}

describe.skipIf(chromiumPath === null)('price precision from the data (browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;
  screenshotOnFailure(() => app?.page);

  beforeAll(async () => {
    data = demoDataDir();
    const key = { symbol: 'EURUSD', date: DATE } as const;
    writeStream(data.path, { ...key, type: 'bars', interval: '1m' }, bars(), undefined);
    writeStream(data.path, { ...key, type: 'quotes' }, quotes(), undefined);
    const config = data.writeConfig('fx.json', {
      session_name: 'fx',
      calendar: '24x7',
      data_streams: [
        { type: 'bars', symbol: 'EURUSD', interval: '1m' },
        { type: 'quotes', symbol: 'EURUSD' },
      ],
      backtest_config: { start_date: DATE, end_date: DATE, speed_multiplier: 0 },
    });
    app = await openReadyApp(chromiumPath!, { data, config });
  });

  afterAll(async () => {
    await app?.close();
    data?.remove();
  });

  it('EUR/USD reads with five decimals in the legend, quote line and panel', async () => {
    const { page } = app;
    const ui = controls(page);
    await replayToEnd(page, 'the session to replay');
    const five = /^\d\.\d{5}$/;
    const legend = (await ui.chart().locator('.legend-ohlc').textContent()) ?? '';
    const prices = /O (\S+)\s+H (\S+)\s+L (\S+)\s+C (\S+)/.exec(legend);
    expect(prices, legend).not.toBeNull();
    for (const p of prices!.slice(1)) expect(p).toMatch(five);
    const quote = (await ui.chart().getByLabel('Last quote').textContent()) ?? '';
    expect(quote).toMatch(/^Bid \d\.\d{5} × \d+\s+Ask \d\.\d{5} × \d+$/);
    const row = await sessionRow(page, 'EURUSD');
    for (const column of ['Bid', 'Ask', 'Last']) expect(row[column], column).toMatch(five);
    await screenshot(page, 'precision-eurusd-five-decimals');
  });
});
