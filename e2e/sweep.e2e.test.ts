/**
 * The Sweep view in a real Chromium through the browser-mode host: bad grids refused next to
 * the field; a 2×2 grid over the demo strategy on one day of RIVN's minute bars, run, sorted,
 * drawn as a heatmap; its best row opened as a replay whose fills match the row; Cancel
 * mid-sweep leaves the app usable; a walk-forward puts in-sample beside out-of-sample.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app';
import { openReadyApp } from './support/demo-app';
import { demoDataDir, type DataDir } from './support/demo-fixture';
import { screenshotOnFailure } from './support/failure-screenshot';
import { controls, waitFor } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { play, sessionState, setSpeed } from './support/session-steps';

const chromiumPath = chromiumOrSkip('sweep view');

/** The demo config cut to RIVN's minute bars over both demo days, at full speed. */
function sweepData(): DataDir {
  const data = demoDataDir();
  const path = join(data.path, 'configs', 'demo.json');
  const config = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  config.data_streams = [{ type: 'bars', symbol: 'RIVN', interval: '1m' }];
  config.session_data_config = { data_upkeep: { enabled: true, derived_intervals: ['5m'] } };
  config.backtest_config = {
    start_date: '2024-03-04',
    end_date: '2024-03-05',
    speed_multiplier: 0,
  };
  writeFileSync(path, JSON.stringify(config));
  return data;
}

async function axis(page: Page, name: string, values: string): Promise<void> {
  await page.getByLabel('Add a param to the grid').selectOption(name);
  await page.getByLabel(`${name} values as`).selectOption('list');
  await page.getByLabel(`${name} values`, { exact: true }).fill(values);
}

async function clearAxes(page: Page): Promise<void> {
  for (const name of ['fast', 'slow']) {
    const remove = page.getByRole('button', { name: `Remove ${name}` });
    if (await remove.count()) await remove.click();
  }
}

/** The Sweep view, whichever view is showing. */
async function showSweep(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Sweep', exact: true });
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
}

async function showReplay(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Sweep', exact: true });
  if ((await toggle.getAttribute('aria-pressed')) === 'true') await toggle.click();
}

const runsDone = (page: Page) => page.getByLabel('Runs done of total');
const resultRows = (page: Page) =>
  page.getByRole('region', { name: 'Sweep results' }).locator('tbody tr');

/** Runs the sweep the form describes and waits until all `runs` are done. */
async function runToEnd(page: Page, runs: number): Promise<void> {
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await waitFor(
    () => runsDone(page).textContent(),
    (t) => t === `${runs}/${runs} runs`,
    'the sweep',
    120_000,
  );
}

/** The results table as records, columns by their header text. */
async function readTable(page: Page): Promise<Record<string, string>[]> {
  const region = page.getByRole('region', { name: 'Sweep results' });
  const headers = (await region.locator('thead th').allTextContents()).map((h) =>
    h.replace(/ [▲▼]$/, ''),
  );
  const rows = await region
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(
          (tr as unknown as { children: ArrayLike<{ textContent: string | null }> }).children,
        ).map((td) => td.textContent ?? ''),
      ),
    );
  return rows.map((cells) => Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? ''])));
}

/**
 * A sweep resync reply from the host with three figures made non-finite, in the form the host
 * sends them (its JSON round trip is tested in test/service/sweep-host.test.ts): the demo's own
 * figures are all finite, and this checks the page's side of the wire.
 */
function withNonFinite(text: string): string {
  const frame = JSON.parse(text) as {
    result?: { started?: { columns?: string[] }; progress?: { rows?: unknown[][] } };
  };
  const columns = frame.result?.started?.columns;
  const rows = frame.result?.progress?.rows;
  if (!columns || !rows) return text;
  const set = (row: unknown[], column: string, value: string) => {
    row[columns.indexOf(column)] = { non_finite: value };
  };
  for (const row of rows) {
    set(row, 'profit_factor', 'Infinity');
    set(row, 'avg_loss', '-Infinity');
    set(row, 'sharpe', 'NaN');
  }
  return JSON.stringify(frame);
}

