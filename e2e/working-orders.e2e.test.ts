/**
 * Resting orders in the Orders & fills panel: a strategy leaves a limit and a stop working,
 * both are listed, and Cancel removes one through the engine (browser-mode host).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { RunningApp } from './support/app';
import { openReadyApp } from './support/demo-app';
import { demoDataWithStrategy, type DataDir } from './support/demo-fixture';
import { screenshotOnFailure } from './support/failure-screenshot';
import { waitFor } from './support/replay-ui';
import { chromiumOrSkip } from './support/requirements';
import { screenshot } from './support/screenshots';
import { startFresh, step } from './support/session-steps';

const chromiumPath = chromiumOrSkip('working orders');

const RESTING = `let placed = false;
export default {
  onQuote(q, ctx) {
    if (placed || q.symbol !== 'AAPL') return;
    placed = true;
    ctx.buy('AAPL', 10, { type: 'limit', price: 1 });
    ctx.sell('AAPL', 5, { type: 'stop', stop: 1 });
  },
};
`;

describe.skipIf(chromiumPath === null)('working orders (demo data, browser mode)', () => {
  let data: DataDir;
  let app: RunningApp;

  beforeAll(async () => {
    data = demoDataWithStrategy({ file: 'resting.ts' });
    writeFileSync(join(data.path, 'strategies', 'resting.ts'), RESTING);
    app = await openReadyApp(chromiumPath!, { data });
  }, 180_000);

  screenshotOnFailure(() => app?.page);

  afterAll(async () => {
    await app?.close();
    data?.remove();
  });

  it('lists the resting limit and stop, and Cancel removes the limit', async () => {
    const page = app.page;
    await startFresh(page);
    const rows = page.getByRole('table', { name: 'Working orders' }).locator('tbody tr');
    for (let i = 0; i < 20 && (await rows.count()) < 2; i++) await step(page);
    await waitFor(
      () => rows.allTextContents(),
      (t) => t.length === 2 && /limit 1\.00/.test(t[0]!) && /stop 1\.00/.test(t[1]!),
      'the limit and the stop to be listed',
    );
    await rows.first().scrollIntoViewIfNeeded();
    await screenshot(page, 'working-orders');
    await page.getByRole('button', { name: /^Cancel order \d+ \(buy 10 AAPL\)$/ }).click();
    await waitFor(
      () => rows.allTextContents(),
      (t) => t.length === 1 && /stop 1\.00/.test(t[0]!),
      'the limit to be cancelled',
    );
  }, 180_000);
});
