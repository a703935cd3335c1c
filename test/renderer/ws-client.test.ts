import { describe, expect, it } from 'vitest';
import { WsApiClient, wsApi, type SocketLike } from '../../src/renderer/src/api/ws-client';
import { ApiCallError, parseFrame } from '../../src/renderer/src/api/rpc-protocol';
import { socketUrl } from '../../src/renderer/src/api/get-api';
import { REQUEST_NAMES } from '../../src/shared/ipc-channels';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(value: unknown): void {
    this.onmessage?.({ data: typeof value === 'string' ? value : JSON.stringify(value) });
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const problems: string[] = [];
  const client = new WsApiClient(
    'ws://127.0.0.1:9/ws?token=t',
    (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    { schedule: (fn, ms) => timers.push({ fn, ms }), onProblem: (m) => problems.push(m) },
  );
  return { client, api: wsApi(client), sockets, timers, problems };
}

describe('WsApiClient', () => {
  it('queues calls until the socket opens, then resolves them by id', async () => {
    const { api, sockets } = setup();
    const info = api.appInfo();
    const bars = api.getBars({ symbol: 'AAPL', interval: '1s' });
    expect(sockets[0].sent).toEqual([]);
    sockets[0].open();
    expect(sockets[0].sent.map((t) => JSON.parse(t))).toEqual([
      { id: 1, method: 'appInfo' },
      { id: 2, method: 'getBars', params: { symbol: 'AAPL', interval: '1s' } },
    ]);
    sockets[0].receive({ id: 2, result: { time: [1] } });
    sockets[0].receive({ id: 1, result: { name: 'tapedeck' } });
    await expect(info).resolves.toEqual({ name: 'tapedeck' });
    await expect(bars).resolves.toEqual({ time: [1] });
  });

  it('rejects with the host’s message and every issue', async () => {
    const { api, sockets } = setup();
    sockets[0].open();
    const p = api.setSpeed({ speed: -1 });
    sockets[0].receive({
      id: 1,
      error: { message: 'Invalid setSpeed request', issues: ['speed: Too small'] },
    });
    const error = await p.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiCallError);
    expect((error as Error).message).toBe('Invalid setSpeed request: speed: Too small');
  });

  it('fans events out to subscribers by name, and unsubscribes', () => {
    const { api, sockets } = setup();
    sockets[0].open();
    const seen: unknown[] = [];
    const off = api.onLog((e) => seen.push(e));
    sockets[0].receive({ event: 'log', payload: { message: 'a' } });
    sockets[0].receive({ event: 'tapedeck:log', payload: { message: 'b' } });
    off();
    sockets[0].receive({ event: 'log', payload: { message: 'c' } });
    expect(seen).toEqual([{ message: 'a' }, { message: 'b' }]);
  });

  it('reports frames it cannot read instead of throwing', () => {
    const { sockets, problems } = setup();
    sockets[0].open();
    sockets[0].receive('not json');
    sockets[0].receive({ event: 'nonsense' });
    expect(problems).toEqual([
      'Ignored a frame from the host is not JSON',
      'Ignored unknown event "nonsense" from the host',
    ]);
  });

  it('fails calls in flight on a lost connection, reconnects with backoff and says so', async () => {
    const { client, api, sockets, timers } = setup();
    const states: string[] = [];
    client.onConnection((s) => states.push(s));
    sockets[0].open();
    const lost = api.snapshot();
    sockets[0].drop();
    await expect(lost).rejects.toThrow('snapshot: the connection to the host was lost');
    const queued = api.catalog();
    expect(timers.map((t) => t.ms)).toEqual([250]);
    timers[0].fn();
    expect(sockets).toHaveLength(2);
    sockets[1].drop();
    expect(timers.map((t) => t.ms)).toEqual([250, 500]);
    timers[1].fn();
    sockets[2].open();
    expect(JSON.parse(sockets[2].sent[0])).toEqual({ id: 2, method: 'catalog' });
    sockets[2].receive({ id: 2, result: [] });
    await expect(queued).resolves.toEqual([]);
    expect(states).toEqual(['open', 'closed', 'connecting', 'closed', 'connecting', 'reconnected']);
  });

  it('does not reconnect after close()', () => {
    const { client, sockets, timers } = setup();
    sockets[0].open();
    client.close();
    expect(timers).toEqual([]);
  });
});

describe('protocol', () => {
  it('the browser client sends every request under its own name', async () => {
    const sent: Array<[string, unknown]> = [];
    const client = {
      call: (method: string, params?: unknown) => {
        sent.push([method, params]);
        return Promise.resolve(method);
      },
      on: () => () => undefined,
    } as unknown as WsApiClient;
    const api = wsApi(client) as unknown as Record<string, (params?: unknown) => Promise<unknown>>;
    for (const name of REQUEST_NAMES) {
      await expect(api[name]!({ probe: name })).resolves.toBe(name);
    }
    expect(sent).toEqual(REQUEST_NAMES.map((name) => [name, { probe: name }]));
  });

  it('parses results, errors and events', () => {
    expect(parseFrame('{"id":3,"result":null}')).toEqual({
      kind: 'reply',
      id: 3,
      reply: { result: null },
    });
    expect(parseFrame('{"id":3,"error":"no"}')).toEqual({
      kind: 'reply',
      id: 3,
      reply: { error: { message: 'no' } },
    });
    expect(parseFrame('{"event":"sessionUpdate","payload":1}')).toEqual({
      kind: 'event',
      event: 'sessionUpdate',
      payload: 1,
    });
    expect(parseFrame('{"result":1}').kind).toBe('invalid');
  });
  it('builds the socket URL from the page’s host and token', () => {
    expect(socketUrl({ host: '127.0.0.1:5173', protocol: 'http:', search: '?token=a%2Bb' })).toBe(
      'ws://127.0.0.1:5173/ws?token=a%2Bb',
    );
  });
});
