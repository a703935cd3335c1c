/**
 * Three days of real, sparse SPY 1s bars and quotes (LEAN, imported through the importer into a
 * throwaway data directory): the gaps are summarised, not listed by the thousand; the Log gets
 * at most a line per upkeep cycle; and at 10× Play and Pause still answer. A strategy trading
 * on those bars, filled against the real quotes, gets its fills marked on the gappy chart.
 * Skipped, saying why, where the shared real data is absent.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Flips between long 100 and flat every 20th bar SPY trades in (bars, not seconds: gaps skip). */
const FLIP_STRATEGY = `let n = 0;
export default {
  onBar(bar, ctx) {
    if (bar.interval !== '1s' || ++n % 20 !== 0) return;
    const position = ctx.position('SPY');
    if (position > 0) ctx.sell('SPY', position);
    else ctx.buy('SPY', 100);
  },
};
`;
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
      mkdirSync(join(data.path, 'strategies'), { recursive: true });
      writeFileSync(join(data.path, 'strategies', 'spy-flip.js'), FLIP_STRATEGY);
      data.writeConfig('spy-trading.json', {
        ...JSON.parse(readFileSync(config, 'utf8')),
        strategy: { file: 'spy-flip.js' },
      });
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

    it('2b: a strategy on the sparse bars has its fills marked on the chart', async () => {
      const { page } = app;
      await page
        .getByRole('combobox', { name: 'Config file', exact: true })
        .selectOption('spy-trading.json');
      await page.getByRole('button', { name: 'Load', exact: true }).click();
      await page.getByLabel('Start at', { exact: true }).fill('2013-10-07T10:05:00');
      await startFresh(page);
      const fillCount = page.getByRole('heading', { name: /Orders & fills/ });
      await waitFor(
        async () => Number(((await fillCount.textContent()) ?? '').replace(/\D+/g, '')),
        (n) => n >= 20,
        'the strategy to fill',
        120_000,
      );
      // The chart shows the minutes before 10:05, with their no-trade seconds, and marks the
      // fills among them: buys and sells alternate, so both sides are there.
      const inView = page.getByLabel('Fills in view', { exact: true });
      await waitFor(
        () => inView.textContent(),
        (t) => /^\d+ fills in view: [1-9]\d* buys, [1-9]\d* sells, from /.test(t ?? ''),
        'buy and sell markers in view',
      );
      const firstRow = page
        .getByRole('table', { name: /Orders & fills/ })
        .locator('tbody tr')
        .first();
      expect(await firstRow.textContent()).toMatch(/SPY(buy|sell)100/);
      await screenshot(page, '2b-sparse-spy-fills');
    });
  },
);
