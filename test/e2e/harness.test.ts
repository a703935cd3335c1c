/**
 * The e2e harness's own decisions, which must hold on machines without a browser: where
 * Chromium is looked for, how the host's URL line is read, and when the app needs building.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILD_OUTPUTS, buildStaleness } from '../../e2e/support/build';
import { findChromium } from '../../e2e/support/chromium';
import { electronDisplayProblem, findElectron } from '../../e2e/support/electron-binary';
import { parseHostUrl } from '../../e2e/support/web-host';

const HOME_CACHE = join(process.env.HOME ?? '', '.cache', 'ms-playwright');

function fakeFs(paths: string[]): (path: string) => boolean {
  const set = new Set(paths);
  return (path) => set.has(path);
}

describe('findChromium', () => {
  const none = (): string[] => [];

  it('prefers TAPEDECK_CHROMIUM over the system Chromium', () => {
    const found = findChromium(
      { TAPEDECK_CHROMIUM: '/opt/c/chrome', HOME: process.env.HOME },
      fakeFs(['/opt/c/chrome', '/usr/bin/chromium']),
      none,
    );
    expect(found).toEqual({ found: true, path: '/opt/c/chrome', source: 'TAPEDECK_CHROMIUM' });
  });

  it('reports a TAPEDECK_CHROMIUM that does not exist instead of falling back', () => {
    const found = findChromium({ TAPEDECK_CHROMIUM: '/nope' }, fakeFs(['/usr/bin/chromium']), none);
    expect(found.found).toBe(false);
    if (!found.found) expect(found.reason).toContain('/nope');
  });

  it("takes Debian's chromium, then chromium-browser", () => {
    expect(findChromium({}, fakeFs(['/usr/bin/chromium-browser']), none)).toMatchObject({
      path: '/usr/bin/chromium-browser',
    });
    expect(
      findChromium({}, fakeFs(['/usr/bin/chromium', '/usr/bin/chromium-browser']), none),
    ).toMatchObject({ path: '/usr/bin/chromium' });
  });

  it("falls back to Playwright's cache, newest revision first", () => {
    const old = join(HOME_CACHE, 'chromium-1100', 'chrome-linux', 'chrome');
    const newer = join(HOME_CACHE, 'chromium-1187', 'chrome-linux', 'chrome');
    const found = findChromium({}, fakeFs([old, newer]), () => [
      'ffmpeg-1011',
      'chromium-1100',
      'chromium-1187',
      'chromium_headless_shell-1187',
    ]);
    expect(found).toMatchObject({ found: true, path: newer });
  });

  it('honours PLAYWRIGHT_BROWSERS_PATH', () => {
    const exe = join('/pw', 'chromium-1200', 'chrome-linux', 'chrome');
    const found = findChromium({ PLAYWRIGHT_BROWSERS_PATH: '/pw' }, fakeFs([exe]), (root) =>
      root === '/pw' ? ['chromium-1200'] : [],
    );
    expect(found).toMatchObject({ path: exe });
  });

  it('says where it looked when there is none', () => {
    const found = findChromium({}, fakeFs([]), none);
    expect(found.found).toBe(false);
    if (!found.found) {
      expect(found.reason).toContain('/usr/bin/chromium');
      expect(found.reason).toContain('TAPEDECK_CHROMIUM');
    }
  });
});

describe('parseHostUrl', () => {
  it('reads the port and the token from the first line', () => {
    expect(parseHostUrl('http://127.0.0.1:41234/?token=abc123\n')).toEqual({
      url: 'http://127.0.0.1:41234/?token=abc123',
      port: 41234,
      token: 'abc123',
    });
  });

  it('refuses anything but loopback with a token', () => {
    expect(parseHostUrl('http://0.0.0.0:80/?token=abc')).toBeNull();
    expect(parseHostUrl('http://127.0.0.1:80/')).toBeNull();
    expect(parseHostUrl('Listening on http://127.0.0.1:80/?token=abc')).toBeNull();
  });
});

describe('buildStaleness', () => {
  let root: string | null = null;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = null;
  });

  function project(): string {
    root = mkdtempSync(join(tmpdir(), 'tapedeck-build-'));
    mkdirSync(join(root, 'src'), { recursive: true });
    writeFileSync(join(root, 'src', 'a.ts'), '');
    return root;
  }

  function touch(path: string, seconds: number): void {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '');
    utimesSync(path, seconds, seconds);
  }

  it('asks for a build when an output is missing', () => {
    const dir = project();
    expect(buildStaleness(dir)).toMatch(/missing out\/renderer\/index\.html/);
  });

  it('asks for a build when a source is newer than the oldest output', () => {
    const dir = project();
    for (const out of BUILD_OUTPUTS) touch(join(dir, out), 1_000);
    touch(join(dir, 'src', 'deep', 'b.ts'), 2_000);
    utimesSync(join(dir, 'src', 'a.ts'), 500, 500);
    utimesSync(join(dir, 'src', 'deep'), 500, 500);
    utimesSync(join(dir, 'src'), 500, 500);
    expect(buildStaleness(dir)).toMatch(/sources changed/);
  });

  it('leaves a fresh build alone', () => {
    const dir = project();
    utimesSync(join(dir, 'src', 'a.ts'), 500, 500);
    utimesSync(join(dir, 'src'), 500, 500);
    for (const out of BUILD_OUTPUTS) touch(join(dir, out), 1_000);
    expect(buildStaleness(dir)).toBeNull();
  });
});

describe('electronDisplayProblem', () => {
  it('needs a display on Linux only', () => {
    const problem = electronDisplayProblem({});
    if (process.platform === 'linux') expect(problem).toMatch(/xvfb-run/);
    else expect(problem).toBeNull();
    expect(electronDisplayProblem({ DISPLAY: ':99' })).toBeNull();
  });
});

describe('findElectron', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  /** A fake node_modules/electron: path.txt as its postinstall writes it, and maybe the binary. */
  function fakePackage(withBinary: boolean): string {
    dir = mkdtempSync(join(tmpdir(), 'tapedeck-electron-pkg-'));
    writeFileSync(join(dir, 'path.txt'), 'electron');
    if (withBinary) touchFile(join(dir, 'dist', 'electron'));
    return dir;
  }

  function touchFile(path: string): void {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '');
  }

  it('finds the downloaded binary the way require("electron") would', () => {
    const pkg = fakePackage(true);
    expect(findElectron({}, pkg)).toEqual({ found: true, path: join(pkg, 'dist', 'electron') });
  });

  it('reports a missing download instead of starting one', () => {
    const pkg = fakePackage(false);
    const found = findElectron({}, pkg);
    expect(found.found).toBe(false);
    if (!found.found) expect(found.reason).toContain(join(pkg, 'dist', 'electron'));
    rmSync(join(pkg, 'path.txt'));
    const never = findElectron({}, pkg);
    expect(never.found).toBe(false);
    if (!never.found) expect(never.reason).toMatch(/never downloaded/);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const pkg = fakePackage(false);
    const dist = join(pkg, 'elsewhere');
    touchFile(join(dist, 'electron'));
    expect(findElectron({ ELECTRON_OVERRIDE_DIST_PATH: dist }, pkg)).toEqual({
      found: true,
      path: join(dist, 'electron'),
    });
  });

  it('says so when the package itself is absent', () => {
    expect(findElectron({}, null)).toEqual({
      found: false,
      reason: 'the electron package is not installed',
    });
  });
});
