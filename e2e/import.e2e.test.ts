/**
 * Drag-in import in browser mode: a parquet file dropped anywhere on the window is uploaded,
 * previewed (symbol, interval, rows, days), imported, and then shows up in the data catalog,
 * in the config editor's catalog picker, and, once in a session, in the chart's Symbol picker.
 */
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningApp } from './support/app';
import { openDemoApp } from './support/demo-app';
import { screenshotOnFailure } from './support/failure-screenshot';
import type { PageGlobals } from './support/page-globals';
import type { DataDir } from './support/demo-fixture';
import { writeBarsParquet, type ParquetFixture } from './support/parquet-fixture';
import {
  CANDLE_COLORS,
  chartPixels,
  controls,
  count,
  sessionRow,
  waitFor,
} from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { pause, play, setSpeed, startFresh } from './support/session-steps';

const chromiumPath = chromiumOrSkip('import flow');
const DATE = '2024-03-04';

/** What a user's drag from the file manager does: dragenter, dragover, drop, with the file. */
async function dropFile(page: Page, file: ParquetFixture): Promise<void> {
  await page.evaluate(
    ({ name, base64 }) => {
      const g = globalThis as unknown as PageGlobals;
      const bytes = Uint8Array.from(g.atob(base64), (c) => c.charCodeAt(0));
      const transfer = new g.DataTransfer();
      transfer.items.add(new g.File([bytes], name, { type: 'application/vnd.apache.parquet' }));
      const { document } = g;
      const target =
        document.elementFromPoint(g.innerWidth / 2, g.innerHeight / 2) ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(
          new g.DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }),
        );
      }
    },
    { name: file.name, base64: file.bytes.toString('base64') },
  );
}

function catalogRows(page: Page, symbol: string) {
  return page
    .getByRole('table', { name: 'Data catalog' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: symbol, exact: true }) });
}

