/**
 * A bounded session on the chart: the demo's two days replayed with retain_days 0, so the first
 * day's base bars, and the derived bars made from them, leave memory while the second day runs.
 * A 5m chart asked for afterwards is made again from the store's base bars: both days, as many
 * bars as the session counted, drawn. The first day's gaps, packed when it was released, are
 * still listed in the Session data panel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app';
import { openReadyApp } from './support/demo-app';
import { demoDataWithConfig, type DataDir } from './support/demo-fixture';
import { screenshotOnFailure } from './support/failure-screenshot';
import {
  CANDLE_COLORS,
  chartPixels,
  controls,
  count,
  frames,
  sessionRow,
  waitFor,
} from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { replayToEnd } from './support/session-steps';

const chromiumPath = chromiumOrSkip('bounded session chart flow');

describe.skipIf(chromiumPath === null)('released days on the chart (browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;
  screenshotOnFailure(() => app?.page);

  beforeAll(async () => {
    data = demoDataWithConfig((config) => {
      (config.session_data_config as Record<string, unknown>).retain_days = 0;
    });
    app = await openReadyApp(chromiumPath!, { data });
  });

  afterAll(async () => {
    if (app?.pageErrors.length) console.warn(`[e2e] page errors:\n${app.pageErrors.join('\n')}`);
    await app?.close();
    data?.remove();
  });

  it('13: after the replay, the 5m chart shows the released first day, made again from the store', async () => {
    const { page } = app;
    await replayToEnd(page, 'the two demo days replayed with retain_days 0');
    const mark = app.replies.length;
    await controls(page).intervalTab('5m').click();
    const reply = await waitFor(
      async () =>
        app.replies
          .slice(mark)
          .find(
            (r) =>
              r.method === 'getBars' &&
              (r.params as { symbol?: string; interval?: string }).interval === '5m' &&
              (r.params as { symbol?: string }).symbol === 'AAPL',
          ),
      Boolean,
      "AAPL's 5m series",
    );
    const { time } = reply!.result as { time: number[] };
    const days = [...new Set(time.map((t) => new Date(t).toISOString().slice(0, 10)))];
    expect(days).toEqual(['2024-03-04', '2024-03-05']);
    // Two full XNYS days: 78 five-minute buckets each, in time order.
    expect(time.length).toBe(156);
    expect(time.every((t, i) => i === 0 || t > time[i - 1]!)).toBe(true);
    // The session-data table counts the released bars with the held ones, and says how many
    // base bars are in memory: the first day's were really released.
    const row = await sessionRow(page, 'AAPL');
    expect(count(row['5m bars'])).toBe(time.length);
    const held = await controls(page)
      .sessionTable.locator('tbody tr', { has: page.locator('th', { hasText: /^AAPL$/ }) })
      .locator('td')
      .nth(1)
      .getAttribute('title');
    const match = /^([\d,]+) in memory; ([\d,]+) of earlier days released/.exec(held ?? '');
    expect(match, `the Bars cell's title: ${held}`).not.toBeNull();
    const [inMemory, released] = [count(match![1]), count(match![2])];
    expect(inMemory + released).toBe(count(row.Bars));
    // 1s bars: the second day (23,400 seconds, less its gaps) is held, the first released.
    expect(inMemory).toBeGreaterThan(20_000);
    expect(inMemory).toBeLessThanOrEqual(23_400);
    expect(released).toBeGreaterThan(20_000);
    // The first day's gaps were packed with it (the 2-minute AAPL outage, RIVN's 3 missing
    // minutes); the panel still lists them, read from the packed records.
    const listed = async (symbol: string) =>
      (await page.getByRole('list', { name: `${symbol} largest gaps` }).textContent()) ?? '';
    expect(await listed('AAPL')).toMatch(/AAPL 2024-03-04 10:15:00–10:17:00/);
    expect(await listed('RIVN')).toMatch(/RIVN 2024-03-04 11:41:00–11:44:00/);
    const [up, down] = await waitFor(
      () => chartPixels(page, CANDLE_COLORS),
      ([u, d]) => u + d > 100,
      'the 5m candles to be drawn',
    );
    expect(up + down).toBeGreaterThan(100);
    await frames(page, 2);
    await screenshot(page, '13-bounded-5m-released-day');
    await page.getByRole('list', { name: 'AAPL largest gaps' }).scrollIntoViewIfNeeded();
    await screenshot(page, '13b-bounded-packed-gaps-listed');
  });

  it('13c: the quality strip covers both days, the released one included, up to the end of the replay', async () => {
    const { page } = app;
    // Both days' 390 minutes each; the first day's 2-minute AAPL outage is missing.
    const label = await waitFor(
      () =>
        page.getByRole('img', { name: /^AAPL: \d+ minutes present/ }).getAttribute('aria-label'),
      (l) => {
        const m = /^AAPL: (\d+) minutes present, (\d+) missing, (\d+) refilled, (\d+) partial/.exec(
          l ?? '',
        );
        return m !== null && m.slice(1).reduce((a, b) => a + Number(b), 0) === 780;
      },
      "AAPL's strip of both days",
    );
    expect(label).toMatch(/ 2 missing, /);
    // Each reply starts at the cells the app said it holds as final (or at 0, whole); the
    // last one, once the replay ended, reaches the end of the second day.
    const strips = app.replies
      .filter(
        (r) => r.method === 'qualityStrip' && (r.params as { symbol: string }).symbol === 'AAPL',
      )
      .map((r) => ({
        known: (r.params as { known?: number }).known ?? 0,
        ...(r.result as { offset: number; final: number; minutes: number[] }),
      }));
    expect(strips.length).toBeGreaterThan(1);
    expect(strips.every((s) => s.offset === s.known || s.offset === 0)).toBe(true);
    const last = strips.at(-1)!;
    expect(last.offset + last.minutes.length).toBe(780);
    await page.getByRole('heading', { name: 'Data quality by minute' }).scrollIntoViewIfNeeded();
    await screenshot(page, '13c-bounded-quality-strip');
  });
});
