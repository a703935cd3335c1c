/**
 * The end-to-end tests drive the BUILT app (what `npm run web` and Electron serve), so they build
 * it first when `out/` is missing or older than any source file. A fresh build is left alone:
 * `npm run test:e2e` after `npm run build` costs nothing extra.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What the hosts load: the renderer page, the Electron entry and its preload. */
export const BUILD_OUTPUTS = [
  'out/renderer/index.html',
  'out/main/index.js',
  'out/preload/index.cjs',
];
const BUILD_INPUTS = ['src', 'electron.vite.config.ts', 'package.json'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Why a build is needed, or null when `out/` is up to date. */
export function buildStaleness(root = REPO_ROOT): string | null {
  const missing = BUILD_OUTPUTS.filter((out) => !existsSync(join(root, out)));
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  const built = Math.min(...BUILD_OUTPUTS.map((out) => statSync(join(root, out)).mtimeMs));
  const inputs = BUILD_INPUTS.map((p) => join(root, p)).filter(existsSync);
  const changed = Math.max(...inputs.map(newestMtime));
  return changed > built ? 'sources changed since the last build' : null;
}

/**
 * Runs `npm run build` when needed; throws with the build's output when it fails.
 * `TAPEDECK_E2E_NO_BUILD=1` uses `out/` as it is (when iterating on the tests themselves).
 */
export function ensureBuilt(log: (line: string) => void = console.log): void {
  const why = buildStaleness();
  if (why === null) return;
  if (process.env.TAPEDECK_E2E_NO_BUILD === '1') {
    log(`[e2e] not building (TAPEDECK_E2E_NO_BUILD=1), although ${why}`);
    return;
  }
  log(`[e2e] building the app (${why}): npm run build`);
  const started = performance.now();
  const result = spawnSync('npm', ['run', '-s', 'build'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 600_000,
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n');
    throw new Error(
      `npm run build failed (exit ${result.status ?? result.signal}):\n` +
        output.slice(-40).join('\n'),
    );
  }
  log(`[e2e] built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
