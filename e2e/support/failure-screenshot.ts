/** A screenshot of whatever the page showed when a flow failed, beside the flows' own. */
import { afterEach } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './screenshots';

export function screenshotOnFailure(page: () => Page | undefined): void {
  afterEach(async (context) => {
    const current = page();
    if (!current || context.task.result?.state !== 'fail') return;
    const name = context.task.name.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60);
    await screenshot(current, `FAILED-${name}`).catch(() => undefined);
  });
}
