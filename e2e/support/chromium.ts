/**
 * Where the end-to-end tests find a Chromium, and how they launch it.
 *
 * Search order: `TAPEDECK_CHROMIUM` (an explicit path always wins, and must exist), Debian's
 * `/usr/bin/chromium`, Ubuntu's `/usr/bin/chromium-browser`, then Playwright's own download cache
 * (`~/.cache/ms-playwright/chromium-*`, newest first), so a developer who ran
 * `npx playwright install chromium` is covered too.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export type ChromiumSearch =
  { found: true; path: string; source: string } | { found: false; reason: string };

/** Flags for a quiet, reproducible headless run on a shared machine or a CI container. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The executable inside one Playwright cache folder, per platform. */
function cachedExecutables(folder: string): string[] {
  return [
    join(folder, 'chrome-linux', 'chrome'),
    join(folder, 'chrome-linux64', 'chrome'),
    join(folder, 'chrome-mac', 'Chromium.app', 'Contents', 'MacOS', 'Chromium'),
    join(folder, 'chrome-win', 'chrome.exe'),
  ];
}

function playwrightCacheRoot(env: NodeJS.ProcessEnv): string {
  return env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== '0'
    ? env.PLAYWRIGHT_BROWSERS_PATH
    : join(homedir(), '.cache', 'ms-playwright');
}

/** `chromium-1187` before `chromium-1169`: the newest download first. */
function revision(name: string): number {
  return Number(/^chromium-(\d+)$/.exec(name)?.[1] ?? -1);
}

export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  exists: (path: string) => boolean = existsSync,
  listCache: (root: string) => string[] = (root) => (existsSync(root) ? readdirSync(root) : []),
): ChromiumSearch {
  const explicit = env.TAPEDECK_CHROMIUM;
  if (explicit) {
    return exists(explicit)
      ? { found: true, path: explicit, source: 'TAPEDECK_CHROMIUM' }
      : { found: false, reason: `TAPEDECK_CHROMIUM=${explicit} does not exist` };
  }
  for (const path of SYSTEM_PATHS) {
    if (exists(path)) return { found: true, path, source: 'system' };
  }
  const root = playwrightCacheRoot(env);
  const folders = listCache(root)
    .filter((name) => revision(name) >= 0)
    .sort((a, b) => revision(b) - revision(a));
  for (const folder of folders) {
    const path = cachedExecutables(join(root, folder)).find(exists);
    if (path) return { found: true, path, source: `Playwright cache (${folder})` };
  }
  return {
    found: false,
    reason:
      `no Chromium found (looked at TAPEDECK_CHROMIUM, ${SYSTEM_PATHS.join(', ')} and ` +
      `${join(root, 'chromium-*')}); install one with \`apt-get install chromium\` or ` +
      `\`npx playwright install chromium\`, or set TAPEDECK_CHROMIUM`,
  };
}

/** A headless Chromium with a fresh profile, removed again on close. */
export interface LaunchedChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(
  executablePath: string,
  options: {
    viewport?: { width: number; height: number };
    /** The page's own time zone (the computer's, as the app sees it); the host's by default. */
    timezoneId?: string;
  } = {},
): Promise<LaunchedChromium> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'tapedeck-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: options.viewport ?? { width: 1400, height: 900 },
      ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
    });
    // Functions handed to page.evaluate are sent as source text. Under tsx (the benchmarks),
    // esbuild's keepNames wraps named inner functions in a `__name(fn, "name")` helper that
    // exists only in Node; an identity stand-in lets that text run in the page unchanged.
    await context.addInitScript({
      content: 'globalThis.__name = globalThis.__name || ((fn) => fn);',
    });
    return {
      context,
      async close() {
        await context.close().catch(() => undefined);
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
}
