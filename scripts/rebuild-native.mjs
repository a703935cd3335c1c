#!/usr/bin/env node
/**
 * postinstall: builds better-sqlite3 for Electron's ABI, beside — never over — the Node build.
 *
 * A native addon loads only into the ABI it was built for. Rebuilding node_modules/better-sqlite3
 * for Electron in place (what electron-rebuild does) would break the tests and the CLI, which run
 * under Node. So the package is copied to .native/electron-<version>/better-sqlite3 and built
 * there (a prebuilt binary via prebuild-install, else node-gyp against Electron's headers); the
 * app hands that file to better-sqlite3 as `nativeBinding` when it runs inside Electron
 * (src/main/storage/sqlite/native-binding.ts).
 *
 * It steps aside, with one line saying why, when there is nothing to build for: CI or
 * TAPEDECK_SKIP_ELECTRON_REBUILD set, or no Electron binary (Electron's npm package downloads it
 * lazily; where that download fails, as offline, there is no desktop app to serve). It never
 * fails an install: any error is a warning and exit 0.
 *
 * Environment: TAPEDECK_REBUILD_ROOT (project root; default this script's parent directory),
 * TAPEDECK_REBUILD_TIMEOUT_MS (per step, default 300000).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TAG = '[tapedeck] Electron rebuild of better-sqlite3';
const root = resolve(
  process.env.TAPEDECK_REBUILD_ROOT || join(dirname(fileURLToPath(import.meta.url)), '..'),
);
const timeout = Number(process.env.TAPEDECK_REBUILD_TIMEOUT_MS) || 300_000;
const modules = join(root, 'node_modules');

function skip(reason) {
  console.log(
    `${TAG} skipped: ${reason}. Tests and the CLI use the Node build in node_modules; ` +
      'run "node scripts/rebuild-native.mjs" once Electron is installed to build the desktop one.',
  );
  process.exit(0);
}

function warn(reason) {
  console.warn(
    `${TAG} failed (install continues; the Node build is untouched): ${reason}. ` +
      'Retry with "node scripts/rebuild-native.mjs".',
  );
  process.exit(0);
}

function isSet(name) {
  const value = process.env[name];
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Runs a Node script; returns { ok, why } with the last line it printed on failure. */
function runNode(args, cwd, env = {}) {
  const result = spawnSync(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status === 0) return { ok: true };
  const output = `${result.stderr ?? ''}\n${result.stdout ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const why = result.error
    ? result.error.code === 'ETIMEDOUT'
      ? `timed out after ${timeout} ms`
      : result.error.message
    : `exit ${result.status ?? result.signal}${output[0] ? `: ${output[0].slice(0, 200)}` : ''}`;
  return { ok: false, why };
}

function electronBinary(electronDir) {
  try {
    const path = join(electronDir, 'dist', readFileSync(join(electronDir, 'path.txt'), 'utf8'));
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function main() {
  if (isSet('TAPEDECK_SKIP_ELECTRON_REBUILD')) skip('TAPEDECK_SKIP_ELECTRON_REBUILD is set');
  if (isSet('CI')) skip('CI is set');

  const electronDir = join(modules, 'electron');
  const electron = readJson(join(electronDir, 'package.json'))?.version;
  if (!electron) skip(`the electron package is not installed in ${modules}`);

  if (!electronBinary(electronDir)) {
    const install = runNode([join(electronDir, 'install.js')], electronDir);
    if (!install.ok || !electronBinary(electronDir)) {
      skip(
        `the Electron ${electron} binary is absent and downloading it failed ` +
          `(node_modules/electron/install.js: ${install.why ?? 'no binary afterwards'})`,
      );
    }
  }

  const source = join(modules, 'better-sqlite3');
  const sqlite = readJson(join(source, 'package.json'))?.version;
  if (!sqlite) skip(`better-sqlite3 is not installed in ${modules}`);

  const home = join(root, '.native', `electron-${electron}`);
  const target = join(home, 'better-sqlite3');
  const addon = join(target, 'build', 'Release', 'better_sqlite3.node');
  const stampFile = join(home, 'build.json');
  const stamp = { electron, betterSqlite3: sqlite, arch: process.arch, platform: process.platform };
  if (existsSync(addon) && JSON.stringify(readJson(stampFile)) === JSON.stringify(stamp)) {
    console.log(`${TAG} for Electron ${electron} is up to date (${relative(root, addon)}).`);
    return;
  }

  rmSync(home, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  // The sources only: the Node build in build/ must neither be copied nor mistaken for ours.
  const skipDir = join(source, 'build');
  cpSync(source, target, {
    recursive: true,
    filter: (path) => path !== skipDir && !path.startsWith(skipDir + sep),
  });

  const attempts = [];
  const prebuild = join(modules, 'prebuild-install', 'bin.js');
  if (existsSync(prebuild)) {
    const args = [prebuild, '--runtime', 'electron', '--target', electron, '--arch', process.arch];
    const result = runNode(args, target);
    if (!result.ok) attempts.push(`prebuild-install: ${result.why}`);
  } else {
    attempts.push('prebuild-install: not installed');
  }
  if (!existsSync(addon)) {
    const gyp = findNodeGyp();
    if (gyp) {
      const result = runNode(
        [
          gyp,
          'rebuild',
          '--release',
          `--target=${electron}`,
          `--arch=${process.arch}`,
          '--dist-url=https://electronjs.org/headers',
          '--runtime=electron',
        ],
        target,
        { npm_config_runtime: 'electron', npm_config_target: electron },
      );
      if (!result.ok) attempts.push(`node-gyp: ${result.why}`);
    } else {
      attempts.push('node-gyp: not found');
    }
  }
  if (!existsSync(addon)) {
    rmSync(home, { recursive: true, force: true });
    warn(`no ${relative(root, addon)} after ${attempts.join('; ')}`);
  }
  writeFileSync(stampFile, `${JSON.stringify(stamp)}\n`);
  console.log(
    `${TAG}: built for Electron ${electron} at ${relative(root, addon)} ` +
      '(node_modules keeps the Node build).',
  );
}

/** npm tells scripts where its bundled node-gyp is; else a local one, else npm's beside node. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(modules, 'node-gyp', 'bin', 'node-gyp.js'),
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  return candidates.find((path) => path && existsSync(path));
}

try {
  main();
} catch (error) {
  warn(error instanceof Error ? error.message : String(error));
}
