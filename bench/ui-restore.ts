/**
 * Going back, timed in the page: from the key press (the keydown's own time stamp) to the
 * first frame after the backtest clock shows the restored time. Presses are sent from the
 * page itself, each as soon as the last one shows (or after a pause), so the figures are
 * the app's and not the test driver's round trips, which on a loaded machine add hundreds of
 * milliseconds. Held ← is key repeat at about 30 a second: how long after the last repeat the
 * clock settles, and where (exactness itself is checked against an oracle in
 * test/service/seek-checkpoints.test.ts).
 */
import type { Page } from 'playwright-core';

interface RestorePage {
  document: {
    body: { dispatchEvent(event: unknown): boolean };
    querySelector(selector: string): {
      getAttribute(name: string): string | null;
    } | null;
  };
  KeyboardEvent: new (
    type: string,
    init: { key: string; shiftKey: boolean; repeat: boolean; bubbles: boolean },
  ) => { timeStamp: number };
  MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: { attributes: boolean }): void;
    disconnect(): void;
  };
  requestAnimationFrame(callback: () => void): number;
  performance: { now(): number };
  setTimeout(callback: () => void, ms: number): number;
}

export interface HeldResult {
  /** From the last repeat to the clock's last change, ms. */
  settle_ms: number;
  /** How far before the last target the clock ended (0, or back to the item before it). */
  before_target_ms: number;
  /** How many times the clock changed while the key was held (each a restore shown). */
  shown: number;
}

/** `count` presses of Shift+← (a minute back), the next sent `lookMs` after the last shows. */
export function minuteBackMs(page: Page, count: number, lookMs: number): Promise<number[]> {
  return page.evaluate(
    async ([n, look]) => {
      const g = globalThis as unknown as RestorePage;
      const clock = g.document.querySelector('[role="timer"]')!;
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        await new Promise((r) => g.setTimeout(() => r(null), look));
        const before = clock.getAttribute('title');
        const shown = new Promise<number>((resolve) => {
          const observer = new g.MutationObserver(() => {
            if (clock.getAttribute('title') === before) return;
            observer.disconnect();
            g.requestAnimationFrame(() => resolve(g.performance.now()));
          });
          observer.observe(clock, { attributes: true });
        });
        const key = new g.KeyboardEvent('keydown', {
          key: 'ArrowLeft',
          shiftKey: true,
          repeat: false,
          bubbles: true,
        });
        g.document.body.dispatchEvent(key);
        times.push(Math.round((await shown) - key.timeStamp));
      }
      return times;
    },
    [count, lookMs] as const,
  );
}

/**
 * ← held for `presses` repeats at `everyMs`. The clock then shows the last item at or before
 * the last target (a restore to a second nobody traded shows the item before it), so the
 * figure is when it stops moving: no change for a second and a half.
 */
export function heldStepBack(
  page: Page,
  presses: number,
  everyMs: number,
  barMs: number,
): Promise<HeldResult> {
  return page.evaluate(
    async ([n, every, bar]) => {
      const g = globalThis as unknown as RestorePage;
      const clock = g.document.querySelector('[role="timer"]')!;
      const utc = (): number => {
        const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) UTC$/.exec(
          clock.getAttribute('title') ?? '',
        );
        return m ? Date.parse(`${m[1]}T${m[2]}Z`) : Number.NaN;
      };
      const target = utc() - n * bar;
      let shown = 0;
      let changed = 0;
      const observer = new g.MutationObserver(() => {
        shown++;
        g.requestAnimationFrame(() => (changed = g.performance.now()));
      });
      observer.observe(clock, { attributes: true });
      let last = 0;
      for (let i = 0; i < n; i++) {
        const key = new g.KeyboardEvent('keydown', {
          key: 'ArrowLeft',
          shiftKey: false,
          repeat: i > 0,
          bubbles: true,
        });
        g.document.body.dispatchEvent(key);
        last = key.timeStamp;
        await new Promise((r) => g.setTimeout(() => r(null), every));
      }
      const quietFor = 1_500;
      const deadline = g.performance.now() + 30_000;
      while (g.performance.now() < deadline) {
        await new Promise((r) => g.setTimeout(() => r(null), 100));
        if (g.performance.now() - Math.max(changed, last) > quietFor) break;
      }
      observer.disconnect();
      const end = utc();
      return {
        settle_ms: Math.max(0, Math.round(changed - last)),
        before_target_ms: target - end,
        shown,
      };
    },
    [presses, everyMs, barMs] as const,
  );
}
