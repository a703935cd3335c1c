/**
 * A local stand-in for Binance on 127.0.0.1: a `ws` WebSocketServer at /stream that sends
 * what the test tells it to, and a node http server answering /api/v3/klines from a list of
 * bars. Faults are injected by the test: drop every connection, go silent, answer REST with
 * an error status, refuse a symbol.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { restRow, type TestBar } from './capture';

export class BinanceTestServer {
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private readonly clients = new Set<WebSocket>();
  private readonly connectWaiters: Array<(ws: WebSocket) => void> = [];
  /** Every /stream request's `streams` parameter, in order. */
  readonly subscriptions: string[] = [];
  /** Every klines request's query, in order. */
  readonly restRequests: URLSearchParams[] = [];
  /** Statuses to answer the next klines requests with, one each, before answering normally. */
  restFaults: number[] = [];
  /** Symbols Binance would not know: REST answers 400 -1121, the socket upgrade 400. */
  unknownSymbols = new Set<string>();
  bars: TestBar[] = [];
  symbol = 'BTCUSDT';
  /** While set, every new WebSocket upgrade is answered 503 (an outage that outlasts a drop). */
  refusing = false;

  private constructor() {
    this.http = createServer((req, res) => this.answerRest(req, res));
    this.wss = new WebSocketServer({ noServer: true });
    this.http.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const streams = url.searchParams.get('streams') ?? '';
      const unknown = streams
        .split('/')
        .some((s) => this.unknownSymbols.has(s.split('@')[0]!.toUpperCase()));
      if (this.refusing) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      if (url.pathname !== '/stream' || streams === '' || unknown) {
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.subscriptions.push(streams);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.clients.add(ws);
        ws.on('close', () => this.clients.delete(ws));
        const waiter = this.connectWaiters.shift();
        waiter?.(ws);
      });
    });
  }

  static async start(): Promise<BinanceTestServer> {
    const server = new BinanceTestServer();
    await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get connections(): number {
    return this.clients.size;
  }

  /** Resolves with the next client to connect. */
  nextClient(): Promise<WebSocket> {
    return new Promise((resolve) => this.connectWaiters.push(resolve));
  }

  /** Sends frames to every connected client; resolves once they are written. */
  async send(frames: readonly string[]): Promise<void> {
    await Promise.all(
      [...this.clients].map(
        (ws) =>
          new Promise<void>((resolve) => {
            for (let i = 0; i < frames.length; i++) {
              ws.send(frames[i]!, i === frames.length - 1 ? () => resolve() : undefined);
            }
            if (frames.length === 0) resolve();
          }),
      ),
    );
  }

  /** Drops every connection at once, as a network failure would (no close frame). */
  drop(): void {
    for (const ws of this.clients) ws.terminate();
  }

  async stop(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private answerRest(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/api/v3/klines') {
      res.writeHead(404).end();
      return;
    }
    const q = url.searchParams;
    this.restRequests.push(q);
    const fault = this.restFaults.shift();
    if (fault !== undefined) {
      res
        .writeHead(fault, { 'content-type': 'application/json' })
        .end('{"code":-1003,"msg":"Too many requests"}');
      return;
    }
    const symbol = q.get('symbol') ?? '';
    if (this.unknownSymbols.has(symbol) || symbol !== this.symbol) {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end('{"code":-1121,"msg":"Invalid symbol."}');
      return;
    }
    const start = Number(q.get('startTime'));
    const end = Number(q.get('endTime'));
    const limit = Number(q.get('limit') ?? 500);
    const rows = this.bars
      .filter((b) => b.start >= start && b.start <= end)
      .slice(0, limit)
      .map(restRow);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows));
  }
}
