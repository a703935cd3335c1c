/**
 * Steps several flows (and the ui benchmark) share: start a fresh session, play at a speed,
 * pause, step. Free of vitest, so the benchmark can use them outside a test.
 */
import type { Page } from 'playwright-core';
import { clockUtc, controls, frames, waitFor } from './replay-ui';

export async function sessionState(page: Page): Promise<string> {
  return ((await controls(page).state.textContent()) ?? '').trim();
}

/**
 * Stops any running session, starts the config in the editor, and waits until it is ready:
 * paused or running, or (`endsAtStart`: a start time at the end of the data) done at once.
 */
export async function startFresh(
  page: Page,
  options: { endsAtStart?: boolean } = {},
): Promise<void> {
  const ui = controls(page);
  if (await ui.stop.isEnabled()) {
    try {
      await ui.stop.click({ timeout: 5_000 });
    } catch (error) {
      // An earlier flow's session can reach its end (Stop disabled) between the check and
      // the click; that is as good as stopped. Anything else is a real failure.
      if (await ui.stop.isEnabled()) throw error;
    }
    await waitFor(
      () => sessionState(page),
      (s) => s !== 'running' && s !== 'paused',
      'Stop',
    );
  }
  await waitFor(() => ui.start.isEnabled(), Boolean, 'Start to be enabled');
  await ui.start.click();
  await waitFor(
    () => sessionState(page),
    (s) => s === 'paused' || s === 'running' || (options.endsAtStart === true && s === 'done'),
    'the session to open',
    60_000,
  );
}

/** A session to work on: the one running or paused (an earlier flow's), else a fresh one. */
export async function ensureSession(page: Page): Promise<void> {
  const state = await sessionState(page);
  if (state !== 'running' && state !== 'paused') await startFresh(page);
  if ((await sessionState(page)) === 'running') await pause(page);
}

/** Speed by its label as the select shows it: `1×` … `300×`, `max`. */
export async function setSpeed(page: Page, label: string): Promise<void> {
  const value = label === 'max' ? '0' : label.replace('×', '');
  await controls(page).speed.selectOption({ label });
  await waitFor(
    () => controls(page).speed.inputValue(),
    (v) => v === value,
    `speed ${label}`,
  );
}

export async function play(page: Page): Promise<void> {
  await controls(page).play.click();
  await waitFor(
    () => sessionState(page),
    (s) => s === 'running' || s === 'done',
    'Play to take',
  );
}

export async function pause(page: Page): Promise<void> {
  await controls(page).pause.click();
  await waitFor(
    () => sessionState(page),
    (s) => s === 'paused' || s === 'done',
    'Pause to take',
  );
}

/** Clicks Step and waits for the clock to move; returns the new clock (UTC epoch ms). */
export async function step(page: Page): Promise<number> {
  const before = await clockUtc(page);
  await controls(page).step.click();
  const after = await waitFor(
    () => clockUtc(page),
    (c) => c !== null && (before === null || c > before),
    'the clock to move after Step',
  );
  return after!;
}

/** A fresh session of the editor's config replayed flat out to its end, its last frames drawn. */
export async function replayToEnd(page: Page, what: string): Promise<void> {
  await startFresh(page);
  await setSpeed(page, 'max');
  await play(page);
  await waitFor(
    () => sessionState(page),
    (s) => s === 'done',
    what,
    60_000,
  );
  await frames(page, 4);
}
