import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppInfo, SessionSnapshot, SessionStatus } from '../../src/shared/ipc-contract';
import type { WebServer } from '../../src/main/web/web-server';
import { connect, demoServer, upgradeStatus } from './web-helpers';

let server: WebServer;
beforeAll(async () => {
  server = await demoServer();
});
afterAll(() => server.close());

/** A raw GET, so the Host header and path go out exactly as given. */
function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('browser-mode host over HTTP', () => {
  it('listens on 127.0.0.1 only', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) return; // no other interface on this machine to try
    const refused = await new Promise<string>((resolve) => {
      const req = request({ host: external.address, port: server.port, path: '/' }, () =>
        resolve('answered'),
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      req.end();
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('refuses requests without the token (401) or with a wrong one (403)', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/assets/app.js')).status).toBe(401);
    expect((await get('/?token=')).status).toBe(401);
    expect((await get('/?token=nope')).status).toBe(403);
    expect((await get(`/?token=${server.token}x`)).status).toBe(403);
    expect((await get('/', { Cookie: 'tapedeck_token=nope' })).status).toBe(403);
  });

  it('serves index.html with the strict CSP and remembers the token for assets', async () => {
    const page = await get(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Tapedeck</title>');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await get('/assets/app.js', { Cookie: cookie.split(';')[0]! });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('serves nothing outside the renderer, only GET and HEAD, only to our own host name', async () => {
    const t = `token=${server.token}`;
    expect((await get(`/../../etc/passwd?${t}`)).status).toBe(404);
    expect((await get(`/%2e%2e/%2e%2e/etc/passwd?${t}`)).status).toBe(404);
    expect((await get(`/assets/..%2f..%2f..%2fetc%2fpasswd?${t}`)).status).toBe(404);
    expect((await get(`/missing.js?${t}`)).status).toBe(404);
    expect((await get(`/?${t}`, {}, 'POST')).status).toBe(405);
    expect((await get(`/?${t}`, {}, 'HEAD')).status).toBe(200);
    // DNS rebinding: a page at evil.example resolving to 127.0.0.1 still names its own host.
    expect((await get(`/?${t}`, { Host: `evil.example:${server.port}` })).status).toBe(403);
  });
});

describe('browser-mode host over the WebSocket', () => {
  const wsUrl = (token?: string): string =>
    `ws://127.0.0.1:${server.port}/ws${token === undefined ? '' : `?token=${token}`}`;

  it('refuses upgrades without the token, with a wrong one, or from another origin', async () => {
    expect(await upgradeStatus(wsUrl())).toBe(401);
    expect(await upgradeStatus(wsUrl('nope'))).toBe(403);
    expect(await upgradeStatus(wsUrl(server.token), { Origin: 'http://evil.example' })).toBe(403);
    expect(
      await upgradeStatus(`ws://127.0.0.1:${server.port}/elsewhere?token=${server.token}`),
    ).toBe(404);
    expect(
      await upgradeStatus(wsUrl(server.token), { Origin: `http://127.0.0.1:${server.port}` }),
    ).toBe(101);
  });

  it('answers requests, refuses bad ones with issues, and pushes session events', async () => {
    const client = await connect(wsUrl(server.token), {
      Origin: `http://127.0.0.1:${server.port}`,
    });
    try {
      const info = await client.call('appInfo');
      expect('result' in info && (info.result as AppInfo).host).toBe('browser');
      const config = (info as { result: AppInfo }).result.defaultConfig;
      const started = await client.call('startSession', { config });
      expect((started as { result: SessionSnapshot }).result.status.state).toBe('paused');
      const step = await client.call('controlSession', { action: 'step' });
      expect((step as { result: SessionStatus }).result.clock).toBe(
        Date.parse('2024-03-04T14:30:01Z'),
      );
      const bad = await client.call('setSpeed', { speed: 'fast' });
      expect('error' in bad && bad.error.issues?.[0]).toMatch(/^speed: /);
      const unknown = await client.call('deleteEverything', {});
      expect('error' in unknown && unknown.error.message).toMatch(/Unknown request/);
      // A reply of nothing is still a reply.
      const cancel = await client.call('importCancel', { importId: 'none' });
      expect(cancel).toEqual({ id: cancel.id, result: null });
      expect(client.events.some((e) => e.event === 'sessionUpdate')).toBe(true);
      expect(client.events.some((e) => e.event === 'log')).toBe(true);
      client.socket.send('not json');
      const stop = await client.call('controlSession', { action: 'stop' });
      expect((stop as { result: SessionStatus }).result.state).toBe('stopped');
    } finally {
      client.close();
    }
  });
});
