/**
 * `npm run bench -- ui-markers`: frame times with 10,000+ fill markers. A strategy trades one
 * share on every 1s bar of UIA, the session starts at 12:17 (so about 10,000 fills are history)
 * and replays at 300× with UIA's 1s chart in view, new fills arriving every frame. Markers are
 * laid out for the visible range at each paint, so the count held does not slow a frame.
 * Target p95 ≤ 20 ms. Frames come at 60 Hz, so p95 is 16.7 or 33.3 ms and flips on a few
 * frames; `long_frames_pct` (frames over 20 ms) and `main_busy_pct` (the page's main thread
 * busy, from the DevTools protocol) show what moved.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from '../e2e/support/build';
import { findChromium, launchChromium } from '../e2e/support/chromium';
import { controls, waitFor } from '../e2e/support/replay-ui';
import { pause, play, setSpeed, startFresh } from '../e2e/support/session-steps';
import { startWebHost } from '../e2e/support/web-host';
import { BENCH_DATE } from './coordinator';
import { round } from './result';
import { ensureUiData } from './ui-data';
import { emptyUiResult, type UiBenchResult } from './ui';
import { openProbes, percentile, startFrameProbe, takeFrames } from './ui-probes';

const SPEED = 300;
const WINDOW_MS = 20_000;
const START_AT = `${BENCH_DATE}T12:17:00`;

const STRATEGY = `let n = 0;
export default {
  onBar(bar, ctx) {
    if (bar.symbol !== 'UIA' || bar.interval !== '1s') return;
    if (n++ % 2 === 0) ctx.buy('UIA', 1);
    else ctx.sell('UIA', 1);
  },
};
`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type MarkersResult = UiBenchResult & {
  long_frames_pct: number | null;
  main_busy_pct: number | null;
};

export async function run(): Promise<MarkersResult> {
  const empty = emptyUiResult('ui-markers');
  const chromium = findChromium();
  if (!chromium.found) {
    console.log(`   skipped: ${chromium.reason}`);
    return { ...empty, long_frames_pct: null, main_busy_pct: null, skipped: chromium.reason };
  }
  ensureBuilt((line) => console.log(`   ${line}`));
  const data = ensureUiData(SPEED);
  mkdirSync(join(data.dataDir, 'strategies'), { recursive: true });
  writeFileSync(join(data.dataDir, 'strategies', 'marker-bench.js'), STRATEGY);
  const config = JSON.parse(readFileSync(data.configPath, 'utf8'));
  config.strategy = { file: 'marker-bench.js' };
  const configPath = join(data.dataDir, 'configs', 'ui-markers.json');
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const host = await startWebHost({ dataDir: data.dataDir, config: configPath });
  const browser = await launchChromium(chromium.path, { viewport: { width: 1600, height: 1000 } });
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(host.url);
    await waitFor(() => controls(page).start.isEnabled(), Boolean, 'Start to be enabled', 60_000);
    await controls(page).layout.selectOption('1');
    await page.getByLabel('Start at', { exact: true }).fill(START_AT);
    await startFresh(page);
    const fillsHeading = page.getByRole('heading', { name: /Orders & fills/ });
    const fillCount = async (): Promise<number> =>
      Number(((await fillsHeading.textContent()) ?? '').replace(/\D+/g, ''));
    await waitFor(fillCount, (n) => n >= 10_000, '10,000 fills', 120_000);
    await setSpeed(page, `${SPEED}×`);
    await startFrameProbe(page);
    await play(page);
    await sleep(3_000);
    const cdp = await openProbes(page);
    const busy = async (): Promise<number> =>
      (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')
        ?.value ?? Number.NaN;
    await takeFrames(page);
    const before = await fillCount();
    const busyBefore = await busy();
    await sleep(WINDOW_MS);
    const frames = await takeFrames(page);
    const busySeconds = (await busy()) - busyBefore;
    const after = await fillCount();
    await pause(page);
    const p50 = percentile(frames, 50);
    const p95 = percentile(frames, 95);
    const longPct = (100 * frames.filter((f) => f > 20).length) / frames.length;
    const busyPct = (100 * busySeconds) / (WINDOW_MS / 1000);
    console.log(
      `   1 chart (UIA 1s) at ${SPEED}×, ${before.toLocaleString()} → ${after.toLocaleString()} fills held, ` +
        `${frames.length} frames: p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms (target p95 ≤ 20 ms); ` +
        `${longPct.toFixed(1)} % of frames over 20 ms; main thread busy ${busyPct.toFixed(0)} %`,
    );
    return {
      ...empty,
      ours_s: round(p95 / 1000, 4),
      events_per_s: round((after - before) / (WINDOW_MS / 1000), 0),
      frame_p50_ms: round(p50, 2),
      frame_p95_ms: round(p95, 2),
      long_frames_pct: round(longPct, 2),
      main_busy_pct: round(busyPct, 1),
    };
  } finally {
    await browser.close();
    await host.stop();
  }
}
