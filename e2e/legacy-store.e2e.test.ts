/**
 * The app on a store still in the old flat layout: the catalog and Start both say so, with the
 * command that migrates it, and the session does not open on half the data.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from './support/app';
import { openApp } from './support/app';
import { screenshotOnFailure } from './support/failure-screenshot';
import { controls, waitFor } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { DemoStores } from '../test/storage/legacy-store';

const chromiumPath = chromiumOrSkip('old-layout store');

describe.skipIf(!chromiumPath)('an old-layout store in the app', { timeout: 180_000 }, () => {
  let stores: DemoStores;
  let app: RunningApp;
  let data: string;
  beforeAll(async () => {
    stores = new DemoStores();
    data = stores.legacyCopy();
    app = await openApp(chromiumPath!, {
      data: { path: data, writeConfig: () => '', remove: () => undefined },
      config: join(data, 'configs', 'demo.json'),
    });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    stores?.remove();
  });
  screenshotOnFailure(() => app?.page);

  it('names the migrate command when a session is started', async () => {
    const hint = 'npm run catalog -- migrate';
    await waitFor(() => controls(app.page).start.isEnabled(), Boolean, 'Start to be enabled');
    await controls(app.page).start.click();
    await waitFor(
      () => app.page.getByText(hint).count(),
      (n) => n > 0,
      'the migrate hint',
      60_000,
    );
    await screenshot(app.page, 'legacy-store-refused');
    expect(await app.page.getByText(hint).first().textContent()).toContain(data);
  });
});
