/**
 * Three days of real, sparse SPY 1s bars and quotes (LEAN, imported through the importer into a
 * throwaway data directory): the gaps are summarised, not listed by the thousand; the Log gets
 * at most a line per upkeep cycle; and at 10× Play and Pause still answer. Skipped, saying why,
 * where the shared real data is absent.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type RunningApp } from './support/app';
import { REPO_ROOT } from './support/build';
import { tempDataDir, type DataDir } from './support/demo-fixture';
import { screenshotOnFailure } from './support/failure-screenshot';
import type { PageGlobals } from './support/page-globals';
import { controls, waitFor } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { pause, play, setSpeed, startFresh } from './support/session-steps';

const run = promisify(execFile);
const chromiumPath = chromiumOrSkip('sparse real 1s data flow');
const SPY = join(REPO_ROOT, '..', 'shared', 'data', 'real', 'lean-spy-second');
const present = existsSync(join(SPY, 'SOURCE.txt'));
const reason = present ? '' : ` (skipped: ${SPY} is absent)`;

/** Milliseconds from a click to the state badge showing `state`, timed in the page. */
async function answerMs(page: Page, button: 'Play' | 'Pause', state: string): Promise<number> {
  return page.evaluate(
    ([name, want]) =>
      new Promise<number>((resolve) => {
        const g = globalThis as unknown as PageGlobals;
        const badge = g.document.querySelector('[aria-label="Session state"]')!;
        const target = Array.from(g.document.body.querySelectorAll('button')).find(
          (b) => b.textContent?.trim() === name,
        )! as unknown as { click(): void };
        const t0 = g.performance.now();
        const check = (): void => {
          if (badge.textContent?.trim() === want) resolve(g.performance.now() - t0);
          else g.requestAnimationFrame(check);
        };
        target.click();
        check();
      }),
    [button, state] as const,
  );
}

describe.skipIf(chromiumPath === null || !present)(
  `sparse real SPY 1s data (browser mode)${reason}`,
  () => {
    let data: DataDir;
    let app: RunningApp;
    screenshotOnFailure(() => app?.page);

    beforeAll(async () => {
      data = tempDataDir('tapedeck-e2e-spy-');
      const zips = readdirSync(SPY)
        .filter((f) => f.endsWith('.zip'))
        .map((f) => join(SPY, f));
      await run(
        join(REPO_ROOT, 'node_modules/.bin/tsx'),
        ['src/main/cli/import.ts', ...zips, '--data', data.path, '--symbol', 'SPY'],
        { cwd: REPO_ROOT },
      );
      const config = data.writeConfig('spy.json', {
        session_name: 'spy-seconds',
        data_streams: [
          { type: 'bars', symbol: 'SPY', interval: '1s' },
          { type: 'quotes', symbol: 'SPY' },
        ],
        backtest_config: { start_date: '2013-10-07', end_date: '2013-10-09', speed_multiplier: 10 },
      });
      app = await openApp(chromiumPath!, { data, config });
      await waitFor(() => controls(app.page).start.isEnabled(), Boolean, 'Start to be enabled');
    }, 240_000);

    afterAll(async () => {
      await app?.close();
      data?.remove();
    });

    it('2: gaps are summarised and the Log stays short while the UI answers at 10×', async () => {
      const { page } = app;
      const ui = controls(page);
      await startFresh(page);
      // Most of a morning flat out, so thousands of no-trade seconds have been seen.
      await setSpeed(page, 'max');
      await play(page);
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
        answers.push(await answerMs(page, 'Pause', 'paused'));
        answers.push(await answerMs(page, 'Play', 'running'));
      }
      console.log(
        `[e2e] sparse SPY 1s at 10x: Play/Pause answered in ${answers.map((a) => a.toFixed(0)).join(', ')} ms`,
      );
      await pause(page);
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
      expect(logLines).toBeLessThan(gaps / 10);
      await screenshot(page, '2-sparse-spy-gap-summary');
    });
  },
);
