/**
 * `npm run bench -- ui`: the replay UI in the browser-mode host, driven by Playwright in headless
 * Chromium (needs one: see e2e/support/chromium.ts).
 *
 * Replay: 4 charts of 1s symbols at 300× for 60 s after a 10 s warm-up. Frame times are the
 * gaps between requestAnimationFrame callbacks (a probe injected into the page); memory is the
 * JS heap (CDP Performance.getMetrics, JSHeapUsedSize) after a forced GC at the start and the
 * end of the window. Targets: p95 ≤ 20 ms, memory flat.
 *
 * Loading: a new session started at 16:00 (so the whole day is history, loaded at once), one
 * chart, then each other symbol picked in turn: the time until its 23,400 bars are drawn and
 * painted. The peer is lightweight-charts' own setData of the same bars in a bare page (its
 * floor: no transfer, no conversion). Target ≤ 300 ms.
 *
 * Sparse real data (ui-sparse.ts): real SPY 1s bars at 10×, thousands of no-trade gaps: frame
 * p95, how fast Play/Pause answer, and how long a step back (Shift+←, restored exactly) takes.
 */
import type { Page } from 'playwright-core';
import { ensureBuilt } from '../e2e/support/build';
import { findChromium, launchChromium } from '../e2e/support/chromium';
import { clockUtc, controls, count, sessionRow, waitFor } from '../e2e/support/replay-ui';
import { pause, play, sessionState, setSpeed, startFresh } from '../e2e/support/session-steps';
import { startWebHost } from '../e2e/support/web-host';
import { barsFromPath, simulateDay } from '../src/main/storage/demo-data';
import { BENCH_DATE } from './coordinator';
import { emptyResult, round, type BenchResult } from './result';
import { ensureUiData, UI_SYMBOLS } from './ui-data';
import { timeSymbolSwitch } from './ui-load';
import { measurePeerSetData } from './ui-peer';
import { measureSparse, printSparse } from './ui-sparse';
import {
  liveHeapBytes,
  median,
  openProbes,
  percentile,
  startFrameProbe,
  takeFrames,
} from './ui-probes';

const SPEED = 300;
const WARM_UP_MS = 10_000;
const WINDOW_MS = 60_000;
const SAMPLE_MS = 10_000;
const IDLE_MS = 5_000;
const VIEWPORT = { width: 1600, height: 1000 };
const PEER_RUNS = 5;

export interface UiBenchResult extends BenchResult {
  frame_p50_ms: number | null;
  frame_p95_ms: number | null;
  heap_growth_mb: number | null;
  load_ms: number | null;
  peer_set_data_ms: number | null;
  sparse_frame_p95_ms: number | null;
  sparse_control_max_ms: number | null;
  /** Median time to step back a minute within the sparse real 1s session (restored exactly). */
  step_back_restore_ms: number | null;
  skipped?: string;
}

