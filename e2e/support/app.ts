/**
 * One running app for a test file: the browser-mode host on a temp data directory, a headless
 * Chromium with a fresh profile, and a page opened at the host's tokened URL.
 */
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedChromium } from './chromium';
import type { DataDir } from './demo-fixture';
import { startWebHost, type WebHost } from './web-host';

export interface RunningApp {
  page: Page;
  host: WebHost;
  browser: LaunchedChromium;
  /** Console errors and uncaught exceptions in the page, for failure messages. */
  pageErrors: string[];
  /** API methods the page called over the host's WebSocket, in order (from page load on). */
  calls: string[];
  /** Replies to the page's calls, in order of arrival: the method, its params and result. */
  replies: { method: string; params: unknown; result: unknown }[];
  close(): Promise<void>;
}

export interface OpenAppOptions {
  data: DataDir;
  /** A config file for `--config`. */
  config?: string;
  viewport?: { width: number; height: number };
  /** The browser's time zone, to show nothing depends on it. */
  timezoneId?: string;
}

export async function openApp(chromiumPath: string, options: OpenAppOptions): Promise<RunningApp> {
  const host = await startWebHost({ dataDir: options.data.path, config: options.config });
  let browser: LaunchedChromium | null = null;
  try {
    browser = await launchChromium(chromiumPath, {
      viewport: options.viewport,
      timezoneId: options.timezoneId,
    });
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
    });
    const calls: string[] = [];
    const replies: RunningApp['replies'] = [];
    page.on('websocket', (socket) => {
      const asked = new Map<unknown, { method: string; params: unknown }>();
      socket.on('framesent', ({ payload }) => {
        try {
          const frame = JSON.parse(String(payload)) as {
            id?: unknown;
            method?: unknown;
            params?: unknown;
          };
          if (typeof frame.method === 'string') {
            calls.push(frame.method);
            asked.set(frame.id, { method: frame.method, params: frame.params });
          }
        } catch {
          calls.push('(not JSON)');
        }
      });
      socket.on('framereceived', ({ payload }) => {
        try {
          const frame = JSON.parse(String(payload)) as { id?: unknown; result?: unknown };
          const call = asked.get(frame.id);
          if (!call || !('result' in frame)) return;
          asked.delete(frame.id);
          replies.push({ ...call, result: frame.result });
        } catch {
          // Not a reply: pushed updates are JSON too, and anything else is not ours to read.
        }
      });
    });
    await page.goto(host.url);
    const launched = browser;
    return {
      page,
      host,
      browser: launched,
      pageErrors,
      calls,
      replies,
      async close() {
        await launched.close();
        await host.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await host.stop();
    throw error;
  }
}
