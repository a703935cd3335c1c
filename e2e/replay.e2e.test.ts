/**
 * The replay screen on the demo data set, in a real Chromium through the browser-mode host:
 * play at max, pause and step, the forming 5m candle, the quotes overlay, and a reload
 * mid-replay. Each flow leaves a screenshot in test-results/e2e/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app';
import { openDemoApp } from './support/demo-app';
import { screenshotOnFailure } from './support/failure-screenshot';
import type { DataDir } from './support/demo-fixture';
import {
  CANDLE_COLORS,
  chartPixels,
  clockUtc,
  controls,
  count,
  frames,
  legendBar,
  QUOTE_COLORS,
  sessionRow,
  waitFor,
  type LegendBar,
} from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import {
  ensureSession,
  pause,
  play,
  sessionState,
  setSpeed,
  startFresh,
  step,
} from './support/session-steps';

const chromiumPath = chromiumOrSkip('replay flows');
/** 09:30 New York on the demo's first day (EST): where the 5m buckets are anchored. */
const DEMO_OPEN_UTC = Date.UTC(2024, 2, 4, 14, 30);
const FIVE_MINUTES = 300_000;

/** `2024-03-04 09:30:01` in New York, computed here independently of the renderer. */
function newYorkWallClock(utcMs: number): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/New_York',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(utcMs)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