/** A UI result with no figures: the start of every UI benchmark's result. */
export function emptyUiResult(name: string): UiBenchResult {
  return {
    ...emptyResult(name),
    frame_p50_ms: null,
    frame_p95_ms: null,
    heap_growth_mb: null,
    load_ms: null,
    peer_set_data_ms: null,
    sparse_frame_p95_ms: null,
    sparse_control_max_ms: null,
    step_back_restore_ms: null,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

async function totalBars(page: Page): Promise<number> {
  let total = 0;
  for (const symbol of UI_SYMBOLS) total += count((await sessionRow(page, symbol)).Bars) || 0;
  return total;
}

async function measureReplay(page: Page) {
  const ui = controls(page);
  await ui.layout.selectOption('4');
  await startFresh(page);
  await waitFor(
    () => page.getByRole('region', { name: /^Chart( \d)?: UI[A-D]$/ }).count(),
    (n) => n === 4,
    '4 charts',
  );
  for (let cell = 1; cell <= 4; cell++) {
    const shown = await ui.symbol(cell).inputValue();
    if (shown !== UI_SYMBOLS[cell - 1])
      throw new Error(`chart ${cell} shows ${shown}, not ${UI_SYMBOLS[cell - 1]}`);
  }
  await setSpeed(page, `${SPEED}×`);
  const cdp = await openProbes(page);
  await startFrameProbe(page);
  // What this machine's headless Chromium gives the same screen with nothing happening.
  await sleep(1_000);
  await takeFrames(page);
  await sleep(IDLE_MS);
  const idle = await takeFrames(page);
  await play(page);
  await sleep(WARM_UP_MS);
  await takeFrames(page);
  const heapStart = await liveHeapBytes(cdp);
  const clockStart = (await clockUtc(page)) ?? 0;
  const barsStart = await totalBars(page);
  const trend: string[] = [];
  const started = Date.now();
  while (Date.now() - started < WINDOW_MS) {
    await sleep(Math.min(SAMPLE_MS, WINDOW_MS - (Date.now() - started)));
    const { metrics } = await cdp.send('Performance.getMetrics');
    const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
    trend.push(`${Math.round((Date.now() - started) / 1000)}s ${mb(used)}`);
  }
  const frames = await takeFrames(page);
  const elapsed = Date.now() - started;
  const clockEnd = (await clockUtc(page)) ?? 0;
  const barsEnd = await totalBars(page);
  const heapEnd = await liveHeapBytes(cdp);
  // On a loaded machine the measuring can outlast the day at 300×: the session is then done.
  if ((await sessionState(page)) === 'running') {
    // It can also end between the look and the click (Pause is then disabled): as good.
    await pause(page).catch(async (error: unknown) => {
      if ((await sessionState(page)) === 'running') throw error;
    });
  }
  await cdp.detach();
  return {
    idle,
    frames,
    heapStart,
    heapEnd,
    trend,
    elapsed,
    replayed: (clockEnd - clockStart) / 1000,
    bars: barsEnd - barsStart,
  };
}

async function measureLoading(
  page: Page,
): Promise<{ times: number[]; chartSize: { width: number; height: number } }> {
  const ui = controls(page);
  await ui.layout.selectOption('1');
  await page.getByLabel('Start at', { exact: true }).fill(`${BENCH_DATE}T16:00:00`);
  await startFresh(page, { endsAtStart: true });
  await waitFor(
    async () => count((await sessionRow(page, UI_SYMBOLS[0])).Bars),
    (n) => n === 23_400,
    'the whole day to be loaded as history',
    120_000,
  );
  await waitFor(
    async () =>
      (await ui.chart(1).locator('.legend-ohlc').textContent())?.startsWith('O ') ?? false,
    Boolean,
    `${UI_SYMBOLS[0]} drawn`,
  );
  const times: number[] = [];
  for (const symbol of UI_SYMBOLS.slice(1)) {
    times.push(await timeSymbolSwitch(page, symbol));
    const bars = count((await sessionRow(page, symbol)).Bars);
    if (bars !== 23_400)
      throw new Error(`${symbol} has ${bars} bars in the session, not a full day`);
    await sleep(500);
  }
  const box = await page.locator('.chart-canvas').first().boundingBox();
  return {
    times,
    chartSize: { width: Math.round(box?.width ?? 1000), height: Math.round(box?.height ?? 600) },
  };
}

function dayBars(symbol: string) {
  const columns = barsFromPath(simulateDay({ symbol, date: BENCH_DATE }), '1s');
  const n = columns.length ?? columns.timestamp.length;
  const pick = (i: number): number[] => Array.from(columns.values[i].subarray(0, n));
  return {
    time: Array.from(columns.timestamp.subarray(0, n)),
    open: pick(0),
    high: pick(1),
    low: pick(2),
    close: pick(3),
    volume: pick(4),
  };
}

export async function run(): Promise<UiBenchResult> {
  const chromium = findChromium();
  if (!chromium.found) {
    // `npm run bench` runs everything; a machine without a browser still gets the other figures.
    console.log(`   skipped: ${chromium.reason}`);
    return { ...emptyUiResult('ui'), skipped: chromium.reason };
  }
  ensureBuilt((line) => console.log(`   ${line}`));
  const data = ensureUiData(SPEED);
  const host = await startWebHost({ dataDir: data.dataDir, config: data.configPath });
  const browser = await launchChromium(chromium.path, { viewport: VIEWPORT });
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    await page.goto(host.url);
    await waitFor(() => controls(page).start.isEnabled(), Boolean, 'Start to be enabled', 60_000);
    console.log(
      `   Chromium ${browser.context.browser()?.version() ?? chromium.path}, viewport ${VIEWPORT.width}×${VIEWPORT.height}`,
    );

    const replay = await measureReplay(page);
    const p50 = percentile(replay.frames, 50);
    const p95 = percentile(replay.frames, 95);
    const growth = replay.heapEnd - replay.heapStart;
    console.log(
      `   replay: 4 charts × 1s bars at ${SPEED}×, ${WINDOW_MS / 1000} s after a ${WARM_UP_MS / 1000} s warm-up`,
    );
    console.log(
      `     backtest time replayed ${round(replay.replayed, 0)} s (${round(replay.replayed / (replay.elapsed / 1000), 1)}× wall), ${replay.bars} base bars`,
    );
    console.log(
      `     idle baseline (paused, same 4 charts): p50 ${percentile(replay.idle, 50).toFixed(1)} ms  p95 ${percentile(replay.idle, 95).toFixed(1)} ms`,
    );
    console.log(
      `     frames ${replay.frames.length} (${round(replay.frames.length / (replay.elapsed / 1000), 1)} fps)  p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  max ${Math.max(...replay.frames).toFixed(1)} ms  (target p95 ≤ 20 ms)`,
    );
    console.log(
      `     JS heap after GC ${mb(replay.heapStart)} → ${mb(replay.heapEnd)} MB: ${growth >= 0 ? '+' : ''}${mb(growth)} MB (${replay.bars > 0 ? round(growth / replay.bars, 0) : '—'} B per bar received; target flat)`,
    );
    console.log(`     heap without GC: ${replay.trend.join(', ')} MB`);

    const loading = await measureLoading(page);
    const ours = median(loading.times);
    const peerTimes = await measurePeerSetData(
      browser.context,
      dayBars(UI_SYMBOLS[1]),
      PEER_RUNS + 1,
      loading.chartSize,
    );
    const peer = median(peerTimes.slice(1));
    console.log(
      `   loading a full 1s day (23,400 bars) into a ${loading.chartSize.width}×${loading.chartSize.height} chart:`,
    );
    console.log(
      `     ours (pick → painted): ${loading.times.map((t) => t.toFixed(0)).join(', ')} ms; median ${ours.toFixed(0)} ms (target ≤ 300 ms)`,
    );
    console.log(
      `     lightweight-charts setData alone: ${peerTimes
        .slice(1)
        .map((t) => t.toFixed(0))
        .join(', ')} ms; median ${peer.toFixed(0)} ms`,
    );
    const sparse = await measureSparse(browser.context);
    printSparse(sparse);
    const sparseOk = !('skipped' in sparse);
    return {
      name: 'ui',
      ours_s: round(ours / 1000, 4),
      peer: 'lightweight-charts setData (bare page)',
      peer_s: round(peer / 1000, 4),
      ratio: round(ours / peer, 2),
      events_per_s: round(replay.bars / (replay.elapsed / 1000), 0),
      bytes_per_bar: replay.bars > 0 ? round(growth / replay.bars, 0) : null,
      frame_p50_ms: round(p50, 2),
      frame_p95_ms: round(p95, 2),
      heap_growth_mb: round(growth / 1024 / 1024, 2),
      load_ms: round(ours, 1),
      peer_set_data_ms: round(peer, 1),
      sparse_frame_p95_ms: sparseOk ? round(sparse.frame_p95_ms, 2) : null,
      sparse_control_max_ms: sparseOk ? round(Math.max(...sparse.control_answers_ms), 1) : null,
      step_back_restore_ms: sparseOk ? median(sparse.restore_ms) : null,
    };
  } finally {
    await browser.close();
    await host.stop();
  }
}
