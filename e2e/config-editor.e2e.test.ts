/**
 * The config editor refuses what the engine would refuse, before anything starts: a 5m base
 * interval (and a second bar stream for a symbol) shows the seed plan's message next to the
 * stream's row, and Start stays disabled until the config is valid again. Typing whole symbols
 * into the streams table keeps the focus; each stream is its own row; a mistyped key is listed
 * above the form with its path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningApp } from './support/app';
import { openDemoApp } from './support/demo-app';
import { screenshotOnFailure } from './support/failure-screenshot';
import type { DataDir } from './support/demo-fixture';
import { controls } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';

const chromiumPath = chromiumOrSkip('config editor flow');

const FIVE_MINUTE_BASE =
  "Invalid bar interval: 5m. Only '1s' or '1m' are supported as base intervals. " +
  'Derived intervals (5m, 15m, etc.) are computed automatically.';

interface StreamJson {
  type: string;
  symbol: string;
  interval?: string;
}

async function editRaw(
  page: Page,
  edit: (config: { data_streams: StreamJson[] }) => void,
): Promise<void> {
  const raw = controls(page).rawJson;
  const config = JSON.parse(await raw.inputValue()) as { data_streams: StreamJson[] };
  edit(config);
  await raw.fill(JSON.stringify(config, null, 2));
}

/** The messages tied to a field through aria-describedby, as a screen reader would read them. */
async function describedBy(page: Page, label: string): Promise<string> {
  const field = page.getByLabel(label, { exact: true });
  await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).textContent()));
  return texts.join('\n');
}

describe.skipIf(chromiumPath === null)('config editor (browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;
  screenshotOnFailure(() => app?.page);

  beforeAll(async () => {
    ({ data, app } = await openDemoApp(chromiumPath!));
  });

  afterAll(async () => {
    await app?.close();
    data?.remove();
  });

  it('5: a 5m base interval shows the inline error and Start is disabled', async () => {
    const { page } = app;
    const ui = controls(page);
    let original = '';
    await editRaw(page, (config) => {
      const aapl = config.data_streams.findIndex((s) => s.type === 'bars' && s.symbol === 'AAPL');
      expect(aapl).toBeGreaterThanOrEqual(0);
      original = config.data_streams[aapl].interval!;
      config.data_streams[aapl].interval = '5m';
    });
    expect(original).toBe('1s');
    // The form shows what the JSON holds, with the message beside the row.
    const row = page
      .getByRole('row')
      .filter({
        has: page.getByRole('textbox', { name: /symbol$/ }).and(page.locator('[value="AAPL"]')),
      })
      .filter({ has: page.getByRole('combobox', { name: /interval$/ }) });
    const bars = row.getByRole('combobox', { name: /interval$/ });
    await expect.poll(() => bars.inputValue()).toBe('5m');
    const barsLabel = (await bars.getAttribute('aria-label'))!;
    expect(await describedBy(page, barsLabel)).toContain(FIVE_MINUTE_BASE);
    await expect.poll(() => ui.start.isDisabled()).toBe(true);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'cannot start' }).count())
      .toBe(1);
    await screenshot(page, '5-config-5m-error');

    // Fixing it in the form lifts the block.
    await bars.selectOption('1s');
    await expect.poll(() => ui.start.isEnabled()).toBe(true);
    expect(await page.getByText(FIVE_MINUTE_BASE).count()).toBe(0);
  });

  it("5b: a second bar stream for a symbol is refused with the plan's wording", async () => {
    const { page } = app;
    await editRaw(page, (config) => {
      config.data_streams.push({ type: 'bars', symbol: 'AAPL', interval: '1m' });
    });
    await expect
      .poll(() =>
        page
          .getByText('Duplicate bar stream for AAPL. Found both 1s and 1m.', { exact: false })
          .count(),
      )
      .toBeGreaterThan(0);
    await expect.poll(() => controls(page).start.isDisabled()).toBe(true);
    // The form shows the second stream as its own row, and removing it there fixes the config.
    const rows = await page.getByRole('textbox', { name: /^Stream \d+ symbol$/ }).count();
    const last = page.getByRole('textbox', { name: `Stream ${rows} symbol`, exact: true });
    expect(await last.inputValue()).toBe('AAPL');
    expect(
      await page
        .getByRole('combobox', { name: `Stream ${rows} interval`, exact: true })
        .inputValue(),
    ).toBe('1m');
    expect(await describedBy(page, `Stream ${rows} symbol`)).toContain('Duplicate bar stream');
    await screenshot(page, '6-config-duplicate-stream-row');
    await page.getByRole('button', { name: `Remove stream ${rows}`, exact: true }).click();
    await expect.poll(() => controls(page).start.isEnabled()).toBe(true);
  });

  it('1: whole symbols typed into the streams table keep the focus', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Add stream', exact: true }).click();
    const rows = await page.getByRole('textbox', { name: /^Stream \d+ symbol$/ }).count();
    const added = page.getByRole('textbox', { name: `Stream ${rows} symbol`, exact: true });
    await added.click();
    await page.keyboard.type('AAPL');
    expect(await added.inputValue()).toBe('AAPL');
    expect(await added.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    // Typing on into an existing symbol appends where the caret is, and stays there.
    const first = page.getByRole('textbox', { name: 'Stream 1 symbol', exact: true });
    const before = await first.inputValue();
    await first.click();
    await page.keyboard.press('End');
    await page.keyboard.type('XYZ');
    expect(await first.inputValue()).toBe(`${before}XYZ`);
    expect(await first.evaluate((e) => e === e.ownerDocument.activeElement)).toBe(true);
    await screenshot(page, '1-config-typed-symbols');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    expect(await first.inputValue()).toBe(before);
    await page.getByRole('button', { name: `Remove stream ${rows}`, exact: true }).click();
    await expect.poll(() => controls(page).start.isEnabled()).toBe(true);
  });

  it('5c: a mistyped key is listed above the form with its path', async () => {
    const { page } = app;
    const raw = controls(page).rawJson;
    const config = JSON.parse(await raw.inputValue()) as {
      backtest_config?: Record<string, unknown>;
    };
    const original = await raw.inputValue();
    config.backtest_config = { ...config.backtest_config, speed_multiplyer: 10 };
    await raw.fill(JSON.stringify(config, null, 2));
    const listed = page.locator('#err-config');
    await expect.poll(() => listed.textContent()).toMatch(/backtest_config: .*speed_multiplyer/);
    await expect.poll(() => controls(page).start.isDisabled()).toBe(true);
    await screenshot(page, '5-config-mistyped-key');
    await raw.fill(original);
    await expect.poll(() => controls(page).start.isEnabled()).toBe(true);
  });
});
