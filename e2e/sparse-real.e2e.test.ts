/**
 * Three days of real, sparse SPY 1s bars and quotes (LEAN, imported through the importer into a
 * throwaway data directory): the gaps are summarised, not listed by the thousand; the Log gets
 * at most a line per upkeep cycle; and at 10× Play and Pause still answer. Skipped, saying why,
 * where the shared real data is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app';
import { openReadyApp } from './support/demo-app';
import { tempDataDir, type DataDir } from './support/demo-fixture';
import { screenshotOnFailure } from './support/failure-screenshot';
import { answerMs, importSpySeconds, SPY_SECONDS, spySecondsPresent } from './support/real-spy';
import { controls, waitFor } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { setSpeed, startFresh } from './support/session-steps';

const chromiumPath = chromiumOrSkip('sparse real 1s data flow');
const present = spySecondsPresent();
const reason = present ? '' : ` (skipped: ${SPY_SECONDS} is absent)`;

describe.skipIf(chromiumPath === null || !present)(
  `sparse real SPY 1s data (browser mode)${reason}`,
  () => {
    let data: DataDir;
    let app: RunningApp;
    screenshotOnFailure(() => app?.page);

    beforeAll(async () => {
      data = tempDataDir('tapedeck-e2e-spy-');
      const config = await importSpySeconds(data);
      app = await openReadyApp(chromiumPath!, { data, config });
    }, 240_000);

    afterAll(async () => {
      await app?.close();
      data?.remove();
    });

    it('2: gaps are summarised and the Log stays short while the UI answers at 10×', async () => {
      const { page } = app;
      const ui = controls(page);
      // Most of a morning replayed flat out, then paused there (a Pause after a replay at max
      // speed could land after the end): thousands of no-trade seconds have been seen.
      await page.getByLabel('Start at', { exact: true }).fill('2013-10-07T11:30:00');
      await startFresh(page);
      const summary = page.locator('.gap-summary').first();
      await waitFor(
        async () => (await summary.count()) > 0 && ((await summary.textContent()) ?? ''),
        (t) =>
          typeof t === 'string' &&
          /^SPY 1s: ([\d,]+) gaps/.exec(t) !== null &&
          Number(/^SPY 1s: ([\d,]+) gaps/.exec(t)![1].replace(/,/g, '')) >= 200,
        'a few hundred gaps',
        120_000,
      );
      await setSpeed(page, '10×');
      const answers: number[] = [];
      for (let i = 0; i < 3; i++) {
        answers.push(await answerMs(page, 'Play', 'running'));
        answers.push(await answerMs(page, 'Pause', 'paused'));
      }
      console.log(
        `[e2e] sparse SPY 1s at 10x: Play/Pause answered in ${answers.map((a) => a.toFixed(0)).join(', ')} ms`,
      );
      const text = (await summary.textContent()) ?? '';
      expect(text).toMatch(/bars missing/);
      expect(text).toMatch(/most are no-trade seconds/);
      // The largest few are listed, never thousands of rows.
      const listed = await page
        .getByRole('list', { name: 'SPY largest gaps' })
        .getByRole('button')
        .count();
      expect(listed).toBeGreaterThan(0);
      expect(listed).toBeLessThanOrEqual(5);
      // The Log: the session's few lines and at most one per upkeep cycle, not one per gap.
      const logLines = await ui.log.locator('li').count();
      const gaps = Number(/^SPY 1s: ([\d,]+) gaps/.exec(text)![1].replace(/,/g, ''));
      // Cycles run once a minute of backtest time: 09:30-11:30 is 120 of them.
      expect(logLines).toBeLessThanOrEqual(120 + 20);
      expect(logLines).toBeLessThan(gaps / 5);
      await screenshot(page, '2-sparse-spy-gap-summary');
    });
  },
);
