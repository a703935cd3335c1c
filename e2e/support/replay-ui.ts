/**
 * The replay screen as a user sees it: every control found by its role and accessible name
 * (what the issue promises), never by CSS class, except the chart legend, which has no role.
 */
import type { Locator, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './build';
import type { PageCanvas, PageElement, PageGlobals } from './page-globals';

export function controls(page: Page) {
  const button = (name: string): Locator => page.getByRole('button', { name, exact: true });
  return {
    start: button('Start'),
    play: button('Play'),
    pause: button('Pause'),
    step: button('Step'),
    stop: button('Stop'),
    importButton: button('Import…'),
    speed: page.getByRole('combobox', { name: 'Speed', exact: true }),
    layout: page.getByRole('combobox', { name: 'Layout', exact: true }),
    symbol: (cell = 1): Locator =>
      page.getByRole('combobox', { name: cell === 1 ? 'Symbol' : `Symbol ${cell}`, exact: true }),
    intervalTab: (interval: string, cell = 1): Locator =>
      page
        .getByRole('tablist', { name: cell === 1 ? 'Interval' : `Interval ${cell}`, exact: true })
        .getByRole('tab', { name: interval, exact: true }),
    clock: page.getByRole('timer', { name: 'Backtest clock' }),
    state: page.getByLabel('Session state', { exact: true }),
    log: page.getByRole('log'),
    rawJson: page.getByLabel('Raw JSON', { exact: true }),
    sessionTable: page.getByRole('table', { name: 'Session data' }),
    chart: (cell = 1): Locator =>
      page.getByRole('region', { name: new RegExp(`^Chart${cell === 1 ? '' : ` ${cell}`}: `) }),
  };
}

/**
 * The backtest clock's UTC value in epoch ms, read from its hover text
 * (`2024-03-04 14:30:01.000 UTC`), or null before the first item.
 */
export async function clockUtc(page: Page): Promise<number | null> {
  const title = await controls(page).clock.getAttribute('title');
  const match = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) UTC$/.exec(title ?? '');
  if (!match) return null;
  return Date.parse(`${match[1]}T${match[2]}Z`);
}

/** The session-data table's row for a symbol, keyed by column header. */
export async function sessionRow(page: Page, symbol: string): Promise<Record<string, string>> {
  return controls(page).sessionTable.evaluate((element, sym) => {
    const table = element as unknown as PageElement;
    const text = (e: PageElement): string => (e.textContent ?? '').trim();
    const headers = Array.from(table.querySelectorAll('thead th')).map(text);
    for (const row of Array.from(table.querySelectorAll('tbody tr'))) {
      const cells = Array.from(row.children).map(text);
      if (cells[0] !== sym) continue;
      return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
    }
    return {};
  }, symbol);
}

export function count(text: string | undefined): number {
  return text === undefined || text === '' ? Number.NaN : Number(text.replace(/,/g, ''));
}

/** Waits until the page has painted at least `frames` more animation frames. */
export async function frames(page: Page, n = 2): Promise<void> {
  await page.evaluate(
    (k) =>
      new Promise<void>((resolve) => {
        const g = globalThis as unknown as PageGlobals;
        let left = k;
        const tick = (): void => (--left <= 0 ? resolve() : void g.requestAnimationFrame(tick));
        g.requestAnimationFrame(tick);
      }),
    n,
  );
}

/** Polls `read` until `done` holds for its value; returns that value. */
export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface LegendBar {
  open: number;
  high: number;
  low: number;
  close: number;
}

/** The chart legend's `O … H … L … C …` (the forming bar when nothing is hovered). */
export async function legendBar(page: Page, cell = 1): Promise<LegendBar | null> {
  const text = await controls(page).chart(cell).locator('.legend-ohlc').textContent();
  const m = /O ([\d.]+)\s+H ([\d.]+)\s+L ([\d.]+)\s+C ([\d.]+)/.exec(text ?? '');
  if (!m) return null;
  return { open: Number(m[1]), high: Number(m[2]), low: Number(m[3]), close: Number(m[4]) };
}

/**
 * How many pixels of each colour (`#rrggbb`, within a small tolerance for anti-aliasing) the
 * chart's canvases hold: the corroboration that candles or quote lines were really drawn, as
 * opposed to only counted.
 */
export async function chartPixels(page: Page, colors: string[], cell = 1): Promise<number[]> {
  return controls(page)
    .chart(cell)
    .evaluate((element, hexes) => {
      const section = element as unknown as PageElement;
      const targets = hexes.map((h) => [1, 3, 5].map((o) => parseInt(h.slice(o, o + 2), 16)));
      const counts = targets.map(() => 0);
      for (const canvas of Array.from(
        section.querySelectorAll('canvas'),
      ) as unknown as PageCanvas[]) {
        if (canvas.width === 0 || canvas.height === 0) continue;
        const ctx = canvas.getContext('2d');
        if (!ctx) continue;
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        for (let i = 0; i < data.length; i += 4) {
          if (data[i + 3] < 200) continue;
          targets.forEach(([r, g, b], k) => {
            if (
              Math.abs(data[i] - r) <= 12 &&
              Math.abs(data[i + 1] - g) <= 12 &&
              Math.abs(data[i + 2] - b) <= 12
            ) {
              counts[k] += 1;
            }
          });
        }
      }
      return counts;
    }, colors);
}

/**
 * The renderer's chart palette, read from its source (the Node half cannot import renderer
 * files), so a changed colour can never leave these probes counting the wrong pixels.
 */
function paletteColor(name: string): string {
  const file = join(REPO_ROOT, 'src/renderer/src/components/charts/chart-theme.ts');
  const match = new RegExp(`\\b${name}: '(#[0-9a-fA-F]{6})'`).exec(readFileSync(file, 'utf8'));
  if (!match) throw new Error(`${file}: no '#rrggbb' colour named ${name}`);
  return match[1];
}

export const CANDLE_COLORS = [paletteColor('up'), paletteColor('down')];
export const QUOTE_COLORS = [paletteColor('bid'), paletteColor('ask')];
export const MID_COLORS = [paletteColor('mid')];
export const PRINT_COLORS = [paletteColor('print')];
