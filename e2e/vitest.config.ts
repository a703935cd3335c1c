/**
 * The end-to-end suite (`npm run test:e2e`): the built app driven in a real Chromium through the
 * browser-mode host, and in Electron where its binary exists. Vitest is the runner, with
 * playwright-core as the driver (@playwright/test is not a dependency).
 *
 * Files run one after another: each starts a host and a browser, and the machines this runs on
 * (CI containers, a laptop running other things) are small.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
