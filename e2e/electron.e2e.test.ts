/**
 * The desktop app itself: the built Electron entry (out/main/index.js) launched by Playwright,
 * on a throwaway demo data directory, through flow 1 (start the demo session, play at max, see
 * candles appear and the clock advance). It runs wherever Electron's binary exists and a
 * display is available, and says plainly why it was skipped elsewhere (docs/design.md §7).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { REPO_ROOT } from './support/build';
import { demoDataDir, type DataDir } from './support/demo-fixture';
import { electronDisplayProblem, findElectron } from './support/electron-binary';
import {
  CANDLE_COLORS,
  chartPixels,
  clockUtc,
  controls,
  count,
  sessionRow,
  waitFor,
} from './support/replay-ui';
import { screenshot } from './support/screenshots';
import { play, setSpeed, startFresh } from './support/session-steps';

const electron = findElectron();
const skipReason = electron.found ? electronDisplayProblem() : electron.reason;
if (skipReason) console.warn(`[e2e] Electron launch test skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('Electron app (built)', () => {
  let data: DataDir;
  let userData: string;
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    data = demoDataDir();
    userData = mkdtempSync(join(tmpdir(), 'tapedeck-electron-'));
    app = await _electron.launch({
      executablePath: electron.found ? electron.path : undefined,
      args: [
        join(REPO_ROOT, 'out', 'main', 'index.js'),
        `--user-data-dir=${userData}`,
        // Chromium will not start its OS sandbox as root (CI containers), so there it runs
        // without; context isolation and the preload-only bridge, which this test checks, hold.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
      cwd: REPO_ROOT,
      env: { ...process.env, TAPEDECK_DATA: data.path, ELECTRON_ENABLE_LOGGING: '1' },
    });
    page = await app.firstWindow();
    await waitFor(() => controls(page).start.isEnabled(), Boolean, 'Start to be enabled', 60_000);
  });

  afterAll(async () => {
    await app?.close();
    data?.remove();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  it('runs with the preload bridge, never a WebSocket', async () => {
    const bridge = await page.evaluate(
      () => typeof (globalThis as { tapedeck?: unknown }).tapedeck,
    );
    expect(bridge).toBe('object');
    const nodeReachable = await page.evaluate(
      () => typeof (globalThis as { require?: unknown }).require,
    );
    expect(nodeReachable).toBe('undefined');
  });

  it('1 (Electron): starts the demo session, plays at max: candles appear and the clock advances', async () => {
    await startFresh(page);
    const clock0 = await clockUtc(page);
    await setSpeed(page, 'max');
    await play(page);
    const clock1 = await waitFor(
      () => clockUtc(page),
      (c) => c !== null && c > (clock0 ?? 0) + 60_000,
      'the clock to advance a minute',
    );
    expect(clock1).toBeGreaterThan(clock0 ?? 0);
    const bars = await waitFor(
      async () => count((await sessionRow(page, 'AAPL')).Bars),
      (n) => n > 60,
      'AAPL bars in the session-data table',
    );
    expect(bars).toBeGreaterThan(60);
    const [up, down] = await waitFor(
      () => chartPixels(page, CANDLE_COLORS),
      ([u, d]) => u + d > 100,
      'candles on the chart',
    );
    expect(up + down).toBeGreaterThan(100);
    await screenshot(page, 'electron-1-play-max');
  });
});
