/**
 * Visual backtesting in a real Chromium through the browser-mode host: the demo strategy
 * plays and its fills appear as rows and markers while the equity curve moves; manual Buy
 * then Flatten while paused; the HTML report opens and shows the equity curve.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from 'playwright-core';
import type { RunningApp } from './support/app';
import { openReadyApp } from './support/demo-app';
import { demoDataWithStrategy, type DataDir } from './support/demo-fixture';
import { screenshotOnFailure } from './support/failure-screenshot';
import { controls, waitFor } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot, SCREENSHOT_DIR } from './support/screenshots';
import { pause, play, sessionState, setSpeed, startFresh, step } from './support/session-steps';
import { cliRunner } from '../test/cli-runner';

const chromiumPath = chromiumOrSkip('trading flows');

describe.skipIf(chromiumPath === null)('trading flows (demo data, browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;

  beforeAll(async () => {
    data = demoDataWithStrategy({ file: 'ema-crossover.ts', params: { fast: 5, slow: 13 } });
    app = await openReadyApp(chromiumPath!, { data });
  }, 180_000);

  screenshotOnFailure(() => app?.page);

  afterAll(async () => {
    await app?.close();
    data?.remove();
  });

  const fillRows = () =>
    app.page.getByRole('table', { name: /Orders & fills/ }).locator('tbody tr');

  it('plays the demo strategy: fills as rows and markers, the equity curve moves', async () => {
    {
      const page = app.page;
      await startFresh(page);
      await waitFor(
        () => page.getByRole('heading', { name: /Trading/ }).textContent(),
        (t) => (t ?? '').includes('ema-crossover.ts'),
        'the strategy name',
      );
      await setSpeed(page, 'max');
      await play(page);
      await waitFor(
        () => fillRows().count(),
        (n) => n >= 3,
        'fills to appear',
      );
      await pause(page).catch(() => undefined);
      const firstRow = (await fillRows().first().textContent()) ?? '';
      expect(firstRow).toMatch(/(buy|sell)\d+/);
      const equity = page.getByRole('img', { name: 'Equity curve and drawdown' });
      await expect(equity.locator('path.equity-line').getAttribute('d')).resolves.toMatch(/L/);
      // Click the oldest fill listed: the chart showing its symbol jumps there and marks the
      // fills around it (the canvas says so in words for screen readers, from the markers' own
      // layout, with the times of the first and last fill it marks).
      const oldest = fillRows().last();
      const [time, symbol] = await oldest.locator('td, th').allTextContents();
      await oldest.click();
      const chart = page.getByRole('region', { name: new RegExp(`^Chart( \\d)?: ${symbol}$`) });
      const inView = chart.locator('[aria-label^="Fills in view"]');
      const marked = /^[1-9]\d* fills in view: \d+ buys, \d+ sells, from (.+) to (.+)$/;
      await waitFor(
        () => inView.textContent(),
        (t) => {
          const m = marked.exec(t ?? '');
          // Same format both sides (exchange date and time), so strings compare as times.
          return m !== null && m[1]! <= time! && time! <= m[2]!;
        },
        `the chart to mark fills around ${symbol} ${time}`,
      );
      await screenshot(page, 'trading-strategy');
    }
  }, 240_000);

  it('buys by hand while paused and flattens', async () => {
    {
      const page = app.page;
      if ((await sessionState(page)) !== 'paused') {
        await startFresh(page);
        // A few bars in, so AAPL has a quote to fill against.
        for (let i = 0; i < 3; i++) await step(page);
      }
      await page.getByLabel('Trade symbol').selectOption('AAPL');
      await page.getByLabel('Quantity').fill('25');
      await page.getByRole('button', { name: 'Buy', exact: true }).click();
      // The list shows the latest fills first (at most 50), so look at its top row.
      await waitFor(
        async () => (await fillRows().first().textContent()) ?? '',
        (t) => /AAPLbuy25.*manual$/.test(t),
        'the manual buy to fill',
      );
      const positions = page.getByRole('table', { name: 'Positions' });
      await waitFor(
        () => positions.textContent(),
        (t) => (t ?? '').includes('AAPL'),
        'the position',
      );
      await page.getByRole('button', { name: 'Flatten', exact: true }).click();
      await waitFor(
        async () => (await fillRows().first().textContent()) ?? '',
        (t) => /AAPLsell\d+.*manual$/.test(t),
        'the flatten to fill',
      );
      await screenshot(page, 'trading-manual');
    }
  }, 120_000);

  it('picks a strategy in the config editor and builds its params form', async () => {
    const page = app.page;
    const picker = page.getByLabel('Strategy file', { exact: true });
    await waitFor(
      () => picker.locator('option').allTextContents(),
      (o) => o.includes('opening-range-breakout.ts'),
      'the strategy list',
    );
    await picker.selectOption('opening-range-breakout.ts');
    const range = page.getByLabel('Opening range (minutes)', { exact: true });
    await waitFor(
      () => range.getAttribute('placeholder'),
      (p) => p === '15',
      'the params form',
    );
    await range.fill('30');
    const raw = await controls(page).rawJson.inputValue();
    expect(JSON.parse(raw).strategy).toEqual({
      file: 'opening-range-breakout.ts',
      params: { range_minutes: 30 },
    });
    await page.getByLabel('Strategy file', { exact: true }).scrollIntoViewIfNeeded();
    await screenshot(page, 'trading-config');
  }, 60_000);

  it('writes an HTML report that opens in Chromium and shows the equity curve', async () => {
    const report = join(SCREENSHOT_DIR, 'trading-report.html');
    const config = join(data.path, 'configs', 'demo.json');
    const result = await cliRunner('backtest')([
      '--config',
      config,
      '--data',
      data.path,
      '--speed',
      '0',
      '--report',
      report,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const browser = await chromium.launch({
      executablePath: chromiumPath!,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(`file://${report}`);
      const path = await page.locator('#equity-curve path.line').getAttribute('d');
      expect(path?.split('L').length).toBeGreaterThan(100);
      await expect(page.locator('#stats').textContent()).resolves.toContain('Net P&L');
      expect(requests).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'trading-report.png') });
    } finally {
      await browser.close();
    }
  }, 180_000);
});
