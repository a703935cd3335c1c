/**
 * The browser-mode host: the built renderer and the API socket on 127.0.0.1 only, behind a
 * per-run token (docs/design.md §6). Every response carries the strict CSP; only GET and HEAD of
 * the renderer's own files are served.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MAX_MESSAGE_BYTES } from '../../shared/ipc-contract';
import { TOKEN_PARAM, WS_PATH } from '../../shared/ws-protocol';
import type { ApiBackend } from '../service/api-backend';
import { contentSecurityPolicy } from '../service/content-security-policy';
import { checkToken, newToken, presentedToken, tokenCookie } from './access-token';
import { resolveStatic, sendStatic } from './static-files';
import { attachGateway } from './ws-gateway';

export const WEB_HOST = '127.0.0.1';

export interface WebServerOptions {
  /** 0 picks a free port. */
  port: number;
  rendererDir: string;
  backend: ApiBackend;
  /** Default: a fresh random one. */
  token?: string;
  /** Where a refused WebSocket frame or connection is reported (default: nowhere). */
  onProblem?: (message: string) => void;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** `http://127.0.0.1:PORT/?token=…`: what a user opens. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? newToken();
  let port = options.port;
  const hosts = (): string[] => [`${WEB_HOST}:${port}`, `localhost:${port}`];
  const origins = (): string[] => hosts().map((h) => `http://${h}`);
  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${WEB_HOST}:${port}`);
    const base = securityHeaders(port);
    if (!hosts().includes(req.headers.host ?? '')) return plain(res, 403, 'Unknown host', base);
    const presented = presentedToken(req, url);
    const check = checkToken(token, presented);
    if (check === 'missing') return plain(res, 401, 'A token is required', base);
    if (check === 'wrong') return plain(res, 403, 'Wrong token', base);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return plain(res, 405, 'Method not allowed', { ...base, Allow: 'GET, HEAD' });
    }
    if (url.pathname === WS_PATH) return plain(res, 426, 'Use a WebSocket', base);
    const file = resolveStatic(options.rendererDir, url.pathname);
    const headers: Record<string, string> = { ...base };
    // Remember the token for the page's own asset requests, which carry no query.
    if (url.searchParams.has(TOKEN_PARAM)) headers['Set-Cookie'] = tokenCookie(token);
    if (!file || !(await sendStatic(res, file, headers, req.method === 'HEAD'))) {
      return plain(res, 404, 'Not found', base);
    }
  };
  // Requests are GETs of small files; a body is never read, so none can pile up.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const closeGateway = attachGateway(server, {
    backend: options.backend,
    token,
    origins: () => ({ origins: origins(), hosts: hosts() }),
    // One upload chunk's base64 plus its JSON: larger files travel as many messages.
    maxPayload: MAX_MESSAGE_BYTES,
    ...(options.onProblem ? { onProblem: options.onProblem } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, WEB_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://${WEB_HOST}:${port}/?${TOKEN_PARAM}=${token}`,
    async close() {
      await closeGateway();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

export function defaultRendererDir(root: string): string {
  return join(root, 'out', 'renderer');
}

function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy([
      `ws://${WEB_HOST}:${port}`,
      `ws://localhost:${port}`,
    ]),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

function plain(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string>,
): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}
