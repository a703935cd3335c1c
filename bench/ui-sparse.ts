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
import { findChromium, launchChromium } from '../e2e/support/chromium';
import { ensureBuilt } from '../e2e/support/build';
import { emptyResult, type BenchResult } from './result';
import { heldStepBack, minuteBackMs, type HeldResult } from './ui-restore';

const WINDOW_MS = 30_000;

export interface SparseResult {
  frame_p50_ms: number;
  frame_p95_ms: number;
  control_answers_ms: number[];
  gaps_line: string;
  /** Shift+← (a minute back, restored exactly): key press to the clock showing it, ms. */
  restore_ms: number[];
  /** The same with a second's look before each press (the checkpoint's spare is ready). */
  restore_after_look_ms: number[];
  /** Five in a row, timed in the page from the keydown to the clock shown (ui-restore.ts). */
  restore_in_page_ms: number[];
  restore_in_page_after_look_ms: number[];
  /** ← held (1 s bars): 30 repeats at 33 ms. */
  held: HeldResult;
}

/** Prints the sparse case's figures (shared by `ui` and `ui-sparse`). */
export function printSparse(sparse: SparseResult | { skipped: string }): void {
  if ('skipped' in sparse) {
    console.log(`   sparse real 1s data: skipped: ${sparse.skipped}`);
    return;
  }
  console.log('   sparse real 1s data: SPY 2013-10-07..09 (LEAN seconds) at 10×, one chart');
  console.log(`     ${sparse.gaps_line}`);
  console.log(
    `     frames p50 ${sparse.frame_p50_ms.toFixed(1)} ms  p95 ${sparse.frame_p95_ms.toFixed(1)} ms (target p95 ≤ 20 ms)`,
  );
  console.log(
    `     Play/Pause answered in ${sparse.control_answers_ms.map((t) => t.toFixed(0)).join(', ')} ms (target ≤ 100 ms)`,
  );
  console.log(
    `     a minute back (Shift+←, restored), three in a row: ${sparse.restore_ms.join(', ')} ms; ` +
      `each after a second's look: ${sparse.restore_after_look_ms.join(', ')} ms (target ≤ 200 ms; ` +
      'timed from Node: press round trip and 100 ms polling included)',
  );
  console.log(
    `     the same timed in the page (keydown to the clock shown), five in a row: ` +
      `${sparse.restore_in_page_ms.join(', ')} ms; each after a second's look: ` +
      `${sparse.restore_in_page_after_look_ms.join(', ')} ms (target ≤ 200 ms)`,
  );
  const { held } = sparse;
  console.log(
    `     ← held (30 repeats at 33 ms, 1 s bars): the clock showed ${held.shown} restores and ` +
      `settled ${held.settle_ms} ms after the last repeat, ` +
      `${held.before_target_ms} ms before the last target (0, or the last item before it)`,
  );
}

/** `npm run bench -- ui-sparse`: the sparse real-data case alone. */
export async function run(): Promise<BenchResult & Record<string, unknown>> {
  const result: BenchResult & Record<string, unknown> = { ...emptyResult('ui-sparse') };
  const chromium = findChromium();
  if (!chromium.found) {
    console.log(`   skipped: ${chromium.reason}`);
    return result;
  }
  ensureBuilt((line) => console.log(`   ${line}`));
  const browser = await launchChromium(chromium.path, { viewport: { width: 1400, height: 900 } });
  try {
    const sparse = await measureSparse(browser.context);
    printSparse(sparse);
    if (!('skipped' in sparse)) Object.assign(result, sparse);
    return result;
  } finally {
    await browser.close();
  }
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
    const restoreAfterLook: number[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      const before = await clockUtc(page);
      const t0 = Date.now();
      await page.keyboard.press('Shift+ArrowLeft');
      await waitFor(
        () => clockUtc(page),
        (c) => c !== null && before !== null && c < before,
        'the step back',
        60_000,
      );
      restoreAfterLook.push(Date.now() - t0);
    }
    const inPage = await minuteBackMs(page, 5, 0);
    const inPageAfterLook = await minuteBackMs(page, 3, 1_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const held = await heldStepBack(page, 30, 33, 1_000);
    return {
      frame_p50_ms: percentile(frames, 50),
      frame_p95_ms: percentile(frames, 95),
      control_answers_ms: answers,
      gaps_line: line,
      restore_ms: restore,
      restore_after_look_ms: restoreAfterLook,
      restore_in_page_ms: inPage,
      restore_in_page_after_look_ms: inPageAfterLook,
      held,
    };
  } finally {
    await page.close();
    await host.stop();
    data.remove();
  }
}