describe.skipIf(chromiumPath === null)('sweep view (demo data, browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;

  beforeAll(async () => {
    data = sweepData();
    app = await openReadyApp(chromiumPath!, { data, viewport: { width: 1440, height: 900 } });
    await showSweep(app.page);
    await app.page.getByLabel('Sweep strategy').selectOption('ema-crossover.ts');
  }, 180_000);

  screenshotOnFailure(() => app?.page);

  afterAll(async () => {
    await app?.close();
    data?.remove();
  });

  it('refuses an empty grid and a wrong value next to the field', async () => {
    const page = app.page;
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await expect(page.getByRole('alert', { name: 'Grid problems' }).textContent()).resolves.toMatch(
      /the grid is empty/,
    );
    await axis(page, 'fast', '5, x');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await expect(page.getByRole('alert', { name: 'fast problems' }).textContent()).resolves.toBe(
      '"x" is not a number',
    );
    // The host's refusal, also by its field: a window without data.
    await page.getByLabel('fast values', { exact: true }).fill('5');
    await page.getByLabel('Window 1 start').fill('2023-01-02');
    await page.getByLabel('Window 1 end').fill('2023-01-02');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    await waitFor(
      () => page.getByRole('alert', { name: 'Window problems' }).count(),
      (n) => n === 1,
      'the host to refuse the window',
    );
    await expect(
      page.getByRole('alert', { name: 'Window problems' }).textContent(),
    ).resolves.toMatch(/2023-01-02/);
    await screenshot(page, 'sweep-bad-input');
    await clearAxes(page);
  }, 60_000);

  it('runs a 2×2 grid, sorts it, draws the heatmap, opens a row as a replay', async () => {
    const page = app.page;
    await axis(page, 'fast', '5, 8');
    await axis(page, 'slow', '13, 21');
    await page.getByLabel('Window 1 start').fill('2024-03-04');
    await page.getByLabel('Window 1 end').fill('2024-03-04');
    await runToEnd(page, 4);
    await expect(resultRows(page).count()).resolves.toBe(4);

    // Ranked by net_pnl, highest first; one click turns it round.
    const ranked = await readTable(page);
    const pnl = (rows: Record<string, string>[]) => rows.map((r) => Number(r.net_pnl));
    expect(pnl(ranked)).toEqual([...pnl(ranked)].sort((a, b) => b - a));
    await page.getByRole('button', { name: /^net_pnl/ }).click();
    expect(pnl(await readTable(page))).toEqual([...pnl(ranked)].sort((a, b) => a - b));
    await page.getByRole('button', { name: /^param_slow/ }).click();
    const bySlow = (await readTable(page)).map((r) => Number(r.param_slow));
    expect(bySlow).toEqual([21, 21, 13, 13]);
    const combos = ranked.map((r) => `${r.param_fast}/${r.param_slow}`).sort();
    expect(combos).toEqual(['5/13', '5/21', '8/13', '8/21']);

    // The heatmap: one cell per pair, each the row's figure (one window, so no averaging).
    const grid = page.getByRole('grid', { name: 'net_pnl by fast and slow' });
    const cells = await grid.getByRole('gridcell').allTextContents();
    expect(cells).toHaveLength(4);
    const at = (fast: string, slow: string) =>
      ranked.find((r) => r.param_fast === fast && r.param_slow === slow)!.net_pnl;
    // Rows are slow (13, 21), columns fast (5, 8).
    expect(cells).toEqual([at('5', '13'), at('8', '13'), at('5', '21'), at('8', '21')]);
    await expect(page.getByLabel('Colour scale').isVisible()).resolves.toBe(true);
    await screenshot(page, 'sweep-results');

    // The best row as a replay: its fills, as many as the sweep counted.
    const best = ranked[0]!;
    const row = resultRows(page).filter({ hasText: best.run_id });
    await row.first().click();
    await expect(
      page.getByRole('button', { name: 'Sweep', exact: true }).getAttribute('aria-pressed'),
    ).resolves.toBe('false');
    await expect(page.getByRole('main', { name: 'Charts' }).isVisible()).resolves.toBe(true);
    await waitFor(
      () => sessionState(page),
      (s) => s === 'paused' || s === 'running' || s === 'done',
      'the run to open',
      60_000,
    );
    if ((await sessionState(page)) !== 'done') {
      await setSpeed(page, 'max');
      if ((await sessionState(page)) === 'paused') await play(page);
    }
    await waitFor(
      () => sessionState(page),
      (s) => s === 'done',
      'the replay to end',
      120_000,
    );
    await waitFor(
      () => page.getByRole('heading', { name: /Orders & fills/ }).textContent(),
      (t) => (t ?? '').replace(/\D/g, '') === best.fill_count,
      `the replay's fills to number the sweep's ${best.fill_count}`,
    );
    expect(Number(best.fill_count)).toBeGreaterThan(0);
    await expect(page.getByRole('heading', { name: /Trading/ }).textContent()).resolves.toContain(
      'ema-crossover.ts',
    );
    await screenshot(page, 'sweep-opened-run');
  }, 240_000);

  it('Cancel stops a running sweep and the app goes on', async () => {
    const page = app.page;
    await showSweep(page);
    await clearAxes(page);
    await axis(page, 'fast', '3, 4, 5, 6, 7, 8');
    await axis(page, 'slow', '13, 21');
    await page.getByRole('button', { name: 'Run sweep' }).click();
    const cancel = page.getByRole('button', { name: 'Cancel', exact: true });
    await waitFor(() => cancel.isVisible(), Boolean, 'the sweep to run');
    await cancel.click();
    await waitFor(
      () => page.getByLabel('Sweep progress').textContent(),
      (t) => (t ?? '').includes('cancelled'),
      'the sweep to be cancelled',
    );
    const done = Number(((await runsDone(page).textContent()) ?? '').split('/')[0]);
    expect(done).toBeLessThan(12);
    await expect(resultRows(page).count()).resolves.toBe(done);
    // Usable: the form is back, and a replay starts.
    await expect(page.getByRole('button', { name: 'Run sweep' }).isEnabled()).resolves.toBe(true);
    await showReplay(page);
    if (await controls(page).stop.isEnabled()) await controls(page).stop.click();
    await waitFor(() => controls(page).start.isEnabled(), Boolean, 'Start to be enabled');
    await controls(page).start.click();
    await waitFor(
      () => sessionState(page),
      (s) => s === 'paused' || s === 'running' || s === 'done',
      'a replay after the cancelled sweep',
      60_000,
    );
  }, 120_000);

  it('walk-forward: best in-sample params beside their out-of-sample result', async () => {
    const page = app.page;
    await showSweep(page);
    await clearAxes(page);
    await axis(page, 'fast', '5, 8');
    await axis(page, 'slow', '21');
    await page.getByLabel('Date windows as').selectOption('walk_forward');
    // Opening a run narrowed the editor's dates to its day: the folds say their own span.
    await page.getByLabel('Walk-forward from').fill('2024-03-04');
    await page.getByLabel('Walk-forward to').fill('2024-03-05');
    await runToEnd(page, 4);
    const table = await readTable(page);
    const fold = page.getByRole('region', { name: 'Walk-forward' }).getByRole('row', {
      name: 'Fold 0',
    });
    const cells = await fold.locator('td').allTextContents();
    // Oracle: the best in-sample row by net_pnl, and the out-of-sample row with its params.
    const ins = table.filter((r) => r.sample === 'in');
    const best = ins.reduce((a, b) => (Number(b.net_pnl) > Number(a.net_pnl) ? b : a));
    const oos = table.find(
      (r) =>
        r.sample === 'out' && r.param_fast === best.param_fast && r.param_slow === best.param_slow,
    )!;
    expect(cells).toEqual([
      '0',
      '2024-03-04..2024-03-04',
      `fast=${best.param_fast} slow=21`,
      best.net_pnl,
      '2024-03-05..2024-03-05',
      oos.net_pnl,
    ]);
    await screenshot(page, 'sweep-walk-forward');

    // A reloaded page picks the sweep up again, every row once.
    await page.reload();
    await showSweep(page);
    await waitFor(
      () => resultRows(page).count(),
      (n) => n === 4,
      'the rows after a reload',
    );
    expect((await readTable(page)).map((r) => r.run_id).sort()).toEqual(
      table.map((r) => r.run_id).sort(),
    );
    // And the form as it was left: the strategy, its grid values, the folds.
    await waitFor(
      () => page.getByLabel('Sweep strategy').inputValue(),
      (v) => v === 'ema-crossover.ts',
      'the strategy after a reload',
    );
    const value = (label: string) => page.getByLabel(label, { exact: true }).inputValue();
    expect(await value('fast values')).toBe('5, 8');
    expect(await value('slow values')).toBe('21');
    expect(await value('Date windows as')).toBe('walk_forward');
    expect([await value('Walk-forward from'), await value('Walk-forward to')]).toEqual([
      '2024-03-04',
      '2024-03-05',
    ]);
  }, 180_000);

  it('shows ∞, −∞ and — for figures JSON cannot hold', async () => {
    const page = app.page;
    await page.routeWebSocket(/./, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => server.send(message));
      server.onMessage((message) =>
        ws.send(typeof message === 'string' ? withNonFinite(message) : message),
      );
    });
    await page.reload();
    await showSweep(page);
    await waitFor(
      () => resultRows(page).count(),
      (n) => n === 4,
      'the rows after a reload',
    );
    const table = await readTable(page);
    expect(table.map((r) => [r.profit_factor, r.avg_loss, r.sharpe])).toEqual(
      Array.from({ length: 4 }, () => ['∞', '−∞', '—']),
    );
    await page
      .getByRole('region', { name: 'Sweep results' })
      .evaluate((region) => region.scrollBy({ left: 2000 }));
    await screenshot(page, 'sweep-non-finite');
    await page.unrouteAll();
  }, 60_000);
});