describe.skipIf(chromiumPath === null)('drag-in import (browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;
  const fixtures: ParquetFixture[] = [];
  screenshotOnFailure(() => app?.page);

  beforeAll(async () => {
    ({ data, app } = await openDemoApp(chromiumPath!));
  });

  afterAll(async () => {
    await app?.close();
    data?.remove();
    for (const f of fixtures) rmSync(dirname(f.path), { recursive: true, force: true });
  });

  it('6: a parquet file dropped on the window is previewed, imported, and its symbol found', async () => {
    const { page } = app;
    const file = writeBarsParquet('NEWSYM', DATE, '1m');
    fixtures.push(file);
    expect(await catalogRows(page, 'NEWSYM').count()).toBe(0);

    await dropFile(page, file);
    const dialog = page.getByRole('dialog', { name: `Import ${file.name}` });
    // The preview names the file as uploaded, not by the host's staging path.
    const preview = dialog.getByRole('article', { name: `Preview of ${file.name}`, exact: true });
    const row = preview
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'NEWSYM' }) });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['bars', '1m', file.rows.toLocaleString('en-US')]);
    expect(file.rows).toBe(390);
    await screenshot(page, '6a-import-preview');
    // Check again previews the same file once more: an upload is sent again, not reused.
    await dialog.getByRole('button', { name: 'Check again', exact: true }).click();
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    expect(await dialog.getByRole('alert').count()).toBe(0);

    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const done = dialog.getByRole('status').filter({ hasText: 'Imported into parquet' });
    await expect.poll(() => done.count(), { timeout: 60_000 }).toBe(1);
    expect(await done.textContent()).toContain('NEWSYM bars 1m: 390 rows, 1 day');
    expect(
      existsSync(
        join(
          data.path,
          'parquet',
          'bars',
          'interval=1m',
          'symbol=NEWSYM',
          `date=${DATE}`,
          'part-0.parquet',
        ),
      ),
    ).toBe(true);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    // The catalog and the config editor's symbol choices know it now.
    await expect.poll(() => catalogRows(page, 'NEWSYM').count()).toBe(1);
    const picker = page.getByRole('combobox', { name: 'Catalog symbol for the new stream' });
    await expect.poll(() => picker.locator('option', { hasText: 'NEWSYM' }).count()).toBe(1);

    // Into the session: streams for it, Start, and the chart's Symbol picker offers it.
    await picker.selectOption('NEWSYM');
    await page.getByRole('button', { name: 'Add stream', exact: true }).click();
    const rows = page.getByRole('textbox', { name: /^Stream \d+ symbol$/ });
    await expect
      .poll(async () =>
        (
          await rows.evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value))
        ).includes('NEWSYM'),
      )
      .toBe(true);
    await startFresh(page);
    const symbol = controls(page).symbol();
    await expect.poll(() => symbol.locator('option', { hasText: 'NEWSYM' }).count()).toBe(1);
    await symbol.selectOption('NEWSYM');
    await setSpeed(page, '300×');
    await play(page);
    await waitFor(
      async () => count((await sessionRow(page, 'NEWSYM')).Bars),
      (n) => n >= 3,
      'NEWSYM bars to replay',
    );
    await pause(page);
    await waitFor(
      () => chartPixels(page, CANDLE_COLORS),
      ([u, d]) => u + d > 0,
      'NEWSYM candles',
    );
    await screenshot(page, '6b-import-new-symbol');
  });

  it('6c: Import… opens the same preview; closing it writes nothing', async () => {
    const { page } = app;
    const file = writeBarsParquet('OTHERSYM', DATE, '1m');
    fixtures.push(file);
    const chooser = page.waitForEvent('filechooser');
    await controls(page).importButton.click();
    await (await chooser).setFiles(file.path);
    const dialog = page.getByRole('dialog', { name: `Import ${file.name}` });
    await expect
      .poll(() => dialog.getByRole('rowheader', { name: 'OTHERSYM' }).count(), { timeout: 30_000 })
      .toBe(1);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect.poll(() => catalogRows(page, 'NEWSYM').count()).toBe(1);
    expect(await catalogRows(page, 'OTHERSYM').count()).toBe(0);
    expect(
      existsSync(
        join(
          data.path,
          'parquet',
          'bars',
          'interval=1m',
          'symbol=OTHERSYM',
          `date=${DATE}`,
          'part-0.parquet',
        ),
      ),
    ).toBe(false);
  });

  it('6d: two files naming one instrument two ways are pointed out; one click makes one symbol', async () => {
    const { page } = app;
    const plain = writeBarsParquet('BTCUSDT', DATE, '1m');
    const dashed = writeBarsParquet('BTC-USDT', '2024-03-05', '1m');
    fixtures.push(plain, dashed);
    const chooser = page.waitForEvent('filechooser');
    await controls(page).importButton.click();
    await (await chooser).setFiles([plain.path, dashed.path]);
    const dialog = page.getByRole('dialog', { name: /^Import / });
    const unify = dialog.getByRole('button', { name: 'Import as BTC-USDT', exact: true });
    await expect.poll(() => unify.count(), { timeout: 30_000 }).toBe(2);
    // Symbols read off file names are said to be guesses.
    const guesses = await dialog.getByRole('note').allTextContents();
    expect(guesses).toHaveLength(2);
    expect(guesses[0]).toMatch(/Symbol BTCUSDT is a guess from the file name BTCUSDT_1m_/);
    await screenshot(page, '6d-import-same-instrument');

    await unify.first().click();
    await expect
      .poll(() => dialog.getByRole('rowheader', { name: 'BTC-USDT', exact: true }).count(), {
        timeout: 30_000,
      })
      .toBe(2);
    expect(await unify.count()).toBe(0);
    expect(await dialog.getByRole('rowheader', { name: 'BTCUSDT', exact: true }).count()).toBe(0);
    await screenshot(page, '6e-import-unified');

    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    const done = dialog.getByRole('status').filter({ hasText: 'Imported into parquet' });
    await expect.poll(() => done.count(), { timeout: 60_000 }).toBe(1);
    expect(await done.textContent()).toContain(
      `BTC-USDT bars 1m: ${(plain.rows + dashed.rows).toLocaleString('en-US')} rows, 2 days`,
    );
    expect(await done.textContent()).not.toContain('BTCUSDT');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await expect.poll(() => catalogRows(page, 'BTC-USDT').count()).toBe(2);
    expect(await catalogRows(page, 'BTCUSDT').count()).toBe(0);
  });
});
