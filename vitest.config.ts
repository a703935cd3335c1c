import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Vitest's default is one worker per core less one: a single worker on a 2-core machine.
    // Many files wait on child processes (the CLIs, sweeps, live feeds), so two overlap well.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
