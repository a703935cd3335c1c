/**
 * The loading figure: from the moment a symbol is picked in a chart's Symbol select until the
 * chart has drawn that symbol's full day and the browser has painted it. Timed inside the page
 * (performance.now), so no round trip to the driver is counted.
 */
import type { Page } from 'playwright-core';
import type { PageGlobals } from '../e2e/support/page-globals';

/** Milliseconds until the chart's legend shows the new symbol's last bar, plus one paint. */
export async function timeSymbolSwitch(
  page: Page,
  symbol: string,
  timeoutMs = 20_000,
): Promise<number> {
  return page.evaluate(
    ({ symbol, timeoutMs }) =>
      new Promise<number>((resolve, reject) => {
        const g = globalThis as unknown as PageGlobals;
        const select = g.document.querySelector('select[aria-label="Symbol"]');
        const legend = select?.closest('section')?.querySelector('.legend-ohlc');
        if (!select || !legend) {
          reject(new Error('no Symbol select with a chart legend on the page'));
          return;
        }
        const before = legend.textContent;
        const started = g.performance.now();
        select.value = symbol;
        select.dispatchEvent(new g.Event('change', { bubbles: true }));
        const tick = (): void => {
          const text = legend.textContent ?? '';
          if (text !== before && text.startsWith('O ')) {
            // The chart drew in this frame's callbacks; the paint follows before the next one.
            g.requestAnimationFrame(() => resolve(g.performance.now() - started));
          } else if (g.performance.now() - started > timeoutMs) {
            reject(new Error(`the chart did not show ${symbol} within ${timeoutMs} ms`));
          } else {
            g.requestAnimationFrame(tick);
          }
        };
        g.requestAnimationFrame(tick);
      }),
    { symbol, timeoutMs },
  );
}
