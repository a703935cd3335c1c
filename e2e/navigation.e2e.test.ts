/**
 * Replay navigation on the demo data: step back with ← restores the exact earlier bar (clock
 * and legend as they were), Shift+← and Shift+→ go a minute back and forward, a click on the
 * progress bar jumps ahead, and Home goes back to the session start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app';
import { openDemoApp } from './support/demo-app';
import { screenshotOnFailure } from './support/failure-screenshot';
import type { DataDir } from './support/demo-fixture';
import { clockUtc, controls, frames, legendBar, waitFor } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { startFresh, step } from './support/session-steps';

const chromiumPath = chromiumOrSkip('replay navigation flow');

describe.skipIf(chromiumPath === null)('replay navigation (browser mode)', () => {
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

  it('14: ← steps back to the exact earlier state; Shift+←/→ and the progress bar move in time', async () => {
    const { page } = app;
    const ui = controls(page);
    // Paused at a known time (a replay at max speed can run to the end before a Pause lands).
    await page.getByLabel('Start at', { exact: true }).fill('2024-03-04T10:31:00');
    await startFresh(page);
    await waitFor(
      () => clockUtc(page),
      (c) => c !== null && c >= Date.parse('2024-03-04T15:30:00Z'),
      'the session paused at 10:31 New York',
    );
    expect(await ui.state.textContent()).toBe('paused');
    // Three steps forward, remembering what each showed.
    const seen: Array<{ clock: number; legend: string }> = [];
    for (let i = 0; i < 3; i++) {
      const clock = await step(page);
      await frames(page, 3);
      seen.push({ clock, legend: JSON.stringify(await legendBar(page)) });
    }
    await page.locator('main').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('ArrowLeft');
    await waitFor(
      () => clockUtc(page),
      (c) => c === seen[1]!.clock,
      'one bar back',
    );
    await waitFor(
      async () => JSON.stringify(await legendBar(page)),
      (t) => t === seen[1]!.legend,
      'the earlier bar restored in the legend',
    );
    expect(await ui.state.textContent()).toBe('paused');
    await screenshot(page, '14-step-back');

    const here = (await clockUtc(page))!;
    await page.keyboard.press('Shift+ArrowRight');
    await waitFor(
      () => clockUtc(page),
      (c) => c !== null && c >= here + 59_000,
      'a minute on',
    );
    await page.keyboard.press('Shift+ArrowLeft');
    await waitFor(
      () => clockUtc(page),
      (c) => c !== null && Math.abs(c - here) <= 1000,
      'a minute back',
    );

    // A click at 25% of the progress bar: back to the first day's close (restored).
    const bar = (await page.getByLabel('Session progress').boundingBox())!;
    await page.mouse.click(bar.x + bar.width * 0.25, bar.y + bar.height / 2);
    await waitFor(
      () => clockUtc(page),
      (c) =>
        c !== null &&
        c <= Date.parse('2024-03-04T21:00:00Z') &&
        c > Date.parse('2024-03-04T20:00:00Z'),
      'the jump back to the first day’s close',
      60_000,
    );
    await frames(page, 4);
    // The quotes are reloaded with the rest.
    await waitFor(
      async () => (await ui.chart().getByLabel('Last quote').textContent()) ?? '',
      (t) => t.startsWith('Bid '),
      'the quote legend after the jump',
    );
    await screenshot(page, '14-progress-jump');
    await page.keyboard.press('Home');
    await waitFor(
      () => clockUtc(page),
      (c) => c === null || c < Date.parse('2024-03-04T14:31:00Z'),
      'the session start',
      60_000,
    );
  });
});
