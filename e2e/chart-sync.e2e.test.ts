/**
 * Mixed 1s and 1m charts in the 4-chart layout: hovering the 1s chart moves the crosshair on the
 * 1m chart (its legend shows the hovered minute), and zooming the 1s chart leaves the 1m chart
 * with its own bar spacing, many candles, never one giant block. A 15m tab early in a session
 * spreads its few candles across the view. The time zone setting changes the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningApp } from './support/app';
import { openDemoApp } from './support/demo-app';
import { screenshotOnFailure } from './support/failure-screenshot';
import type { DataDir } from './support/demo-fixture';
import { CANDLE_COLORS, controls, frames, legendBar, waitFor } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { startFresh } from './support/session-steps';

const chromiumPath = chromiumOrSkip('chart sync flow');

/**
 * Runs of pixel columns holding candle colours in a chart's canvases: about one per candle;
 * `left` is where the first starts, as a fraction of the canvas width.
 */
async function candleRuns(
  page: Page,
  cell: number,
): Promise<{ runs: number; widest: number; left: number }> {
  return controls(page)
    .chart(cell)
    .evaluate((element, hexes) => {
      const targets = hexes.map((h) => [1, 3, 5].map((o) => parseInt(h.slice(o, o + 2), 16)));
      let best = { runs: 0, widest: 0, left: 1 };
      for (const canvas of Array.from(element.querySelectorAll('canvas'))) {
        const c = canvas as unknown as {
          width: number;
          height: number;
          getContext(k: '2d'): {
            getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
          } | null;
        };
        if (c.width === 0 || c.height === 0) continue;
        const ctx = c.getContext('2d');
        if (!ctx) continue;
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        const cols = new Array<boolean>(c.width).fill(false);
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] < 200) continue;
          const hit = targets.some(
            ([r, g, b]) =>
              Math.abs(data[i] - r) <= 12 &&
              Math.abs(data[i + 1] - g) <= 12 &&
              Math.abs(data[i + 2] - b) <= 12,
          );
          if (hit) cols[(i / 4) % c.width] = true;
        }
        let runs = 0;
        let widest = 0;
        let run = 0;
        for (const on of cols) {
          if (on) run += 1;
          else if (run > 0) {
            runs += 1;
            widest = Math.max(widest, run);
            run = 0;
          }
        }
        if (run > 0) runs += 1;
        const left = cols.indexOf(true) / c.width;
        if (runs > best.runs) best = { runs, widest: Math.max(widest, run), left };
      }
      return best;
    }, CANDLE_COLORS);
}

describe.skipIf(chromiumPath === null)('charts: sync, fit and zone (browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;
  screenshotOnFailure(() => app?.page);

  beforeAll(async () => {
    ({ data, app } = await openDemoApp(chromiumPath!));
  });

  afterAll(async () => {
    await app?.close();
    data?.remove();
  });

  it('9: a 15m tab with a few bars spreads them across the view', async () => {
    const { page } = app;
    const ui = controls(page);
    // Paused at a known time, an hour and a half in: six 15m bars (a replay at max speed can
    // run far past that before a Pause lands).
    await page.getByLabel('Start at', { exact: true }).fill('2024-03-04T11:00:00');
    await startFresh(page);
    await waitFor(
      () => ui.state.textContent(),
      (s) => s === 'paused',
      'the session paused',
    );
    await ui.intervalTab('15m').click();
    // The tab's bars are fetched from the host: on a loaded machine that takes more than a few
    // frames, so wait for them to be drawn, then judge the fit.
    const fitted = await waitFor(
      () => candleRuns(page, 1),
      (r) => r.runs >= 2,
      'the 15m candles drawn',
    );
    await screenshot(page, '9-few-bars-fitted');
    expect(fitted.runs).toBeGreaterThanOrEqual(2);
    // Readable candles: far wider than the 2-3 px they were squeezed to, and filling the view
    // from its left edge rather than pressed against the right one.
    expect(fitted.widest).toBeGreaterThanOrEqual(12);
    expect(fitted.left).toBeLessThan(0.15);
    // The same after the view changes width (a layout switch): refitted, not left behind.
    await ui.layout.selectOption('2');
    await expect.poll(() => ui.chart(2).count()).toBe(1);
    await frames(page, 6);
    const narrower = await candleRuns(page, 1);
    expect(narrower.runs).toBeGreaterThanOrEqual(2);
    expect(narrower.left).toBeLessThan(0.15);
    await ui.layout.selectOption('1');
    await expect.poll(() => ui.chart(2).count()).toBe(0);
    await frames(page, 6);
    expect((await candleRuns(page, 1)).left).toBeLessThan(0.15);
    await ui.intervalTab('1s').click();
  });

  it('8: 1s and 1m charts share the crosshair time, not the bar spacing', async () => {
    const { page } = app;
    const ui = controls(page);
    await ui.layout.selectOption('4');
    await expect.poll(() => ui.chart(4).count()).toBe(1);
    // Cell 2 shows the 1m symbol (RIVN) beside the 1s AAPL of cell 1.
    await ui.symbol(2).selectOption('RIVN');
    await frames(page, 6);
    const before = await candleRuns(page, 2);
    expect(before.runs).toBeGreaterThan(10);
    // Cell 4 shows AAPL 1s as cell 1 does: hovering a past bar in cell 1 shows the same bar
    // in cell 4's legend, where the crosshair followed.
    expect(await ui.symbol(4).inputValue()).toBe('AAPL');
    await waitFor(
      () => candleRuns(page, 4),
      (r) => r.runs > 10,
      "cell 4's candles drawn",
    );
    const unhovered = JSON.stringify(await legendBar(page, 4));
    const box = (await ui.chart(1).locator('.chart-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.4);
    await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.4);
    await waitFor(
      async () => JSON.stringify(await legendBar(page, 1)),
      (t) => t !== unhovered,
      'the hovered bar in the 1s chart',
    );
    await expect
      .poll(
        async () => {
          const [a, b] = [await legendBar(page, 1), await legendBar(page, 4)];
          return JSON.stringify(b) === JSON.stringify(a) ? 'same' : `${JSON.stringify([a, b])}`;
        },
        { timeout: 15_000 },
      )
      .toBe('same');
    // Zooming the 1s chart scrolls the 1m one to the same time, at its own spacing.
    await page.mouse.wheel(0, -400);
    await frames(page, 6);
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4);
    await frames(page, 4);
    const after = await candleRuns(page, 2);
    await screenshot(page, '8-four-charts-synced');
    expect(after.runs).toBeGreaterThan(10);
    await page.mouse.move(0, 0);
    await ui.layout.selectOption('1');
  });

  it('12: the time zone setting moves the clock to UTC and back', async () => {
    const { page } = app;
    const ui = controls(page);
    const zone = page.getByRole('combobox', { name: 'Time zone', exact: true });
    const exchange = (await ui.clock.textContent()) ?? '';
    expect(exchange).toMatch(/E[SD]T$/);
    await zone.selectOption('utc');
    await expect.poll(async () => (await ui.clock.textContent()) ?? '').toMatch(/UTC$/);
    const utc = (await ui.clock.textContent()) ?? '';
    const hour = (s: string): number => Number(/ (\d\d):/.exec(s)![1]);
    expect((hour(utc) - hour(exchange) + 24) % 24).toBeGreaterThanOrEqual(4);
    await screenshot(page, '12-zone-utc');
    await zone.selectOption('auto');
    await expect.poll(async () => (await ui.clock.textContent()) ?? '').toMatch(/E[SD]T$/);
  });
});
