/**
 * The sparse real-data case of `npm run bench -- ui`: three days of real SPY 1s bars and quotes
 * (thousands of no-trade seconds, so thousands of gaps), one chart at 10× after the first
 * two hours of regular trading (to 11:30 New York) replayed flat out. Frame times as in the main case; control answers are the
 * time from a click on Pause or Play to the state badge changing; the restore time is from
 * Shift+← (a minute back, the state restored exactly by a fresh replay to it) to the clock
 * showing it, measured from Node (includes the polling). Targets: p95 ≤ 20 ms, controls ≤
 * 100 ms, restore ≤ 200 ms. Skipped, saying why, without the shared real data.
 */
import type { BrowserContext } from 'playwright-core';
import { tempDataDir } from '../e2e/support/demo-fixture';
import {
  answerMs,
  importSpySeconds,
  SPY_SECONDS,
  spySecondsPresent,
} from '../e2e/support/real-spy';
import { clockUtc, controls, waitFor } from '../e2e/support/replay-ui';
import { pause, play, setSpeed, startFresh } from '../e2e/support/session-steps';
import { startWebHost } from '../e2e/support/web-host';
import { percentile, startFrameProbe, takeFrames } from './ui-probes';

const WINDOW_MS = 30_000;

export interface SparseResult {
  frame_p50_ms: number;
  frame_p95_ms: number;
  control_answers_ms: number[];
  gaps_line: string;
  /** Shift+← (a minute back, restored exactly): key press to the clock showing it, ms. */
  restore_ms: number[];
}

export async function measureSparse(
  context: BrowserContext,
): Promise<SparseResult | { skipped: string }> {
  if (!spySecondsPresent()) return { skipped: `${SPY_SECONDS} is absent` };
  const data = tempDataDir('tapedeck-bench-spy-');
  const config = await importSpySeconds(data);
  const host = await startWebHost({ dataDir: data.path, config });
  const page = await context.newPage();
  try {
    await page.goto(host.url);
    await waitFor(() => controls(page).start.isEnabled(), Boolean, 'Start to be enabled', 60_000);
    // Most of a morning replayed flat out and paused there: a max-speed run stopped by a Pause
    // once enough gaps show can reach the end of the three days first.
    await page.getByLabel('Start at', { exact: true }).fill('2013-10-07T11:30:00');
    await startFresh(page);
    const summary = page.locator('.gap-summary').first();
    await waitFor(
      async () => ((await summary.count()) > 0 ? ((await summary.textContent()) ?? '') : ''),
      (t) => Number((/: ([\d,]+) gaps/.exec(t)?.[1] ?? '0').replace(/,/g, '')) >= 300,
      'a few hundred gaps',
      120_000,
    );
    await setSpeed(page, '10×');
    await play(page);
    await startFrameProbe(page);
    await new Promise((r) => setTimeout(r, 2_000));
    await takeFrames(page);
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const frames = await takeFrames(page);
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push(await answerMs(page, 'Pause', 'paused'));
      await new Promise((r) => setTimeout(r, 300));
      answers.push(await answerMs(page, 'Play', 'running'));
      await new Promise((r) => setTimeout(r, 700));
    }
    const line = (await summary.textContent()) ?? '';
    await pause(page);
    const restore: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = await clockUtc(page);
      const t0 = Date.now();
      await page.keyboard.press('Shift+ArrowLeft');
      await waitFor(
        () => clockUtc(page),
        (c) => c !== null && before !== null && c < before,
        'the step back',
        60_000,
      );
      restore.push(Date.now() - t0);
    }
    return {
      frame_p50_ms: percentile(frames, 50),
      frame_p95_ms: percentile(frames, 95),
      control_answers_ms: answers,
      gaps_line: line,
      restore_ms: restore,
    };
  } finally {
    await page.close();
    await host.stop();
    data.remove();
  }
}
