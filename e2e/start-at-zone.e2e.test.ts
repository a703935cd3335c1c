/**
 * Start at reads the session's zone (New York for the demo's XNYS stocks), not the computer's:
 * the browser runs in Tokyo, thirteen or fourteen hours away, and a start and a Go to typed as
 * New York times land there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app';
import { openDemoApp } from './support/demo-app';
import { screenshotOnFailure } from './support/failure-screenshot';
import type { DataDir } from './support/demo-fixture';
import { clockUtc, controls, legendBar, waitFor } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { startFresh } from './support/session-steps';

const chromiumPath = chromiumOrSkip('Start at time zone flow');

describe.skipIf(chromiumPath === null)('Start at in the session zone (browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;
  screenshotOnFailure(() => app?.page);

  beforeAll(async () => {
    ({ data, app } = await openDemoApp(chromiumPath!, { timezoneId: 'Asia/Tokyo' }));
  });

  afterAll(async () => {
    await app?.close();
    data?.remove();
  });

  it('12: a Tokyo browser starts and goes to New York times', async () => {
    const { page } = app;
    const ui = controls(page);
    const browserZone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(browserZone).toBe('Asia/Tokyo');
    const picker = page.getByLabel('Start at', { exact: true });
    // The picker names its zone.
    expect(await page.locator('#start-at-zone').textContent()).toBe('New York');

    await picker.fill('2024-03-04T10:31:00');
    await startFresh(page);
    // 10:31 New York is 15:31 UTC (Tokyo would have been 01:31 UTC).
    const started = await waitFor(
      () => clockUtc(page),
      (c) => c !== null && c > Date.parse('2024-03-04T15:30:00Z'),
      'the session paused at 10:31 New York',
    );
    expect(started).toBeLessThanOrEqual(Date.parse('2024-03-04T15:31:00Z'));
    expect(await ui.state.textContent()).toBe('paused');
    expect(await ui.clock.textContent()).toMatch(/10:3[01]:\d\d/);

    await picker.fill('2024-03-04T11:15:00');
    await page.getByRole('button', { name: 'Go to', exact: true }).click();
    const went = await waitFor(
      () => clockUtc(page),
      (c) => c !== null && c > Date.parse('2024-03-04T16:14:00Z'),
      'Go to 11:15 New York',
    );
    expect(went).toBeLessThanOrEqual(Date.parse('2024-03-04T16:15:00Z'));
    expect(await ui.clock.textContent()).toMatch(/11:1[45]:\d\d/);
    // The chart has the bars up to there (its legend shows the last one).
    await waitFor(() => legendBar(page), Boolean, 'the chart to show bars up to 11:15');
    await screenshot(page, '12-start-at-new-york-from-tokyo');
  });
});
