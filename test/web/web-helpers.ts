/**
 * A browser-mode server on a free port over the demo data, with a tiny stand-in renderer so
 * the tests need no build, and a minimal JSON-over-WebSocket client.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { WsResponse } from '../../src/shared/ws-protocol';
import { inProcessBackend } from '../../src/main/service/api-backend';
import { startWebServer, type WebServer } from '../../src/main/web/web-server';
import { demoData } from '../service/service-helpers';

export function fakeRenderer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-renderer-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Tapedeck</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1);');
  return dir;
}

export async function demoServer(): Promise<WebServer> {
  return startWebServer({
    port: 0,
    rendererDir: fakeRenderer(),
    backend: inProcessBackend({ dataDir: demoData(), host: 'browser' }),
  });
}

export interface Client {
  socket: WebSocket;
  events: Array<{ event: string; payload: unknown }>;
  call(method: string, params?: unknown): Promise<WsResponse>;
  close(): void;
}

/** Connects as the host's own page does: with its Origin, unless `headers` says otherwise. */
export function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const origin = new URL(url.replace(/^ws/, 'http')).origin;
  const socket = new WebSocket(url, { headers: { Origin: origin, ...headers } });
  const events: Client['events'] = [];
  const pending = new Map<number, (reply: WsResponse) => void>();
  let nextId = 1;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as WsResponse | { event: string; payload: unknown };
    if ('event' in message) events.push(message);
    else pending.get(message.id)?.(message);
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
    );
    socket.once('open', () =>
      resolve({
        socket,
        events,
        call(method, params) {
          const id = nextId++;
          return new Promise((done) => {
            pending.set(id, done);
            socket.send(JSON.stringify({ id, method, params }));
          });
        },
        close: () => socket.close(),
      }),
    );
  });
}

/** The HTTP status a refused upgrade answered with. */
export async function upgradeStatus(
  url: string,
  headers: Record<string, string> = {},
): Promise<number> {
  try {
    const client = await connect(url, headers);
    client.close();
    return 101;
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
}
