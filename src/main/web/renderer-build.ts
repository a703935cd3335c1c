/**
 * The browser host serves the built renderer; this makes sure the build is there and not
 * older than the renderer's (or the shared contract's) sources, building it when it is.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** Why the renderer needs building, or null when `out/renderer` is current. */
export function rendererStaleness(root: string): string | null {
  let built: number;
  try {
    built = statSync(join(root, 'out', 'renderer', 'index.html')).mtimeMs;
  } catch {
    return 'out/renderer/index.html is missing';
  }
  const sources = Math.max(
    newestMtime(join(root, 'src', 'renderer')),
    newestMtime(join(root, 'src', 'shared')),
  );
  return sources > built ? 'the renderer sources changed since the last build' : null;
}

/** Runs `electron-vite build`, its output on stderr (stdout's first line is the URL). */
export function buildRenderer(root: string): void {
  const bin = join(root, 'node_modules', '.bin', 'electron-vite');
  const result = spawnSync(bin, ['build'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.status !== 0) {
    throw new Error(`electron-vite build failed (exit ${result.status ?? result.signal})`);
  }
}
