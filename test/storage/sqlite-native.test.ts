/**
 * scripts/rebuild-native.mjs (postinstall) and the binding lookup it pairs with. The script is
 * run against throwaway project roots (TAPEDECK_REBUILD_ROOT) holding fake electron,
 * better-sqlite3 and prebuild-install packages, so no network and no compiler is needed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  electronBindingPath,
  electronNativeBinding,
} from '../../src/main/storage/sqlite/native-binding';
import { makeTempDir, removeTempDir } from './sqlite-helpers';

const SCRIPT = resolve('scripts/rebuild-native.mjs');
const VERSION = '45.5.0';

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

describe('scripts/rebuild-native.mjs', () => {
  let root: string;
  beforeEach(() => {
    root = makeTempDir('tapedeck-native-');
  });
  afterEach(() => removeTempDir(root));

  function runScript(env: Record<string, string | undefined> = {}) {
    const base = { ...process.env };
    for (const name of ['CI', 'TAPEDECK_SKIP_ELECTRON_REBUILD', 'npm_config_node_gyp']) {
      delete base[name];
    }
    const result = spawnSync(process.execPath, [SCRIPT], {
      encoding: 'utf8',
      env: { ...base, TAPEDECK_REBUILD_ROOT: root, ...env },
      timeout: 60_000,
    });
    return { status: result.status, out: `${result.stdout}${result.stderr}`.trim() };
  }

  /** A fake electron package; `install` is the body of its install.js. */
  function fakeElectron(install: string): void {
    const dir = join(root, 'node_modules', 'electron');
    write(join(dir, 'package.json'), JSON.stringify({ name: 'electron', version: VERSION }));
    write(join(dir, 'install.js'), install);
  }

  const SKIPPED = '[tapedeck] Electron rebuild of better-sqlite3 skipped: ';

  it('skips, exit 0, when the Electron binary is absent and its download fails', () => {
    fakeElectron(
      `console.error('RequestError: getaddrinfo ENOTFOUND github.com'); process.exit(1);`,
    );
    const { status, out } = runScript();
    expect(status).toBe(0);
    expect(out.split('\n')).toHaveLength(1);
    expect(out).toContain(
      `${SKIPPED}the Electron ${VERSION} binary is absent and downloading it failed ` +
        '(node_modules/electron/install.js: exit 1: RequestError: getaddrinfo ENOTFOUND github.com)',
    );
    expect(existsSync(join(root, '.native'))).toBe(false);
  });

  it('skips when electron is not installed at all', () => {
    const { status, out } = runScript();
    expect(status).toBe(0);
    expect(out).toContain(`${SKIPPED}the electron package is not installed in`);
  });

  it('skips on CI and on TAPEDECK_SKIP_ELECTRON_REBUILD, before looking at anything', () => {
    fakeElectron('throw new Error("must not run")');
    expect(runScript({ CI: 'true' })).toEqual({
      status: 0,
      out: expect.stringContaining(`${SKIPPED}CI is set.`),
    });
    expect(runScript({ TAPEDECK_SKIP_ELECTRON_REBUILD: '1' }).out).toContain(
      `${SKIPPED}TAPEDECK_SKIP_ELECTRON_REBUILD is set.`,
    );
    // "false" and "0" mean not set.
    expect(runScript({ CI: 'false' }).out).toContain('downloading it failed');
  });

  describe('with an Electron binary present', () => {
    const nodeBuild = () =>
      join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

    beforeEach(() => {
      // install.js would download; here the binary is already there.
      fakeElectron('process.exit(1)');
      write(join(root, 'node_modules', 'electron', 'path.txt'), 'electron');
      write(join(root, 'node_modules', 'electron', 'dist', 'electron'), '');
      const sqlite = join(root, 'node_modules', 'better-sqlite3');
      write(
        join(sqlite, 'package.json'),
        JSON.stringify({ name: 'better-sqlite3', version: '12.0.0' }),
      );
      write(join(sqlite, 'binding.gyp'), '{}');
      write(nodeBuild(), 'NODE BUILD');
    });

    /** A prebuild-install that records its arguments and, if `succeed`, writes the addon. */
    function fakePrebuild(succeed: boolean): void {
      write(
        join(root, 'node_modules', 'prebuild-install', 'bin.js'),
        `const fs = require('fs');
         fs.writeFileSync('args.json', JSON.stringify(process.argv.slice(2)));
         if (${succeed}) {
           fs.mkdirSync('build/Release', { recursive: true });
           fs.writeFileSync('build/Release/better_sqlite3.node', 'ELECTRON BUILD');
         } else { console.error('No prebuilt binaries found'); process.exit(1); }`,
      );
    }

    it('builds into .native/electron-<version>, leaving the Node build untouched', () => {
      fakePrebuild(true);
      const { status, out } = runScript();
      expect(status).toBe(0);
      const addon = electronBindingPath(root, VERSION);
      expect(out).toContain(`built for Electron ${VERSION}`);
      expect(readFileSync(addon, 'utf8')).toBe('ELECTRON BUILD');
      const target = join(root, '.native', `electron-${VERSION}`, 'better-sqlite3');
      expect(JSON.parse(readFileSync(join(target, 'args.json'), 'utf8'))).toEqual([
        '--runtime',
        'electron',
        '--target',
        VERSION,
        '--arch',
        process.arch,
      ]);
      expect(readFileSync(nodeBuild(), 'utf8')).toBe('NODE BUILD');
      // A second install finds it up to date.
      expect(runScript().out).toContain('is up to date');
      expect(electronNativeBinding({ root, versions: { electron: VERSION } })).toBe(addon);
    });

    it('warns and exits 0 when prebuild-install and node-gyp both fail, leaving nothing', () => {
      fakePrebuild(false);
      const gyp = join(root, 'fake-gyp.js');
      write(gyp, `console.error('gyp ERR! connect ENETUNREACH'); process.exit(1);`);
      const { status, out } = runScript({ npm_config_node_gyp: gyp });
      expect(status).toBe(0);
      expect(out).toContain(
        '[tapedeck] Electron rebuild of better-sqlite3 failed (install continues',
      );
      expect(out).toContain('prebuild-install: exit 1: No prebuilt binaries found');
      expect(out).toContain('node-gyp: exit 1: gyp ERR! connect ENETUNREACH');
      expect(existsSync(join(root, '.native', `electron-${VERSION}`))).toBe(false);
      expect(readFileSync(nodeBuild(), 'utf8')).toBe('NODE BUILD');
    });
  });

  it('is the package.json postinstall', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.scripts.postinstall).toBe('node scripts/rebuild-native.mjs');
  });
});

describe('electronNativeBinding', () => {
  it('is undefined under plain Node', () => {
    expect(process.versions.electron).toBeUndefined();
    expect(electronNativeBinding()).toBeUndefined();
  });

  it('is undefined under Electron when no Electron build exists', () => {
    const root = makeTempDir('tapedeck-native-');
    expect(electronNativeBinding({ root, versions: { electron: '99.0.0' } })).toBeUndefined();
    removeTempDir(root);
  });
});
