/**
 * The browser host's API socket: one JSON request/response per message, events broadcast to
 * every open socket. The upgrade is refused unless it shows the run's token, comes from our
 * own origin (a browser always sends Origin, and a page elsewhere cannot fake it; an upgrade
 * without one is not from our page) and names our host (no DNS rebinding).
 *
 * A bad frame (unmasked, reserved bits set, invalid UTF-8, a length over `maxPayload`) is the
 * one client's problem: ws reports it on that socket and closes it with the matching code
 * (1002, 1007, 1009), and the host goes on serving everyone else. `maxPayload` is checked
 * against the frame header, so an oversized message is refused before it is buffered.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH, type WsEvent, type WsRequest, type WsResponse } from '../../shared/ws-protocol';
import type { Output, Reply, RequestName } from '../../shared/ipc-contract';
import { toApiError } from '../service/api-error';
import { validateRequest } from '../service/request-validation';
import type { ApiBackend } from '../service/api-backend';
import { checkToken, presentedToken } from './access-token';

export interface GatewayOptions {
  backend: ApiBackend;
  token: string;
  /** Origins (and Host headers, without scheme) the socket accepts. */
  origins: () => { origins: string[]; hosts: string[] };
  /** Largest message accepted, in bytes; large uploads travel as many chunk messages. */
  maxPayload: number;
  /** Where a refused frame or a broken connection is reported (the host's log). */
  onProblem?: (message: string) => void;
}

export function attachGateway(server: Server, options: GatewayOptions): () => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload });
  const problem = options.onProblem ?? (() => undefined);
  wss.on('error', (error) => problem(`WebSocket server: ${error.message}`));
  const offEvents = options.backend.onEvent((event, payload) => {
    const text = JSON.stringify({ event, payload } satisfies WsEvent);
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer that resets mid-handshake must not take the host down with it.
    socket.on('error', () => socket.destroy());
    const refusal = refuse(req, options);
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, options.backend, problem));
  });

  return () =>
    new Promise((resolve) => {
      offEvents();
      for (const client of wss.clients) client.terminate();
      wss.close(() => resolve());
    });
}

/** The status line to refuse an upgrade with, or null to accept it. */
function refuse(req: IncomingMessage, options: GatewayOptions): string | null {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== WS_PATH) return '404 Not Found';
  const allowed = options.origins();
  if (!allowed.hosts.includes(req.headers.host ?? '')) return '403 Forbidden';
  const token = checkToken(options.token, presentedToken(req, url));
  if (token === 'missing') return '401 Unauthorized';
  if (token === 'wrong') return '403 Forbidden';
  const origin = req.headers.origin;
  if (origin === undefined || !allowed.origins.includes(origin)) return '403 Forbidden';
  return null;
}

function serve(ws: WebSocket, backend: ApiBackend, problem: (message: string) => void): void {
  // ws closes the socket itself after an error, with the close code the error carries.
  ws.on('error', (error: Error & { code?: string }) =>
    problem(`WebSocket client refused: ${error.message}${error.code ? ` (${error.code})` : ''}`),
  );
  ws.on('message', (data, isBinary) => {
    let request: WsRequest;
    try {
      if (isBinary) throw new Error('binary message');
      request = JSON.parse(data.toString()) as WsRequest;
      if (typeof request !== 'object' || request === null || !Number.isSafeInteger(request.id)) {
        throw new Error('a request is {id, method, params}');
      }
    } catch (error) {
      const reply: WsResponse = {
        id: -1,
        error: { message: `Malformed message: ${(error as Error).message}` },
      };
      ws.send(JSON.stringify(reply));
      return;
    }
    const { id, method, params } = request;
    new Promise<unknown>((resolve) =>
      resolve(forward(backend, validateRequest(method, params))),
    ).then(
      (result) => send(ws, { id, result: result ?? null }),
      (error: unknown) => send(ws, { id, error: toApiError(error) }),
    );
  });
}

/** A validated request, handed on under its name. */
function forward<K extends RequestName>(
  backend: ApiBackend,
  { name, request }: { name: K; request: Output<K> },
): Promise<Reply<K>> {
  return backend.request(name, request);
}

function send(ws: WebSocket, reply: WsResponse): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
}
