/**
 * Where the Electron launch test finds Electron's binary, without downloading it.
 *
 * `require('electron')` returns the binary's path, but when the binary is absent it starts a
 * download (node_modules/electron/index.js), which is slow, needs the network, and on this build
 * machine fails. So this reads the same facts the package reads (`path.txt` beside it, the
 * `dist/` folder, `ELECTRON_OVERRIDE_DIST_PATH`) and only reports.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronSearch = { found: true; path: string } | { found: false; reason: string };

function electronPackageDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

export function findElectron(
  env: NodeJS.ProcessEnv = process.env,
  packageDir: string | null = electronPackageDir(),
): ElectronSearch {
  if (packageDir === null) return { found: false, reason: 'the electron package is not installed' };
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, relative ?? 'electron');
    return existsSync(path)
      ? { found: true, path }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH binary ${path} does not exist` };
  }
  if (relative === null) {
    return {
      found: false,
      reason:
        'the Electron binary was never downloaded (node_modules/electron/path.txt is missing; ' +
        'its postinstall download failed or was skipped)',
    };
  }
  const path = join(packageDir, 'dist', relative);
  return existsSync(path)
    ? { found: true, path }
    : { found: false, reason: `the Electron binary ${path} does not exist` };
}

/** Electron on Linux needs a display server; headless CI runs it under xvfb-run. */
export function electronDisplayProblem(env: NodeJS.ProcessEnv = process.env): string | null {
  if (process.platform !== 'linux') return null;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return null;
  return 'no display server (DISPLAY/WAYLAND_DISPLAY unset); run under xvfb-run';
}
