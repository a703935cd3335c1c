/**
 * The harness under the flows: the Chromium launch (flags, a fresh profile each time) and the
 * browser-mode host as the tests spawn it (the URL line, the token, a clean stop).
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { launchChromium } from './support/chromium';
import { tempDataDir, type DataDir } from './support/demo-fixture';
import type { PageGlobals } from './support/page-globals';
import { chromiumOrSkip } from './support/requirements';
import { startWebHost, type WebHost } from './support/web-host';

const chromiumPath = chromiumOrSkip('harness');

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves with the HTTP status the host answered a WebSocket upgrade with (101 = accepted). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

describe.skipIf(chromiumPath === null)('headless Chromium', () => {
  it('starts with a fresh profile each time', async () => {
    const first = await launchChromium(chromiumPath!);
    const page = first.context.pages()[0] ?? (await first.context.newPage());
    await page.goto('about:blank');
    const cookies = await first.context.cookies();
    expect(cookies).toEqual([]);
    await first.context.addCookies([
      { name: 'left', value: 'behind', domain: 'example.invalid', path: '/' },
    ]);
    expect(await first.context.cookies()).toHaveLength(1);
    const agent = await page.evaluate(
      () => (globalThis as unknown as PageGlobals).navigator.userAgent,
    );
    expect(agent).toMatch(/HeadlessChrome|Chrome\/\d+/);
    await first.close();

    const second = await launchChromium(chromiumPath!);
    expect(await second.context.cookies()).toEqual([]);
    await second.close();
  });
});

describe('browser-mode host as spawned by the tests', () => {
  let data: DataDir;
  let host: WebHost;

  beforeAll(async () => {
    data = tempDataDir();
    host = await startWebHost({ dataDir: data.path });
  });

  afterAll(async () => {
    await host?.stop();
    data?.remove();
  });

  it('binds 127.0.0.1 and serves the renderer with its token', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(host.token.length).toBeGreaterThanOrEqual(16);
    const response = await fetch(host.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<html');
  });

  it('refuses a page request without the token, or with a wrong one', async () => {
    expect((await fetch(`${host.origin}/`)).status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${host.origin}/?token=wrong${host.token}`)).status).toBeGreaterThanOrEqual(
      400,
    );
  });

  it('refuses a WebSocket without the token', async () => {
    const ws = host.origin.replace('http:', 'ws:');
    expect(await upgradeStatus(`${ws}/ws`)).toBeGreaterThanOrEqual(400);
    expect(await upgradeStatus(`${ws}/ws?token=wrong`)).toBeGreaterThanOrEqual(400);
  });

  it('stops cleanly: nothing listens on its port afterwards', async () => {
    const port = Number(new URL(host.origin).port);
    expect(await portOpen(port)).toBe(true);
    await host.stop();
    expect(await portOpen(port)).toBe(false);
  });
});
