/**
 * `npm start` where Electron's binary is missing says what to run instead, in plain words, and
 * fails without electron-vite's stack trace.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm start without an Electron binary', () => {
  it('names npm run web and exits non-zero', async () => {
    const result = await run(resolve('node_modules/.bin/tsx'), [resolve('scripts/start.ts')], {
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Cannot start the desktop app: .*does not exist\.$/m);
    expect(result.stderr).toContain('npm run -s web');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
