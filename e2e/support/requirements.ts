/**
 * What the suite needs from the machine, decided once: a Chromium (mandatory in CI, where a
 * missing one fails the run; elsewhere the browser flows skip and say why).
 */
import { findChromium, type ChromiumSearch } from './chromium';

export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

export const CHROMIUM: ChromiumSearch = findChromium();

/** The Chromium to use, or null (with the reason printed) when the flows must skip. */
export function chromiumOrSkip(suite: string): string | null {
  if (CHROMIUM.found) return CHROMIUM.path;
  if (IN_CI) throw new Error(`[e2e] ${suite}: Chromium is mandatory in CI, but ${CHROMIUM.reason}`);
  console.warn(`[e2e] ${suite} skipped: ${CHROMIUM.reason}`);
  return null;
}
