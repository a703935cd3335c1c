/**
 * Errors appear where the user acted, once: a Start refused for missing data is explained under
 * Start; a config that cannot be loaded is named beside Load while the picker goes back to the
 * config still in the editor; a file the importer cannot read opens the import dialog on the
 * reason. Save as asks before replacing a file, and Load asks before discarding edits.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningApp } from './support/app';
import { openReadyApp } from './support/demo-app';
import { demoDataDir, type DataDir } from './support/demo-fixture';
import { screenshotOnFailure } from './support/failure-screenshot';
import { controls } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';

const chromiumPath = chromiumOrSkip('errors where the user acted');

/** A session start or a config load takes seconds on a loaded machine, not vitest's 1 s. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000 });

async function setRaw(page: Page, edit: (config: Record<string, unknown>) => void): Promise<void> {
  const raw = controls(page).rawJson;
  const config = JSON.parse(await raw.inputValue()) as Record<string, unknown>;
  edit(config);
  await raw.fill(JSON.stringify(config, null, 2));
}

async function logLines(page: Page, pattern: RegExp): Promise<number> {
  const text = (await controls(page).log.textContent()) ?? '';
  return text.split(/(?=\d\d:\d\d:\d\d)/).filter((l) => pattern.test(l)).length;
}

describe.skipIf(chromiumPath === null)('errors where the user acted (browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;
  screenshotOnFailure(() => app?.page);

  beforeAll(async () => {
    data = demoDataDir();
    writeFileSync(join(data.path, 'configs', 'broken.json'), '{ "session_name": "broken", ');
    app = await openReadyApp(chromiumPath!, { data });
  });

  afterAll(async () => {
    await app?.close();
    data?.remove();
  });

  it('7a: a Start refused for missing data is explained under Start, once', async () => {
    const { page } = app;
    const original = await controls(page).rawJson.inputValue();
    await setRaw(page, (config) => {
      (config.data_streams as unknown[]).push({ type: 'bars', symbol: 'NOPE', interval: '1m' });
    });
    await controls(page).start.click();
    const refused = page.getByRole('alert', { name: 'Start refused' });
    await poll(() => refused.count()).toBe(1);
    expect(await refused.textContent()).toMatch(/NOPE/);
    // Nothing on screen repeats it: the alert, and the host's one record in the Log.
    await poll(() => logLines(page, /NOPE/)).toBe(1);
    await screenshot(page, '7a-start-refused');
    await refused.getByRole('button', { name: 'Dismiss' }).click();
    expect(await refused.count()).toBe(0);
    await controls(page).rawJson.fill(original);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await poll(() => controls(page).start.isEnabled()).toBe(true);
  });

  it('7b: a config that cannot be loaded is named beside Load; Save keeps the right name', async () => {
    const { page } = app;
    const picker = page.getByRole('combobox', { name: 'Config file', exact: true });
    expect(await picker.inputValue()).toBe('demo.json');
    await picker.selectOption('broken.json');
    await page.getByRole('button', { name: 'Load', exact: true }).click();
    const failure = page.locator('.config-files').getByRole('alert');
    await poll(() => failure.textContent()).toMatch(/^Cannot load broken\.json: /);
    expect(await picker.inputValue()).toBe('demo.json');
    expect(await page.getByRole('status').filter({ hasText: 'Config is valid.' }).count()).toBe(1);
    await screenshot(page, '7b-broken-config');
    // broken.json on disk is untouched by a Save, which writes the config shown to demo.json.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await poll(() => failure.count()).toBe(0);
    expect(readFileSync(join(data.path, 'configs', 'broken.json'), 'utf8')).toBe(
      '{ "session_name": "broken", ',
    );
  });

  it('11: Save as asks before replacing a file; Load asks before discarding edits', async () => {
    const { page } = app;
    const asked: string[] = [];
    let answer = false;
    const onDialog = (d: import('playwright-core').Dialog): void => {
      asked.push(d.message());
      void (answer ? d.accept() : d.dismiss());
    };
    page.on('dialog', onDialog);
    try {
      const demoFile = join(data.path, 'configs', 'demo.json');
      const before = readFileSync(demoFile, 'utf8');
      await setRaw(page, (config) => {
        config.session_name = 'edited';
      });
      await page.getByRole('textbox', { name: 'New config name' }).fill('demo');
      await page.getByRole('button', { name: 'Save as', exact: true }).click();
      await poll(() => asked.length).toBe(1);
      expect(asked[0]).toBe('demo.json exists. Replace it?');
      expect(readFileSync(demoFile, 'utf8')).toBe(before);

      await page.getByRole('button', { name: 'Load', exact: true }).click();
      await poll(() => asked.length).toBe(2);
      expect(asked[1]).toBe('Discard your edits and load demo.json?');
      expect(await page.getByRole('textbox', { name: 'Session name' }).inputValue()).toBe('edited');
      answer = true;
      await page.getByRole('button', { name: 'Load', exact: true }).click();
      await poll(() => page.getByRole('textbox', { name: 'Session name' }).inputValue()).toBe(
        'demo',
      );
    } finally {
      page.off('dialog', onDialog);
    }
  });

  it('7c: a file the importer cannot read opens the import dialog on the reason', async () => {
    const { page } = app;
    await page.getByLabel('Import files').setInputFiles({
      name: 'notes.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4'),
    });
    const dialog = page.getByRole('dialog', { name: 'Import notes.pdf' });
    await poll(() => dialog.count()).toBe(1);
    await poll(() => dialog.getByRole('alert').textContent()).toMatch(
      /notes\.pdf: not a file the importer reads/,
    );
    await screenshot(page, '7c-import-not-data');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  });
});
