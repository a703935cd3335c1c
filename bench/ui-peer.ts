/**
 * The loading benchmark's peer: lightweight-charts' own `setData` of the same 23,400 bars, in a
 * bare page with nothing else on it. The chart (candles plus a volume pane, as the app draws
 * them) exists before the clock starts and the bars are already chart objects, so the figure is
 * the library's floor: setData of both series and the paint that follows.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import type { PageGlobals } from '../e2e/support/page-globals';
import type { BarColumns } from '../src/shared/ipc-contract';

// The standalone build (a global `LightweightCharts`) sits beside the package's entry point,
// which is all its `exports` map lets us resolve.
const STANDALONE = join(
  dirname(fileURLToPath(import.meta.resolve('lightweight-charts'))),
  'lightweight-charts.standalone.production.js',
);

interface PeerWindow extends PageGlobals {
  LightweightCharts: typeof import('lightweight-charts');
}

/** Milliseconds from setData until the first animation frame after it (the paint), per run. */
export async function measurePeerSetData(
  context: BrowserContext,
  bars: BarColumns,
  runs: number,
  size: { width: number; height: number },
): Promise<number[]> {
  const page = await context.newPage();
  try {
    await page.setContent(
      `<!doctype html><body style="margin:0"><div id="chart" style="width:${size.width}px;` +
        `height:${size.height}px"></div></body>`,
    );
    await page.addScriptTag({ path: STANDALONE });
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const ms = await page.evaluate(async (columns: BarColumns) => {
        const g = globalThis as unknown as PeerWindow;
        const lwc = g.LightweightCharts;
        const chart = lwc.createChart('chart', {
          autoSize: true,
          timeScale: { timeVisible: true, secondsVisible: true },
        });
        const candles = chart.addSeries(lwc.CandlestickSeries);
        const volume = chart.addSeries(lwc.HistogramSeries, { priceFormat: { type: 'volume' } }, 1);
        const n = columns.time.length;
        const candleData = new Array(n);
        const volumeData = new Array(n);
        for (let i = 0; i < n; i++) {
          const time = (columns.time[i] / 1000) as import('lightweight-charts').UTCTimestamp;
          candleData[i] = {
            time,
            open: columns.open[i],
            high: columns.high[i],
            low: columns.low[i],
            close: columns.close[i],
          };
          volumeData[i] = { time, value: columns.volume[i] };
        }
        // Let the empty chart settle so its first layout is not counted.
        await new Promise((r) => g.requestAnimationFrame(() => g.requestAnimationFrame(r)));
        const started = performance.now();
        candles.setData(candleData);
        volume.setData(volumeData);
        chart.timeScale().fitContent();
        await new Promise((r) => g.requestAnimationFrame(r));
        const elapsed = performance.now() - started;
        chart.remove();
        return elapsed;
      }, bars);
      times.push(ms);
    }
    return times;
  } finally {
    await page.close();
  }
}
