/**
 * What the UI benchmark reads from inside the page: frame times from requestAnimationFrame, and
 * the JS heap through the DevTools protocol, after a forced garbage collection so that garbage
 * not yet collected does not read as growth.
 */
import type { CDPSession, Page } from 'playwright-core';
import type { PageGlobals } from '../e2e/support/page-globals';

interface ProbeWindow extends PageGlobals {
  __tapedeckFrames?: { deltas: number[]; last: number; running: boolean };
}

/** Starts recording the time between consecutive animation frames (idempotent). */
export async function startFrameProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = globalThis as unknown as ProbeWindow;
    if (w.__tapedeckFrames?.running) return;
    const probe = { deltas: [] as number[], last: -1, running: true };
    w.__tapedeckFrames = probe;
    const tick = (time: number): void => {
      if (!probe.running) return;
      if (probe.last >= 0) probe.deltas.push(time - probe.last);
      probe.last = time;
      w.requestAnimationFrame(tick);
    };
    w.requestAnimationFrame(tick);
  });
}

/** The frame times recorded since the last call, in ms; recording goes on. */
export async function takeFrames(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const probe = (globalThis as unknown as ProbeWindow).__tapedeckFrames;
    if (!probe) return [];
    const deltas = probe.deltas;
    probe.deltas = [];
    return deltas;
  });
}

/** Bytes of live JS heap, after a full collection. */
export async function liveHeapBytes(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize');
  if (!used) throw new Error('Performance.getMetrics reported no JSHeapUsedSize');
  return used.value;
}

export async function openProbes(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return cdp;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