describe.skipIf(chromiumPath === null)('replay flows (demo data, browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;
  screenshotOnFailure(() => app?.page);

  beforeAll(async () => {
    ({ data, app } = await openDemoApp(chromiumPath!));
  });

  afterAll(async () => {
    if (app?.pageErrors.length) console.warn(`[e2e] page errors:\n${app.pageErrors.join('\n')}`);
    await app?.close();
    data?.remove();
  });

  it('1: starts the demo session, plays at max: candles appear and the clock advances', async () => {
    const { page } = app;
    await startFresh(page);
    const clock0 = await clockUtc(page);
    const bars0 = count((await sessionRow(page, 'AAPL')).Bars);
    await setSpeed(page, 'max');
    await play(page);
    const clock1 = await waitFor(
      () => clockUtc(page),
      (c) => c !== null && c > (clock0 ?? 0) + 60_000,
      'the clock to advance a minute',
    );
    const bars1 = await waitFor(
      async () => count((await sessionRow(page, 'AAPL')).Bars),
      (n) => n > (Number.isNaN(bars0) ? 0 : bars0) + 60,
      'AAPL bars to arrive in the session-data table',
    );
    expect(clock1).toBeGreaterThan(clock0 ?? 0);
    expect(bars1).toBeGreaterThan(60);
    const [up, down] = await waitFor(
      () => chartPixels(page, CANDLE_COLORS),
      ([u, d]) => u + d > 100,
      'candles to be drawn on the chart',
    );
    expect(up + down).toBeGreaterThan(100);
    expect(await legendBar(page)).not.toBeNull();
    // Beside the progress bar: days done of the demo's two, and the rate while it runs.
    const figures = await waitFor(
      () => page.getByRole('status', { name: 'Run progress' }).textContent(),
      (t) => t !== null && /^day [0-2]\/2( · .+\/s · .+ left)?$/.test(t),
      'the run figures beside the progress bar',
    );
    expect(figures).toMatch(/^day [0-2]\/2/);
    await screenshot(page, '1-play-max');
    // The toolbar at the desktop's widths, running: the controls keep one row and the seek bar
    // a usable width (it takes its own row rather than shrinking to nothing).
    for (const width of [1400, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await frames(page);
      const ui = controls(page);
      const replay = page.getByRole('group', { name: 'Replay controls' });
      const middles = await Promise.all(
        [replay, ui.clock, ui.layout, ui.importButton].map(async (l) => {
          const box = (await l.boundingBox())!;
          return box.y + box.height / 2;
        }),
      );
      expect(Math.max(...middles) - Math.min(...middles), `one row at ${width} px`).toBeLessThan(4);
      const bar = await page.getByRole('progressbar', { name: 'Session progress' }).boundingBox();
      expect(bar!.width, `seek bar width at ${width} px`).toBeGreaterThanOrEqual(48);
    }
    await screenshot(page, '1-toolbar-1280');
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('2: pause, then Step moves the clock exactly one base interval (1s)', async () => {
    const { page } = app;
    await startFresh(page);
    await setSpeed(page, '60×');
    await play(page);
    await waitFor(
      () => clockUtc(page),
      (c) => c !== null && c >= DEMO_OPEN_UTC + 30_000,
      'replay to run',
    );
    await pause(page);
    const paused = (await clockUtc(page))!;
    // The pause may fall between two bar closes (a quote's time): the first step completes the
    // bar in progress, the second is one whole base interval.
    const first = await step(page);
    expect(first % 1000).toBe(0);
    expect(first - paused).toBeGreaterThan(0);
    expect(first - paused).toBeLessThanOrEqual(1000);
    const second = await step(page);
    expect(second - first).toBe(1000);
    // The clock shows exchange time with the date; its UTC value is the hover text.
    expect(await controls(page).clock.textContent()).toBe(`${newYorkWallClock(second)} EST`);
    expect(await sessionState(page)).toBe('paused');
    await screenshot(page, '2-pause-step');
  });

  it('2b: the keyboard drives replay: → steps one bar, Space plays and pauses', async () => {
    const { page } = app;
    // Focus somewhere that uses neither key itself: the log pane (focusable, not a control).
    await controls(page).log.focus();
    const before = (await clockUtc(page))!;
    await page.keyboard.press('ArrowRight');
    const after = await waitFor(
      () => clockUtc(page),
      (c) => c !== null && c > before,
      '→ to step',
    );
    expect(after! - before).toBe(1000);
    await page.keyboard.press('Space');
    await waitFor(
      () => sessionState(page),
      (s) => s === 'running',
      'Space to play',
    );
    await page.keyboard.press('Space');
    await waitFor(
      () => sessionState(page),
      (s) => s === 'paused',
      'Space to pause',
    );
  });

  it('3: on the 5m tab the forming candle grows as base bars arrive', async () => {
    const { page } = app;
    const ui = controls(page);
    await ensureSession(page);
    await ui.intervalTab('5m').click();
    await expect.poll(() => ui.intervalTab('5m').getAttribute('aria-selected')).toBe('true');
    await frames(page, 3);
    const samples: Array<{ clock: number; bar: LegendBar }> = [];
    for (let i = 0; i < 12; i++) {
      const clock = await step(page);
      await frames(page, 2);
      const bar = await legendBar(page);
      expect(bar, 'the legend shows the forming 5m bar').not.toBeNull();
      samples.push({ clock, bar: bar! });
    }
    // Within one 5m bucket the forming bar keeps its open, and its range only widens.
    let changes = 0;
    for (let i = 1; i < samples.length; i++) {
      const bucket = (c: number): number => Math.floor((c - 1000 - DEMO_OPEN_UTC) / FIVE_MINUTES);
      if (bucket(samples[i].clock) !== bucket(samples[i - 1].clock)) continue;
      const [a, b] = [samples[i - 1].bar, samples[i].bar];
      expect(b.open).toBe(a.open);
      expect(b.high).toBeGreaterThanOrEqual(a.high);
      expect(b.low).toBeLessThanOrEqual(a.low);
      if (JSON.stringify(a) !== JSON.stringify(b)) changes += 1;
    }
    expect(changes, 'the forming candle changed as bars arrived').toBeGreaterThan(0);
    // And it keeps forming while replay plays on.
    const before = JSON.stringify(await legendBar(page));
    await setSpeed(page, '10×');
    await play(page);
    await waitFor(
      async () => JSON.stringify(await legendBar(page)),
      (t) => t !== before,
      'the forming candle to update during play',
    );
    await screenshot(page, '3-forming-5m');
    await pause(page);
  });

  it('4: the quotes overlay shows bid and ask for a quotes symbol', async () => {
    const { page } = app;
    const ui = controls(page);
    await ensureSession(page);
    await expect.poll(() => ui.symbol().inputValue()).toBe('AAPL');
    await ui.intervalTab('1s').click();
    const legend = page.getByLabel('Last quote', { exact: true });
    const text = await waitFor(
      async () => (await legend.textContent()) ?? '',
      (t) => /Bid [\d.]+ × \d+\s+Ask [\d.]+ × \d+/.test(t),
      'the last quote in the legend',
    );
    const [, bid, ask] = /Bid ([\d.]+) × \d+\s+Ask ([\d.]+)/.exec(text)!;
    expect(Number(bid)).toBeGreaterThan(0);
    expect(Number(ask)).toBeGreaterThanOrEqual(Number(bid));
    const [bidInk, askInk] = await waitFor(
      () => chartPixels(page, QUOTE_COLORS),
      ([b, a]) => b > 20 && a > 20,
      'bid and ask lines to be drawn',
    );
    expect(bidInk).toBeGreaterThan(20);
    expect(askInk).toBeGreaterThan(20);
    await screenshot(page, '4-quotes-overlay');
  });

  it('7: a reload mid-replay resyncs: the session goes on and the charts are restored', async () => {
    const { page } = app;
    await ensureSession(page);
    await setSpeed(page, '60×');
    await play(page);
    // While replaying, the renderer draws what arrives; it never asks for history again.
    const mark = app.calls.length;
    const playing = (await clockUtc(page))!;
    await waitFor(
      () => clockUtc(page),
      (c) => c !== null && c > playing + 60_000,
      'a minute of replay',
    );
    const history = (calls: string[]): string[] =>
      calls.filter((m) => m === 'getBars' || m === 'getQuotes');
    expect(history(app.calls.slice(mark))).toEqual([]);
    const before = await clockUtc(page);
    const barsBefore = count((await sessionRow(page, 'AAPL')).Bars);
    await page.reload();
    const ui = controls(page);
    const after = await waitFor(
      () => clockUtc(page),
      (c) => c !== null && c >= before!,
      'the clock to come back after the reload',
    );
    expect(after).toBeGreaterThanOrEqual(before!);
    expect(await sessionState(page)).toBe('running');
    await waitFor(
      () => clockUtc(page),
      (c) => c !== null && c > after!,
      'the clock to keep moving',
    );
    const barsAfter = await waitFor(
      async () => count((await sessionRow(page, 'AAPL')).Bars),
      (n) => n >= barsBefore,
      'the session-data table to come back',
    );
    expect(barsAfter).toBeGreaterThanOrEqual(barsBefore);
    await expect.poll(() => ui.symbol().inputValue()).toBe('AAPL');
    const [up, down] = await waitFor(
      () => chartPixels(page, CANDLE_COLORS),
      ([u, d]) => u + d > 100,
      'the chart history to be drawn again',
    );
    expect(up + down).toBeGreaterThan(100);
    expect(await legendBar(page)).not.toBeNull();
    // The reload resynced from the host: a snapshot, then the shown series' history once.
    expect(history(app.calls.slice(mark))).toContain('getBars');
    await screenshot(page, '7-reload-resync');
    await pause(page);
  });
});
