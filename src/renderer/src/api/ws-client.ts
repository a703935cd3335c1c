/**
 * The TapedeckApi over the browser-mode host's WebSocket. Calls made before the socket is
 * open are queued; a lost connection is retried with backoff, calls in flight then fail (the
 * host may or may not have run them), and listeners hear `reconnected` so the screen resyncs
 * from a snapshot. Events are fanned out to the API's subscriptions.
 */
import { REQUEST_NAMES, type RequestName } from '../../../shared/ipc-channels';
import type { TapedeckApi } from '../../../shared/ipc-contract';
import { reconnectDelay } from '../state/backoff';
import {
  ApiCallError,
  encodeRequest,
  parseFrame,
  type EventName,
  type RequestFrame,
} from './rpc-protocol';

/** The part of the DOM WebSocket the client uses, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

export type SocketFactory = (url: string) => SocketLike;
export type ConnectionState = 'connecting' | 'open' | 'reconnected' | 'closed';

const OPEN = 1;

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface WsClientOptions {
  /** Schedules reconnects; tests pass one that runs on demand. */
  schedule?: (fn: () => void, ms: number) => void;
  onProblem?: (message: string) => void;
}

export class WsApiClient {
  private socket: SocketLike | null = null;
  private nextId = 1;
  private attempt = 0;
  private everOpened = false;
  private closedByUser = false;
  private readonly queue: string[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();
  private readonly schedule: (fn: () => void, ms: number) => void;
  private readonly onProblem: (message: string) => void;

  constructor(
    private readonly url: string,
    private readonly factory: SocketFactory,
    options: WsClientOptions = {},
  ) {
    this.schedule = options.schedule ?? ((fn, ms) => void setTimeout(fn, ms));
    this.onProblem = options.onProblem ?? (() => undefined);
    this.connect();
  }

  call(method: string, params?: unknown): Promise<unknown> {
    const frame: RequestFrame = { id: this.nextId++, method, params };
    return new Promise((resolve, reject) => {
      this.pending.set(frame.id, { method, resolve, reject });
      const text = encodeRequest(frame);
      if (this.socket?.readyState === OPEN) this.socket.send(text);
      else this.queue.push(text);
    });
  }

  on<T>(event: EventName, listener: (payload: T) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    const entry = listener as (payload: never) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  close(): void {
    this.closedByUser = true;
    this.socket?.close();
  }

  private connect(): void {
    this.emitConnection('connecting');
    let socket: SocketLike;
    try {
      socket = this.factory(this.url);
    } catch (error) {
      this.onProblem(`Cannot open the connection to the host: ${String(error)}`);
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      const reconnected = this.everOpened;
      this.everOpened = true;
      for (const text of this.queue.splice(0)) socket.send(text);
      this.emitConnection(reconnected ? 'reconnected' : 'open');
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onerror = () => undefined;
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failInFlight();
      this.emitConnection('closed');
      if (!this.closedByUser) this.retry();
    };
  }

  private retry(): void {
    const delay = reconnectDelay(this.attempt);
    this.attempt += 1;
    this.schedule(() => {
      if (!this.closedByUser) this.connect();
    }, delay);
  }

  /** Requests already sent may or may not have run; only the caller can decide to retry. */
  private failInFlight(): void {
    const queued = new Set(this.queue.map((t) => (JSON.parse(t) as RequestFrame).id));
    for (const [id, p] of this.pending) {
      if (queued.has(id)) continue;
      this.pending.delete(id);
      p.reject(
        new ApiCallError(p.method, { message: `${p.method}: the connection to the host was lost` }),
      );
    }
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') {
      this.onProblem('The host sent a binary frame; expected JSON text');
      return;
    }
    const frame = parseFrame(data);
    switch (frame.kind) {
      case 'invalid':
        this.onProblem(`Ignored ${frame.reason}`);
        return;
      case 'event':
        for (const listener of this.listeners.get(frame.event) ?? []) {
          (listener as (payload: unknown) => void)(frame.payload);
        }
        return;
      case 'reply': {
        const p = this.pending.get(frame.id);
        if (!p) return;
        this.pending.delete(frame.id);
        const { reply } = frame;
        if ('error' in reply) p.reject(new ApiCallError(p.method, reply.error));
        else p.resolve(reply.result);
      }
    }
  }

  private emitConnection(state: ConnectionState): void {
    for (const listener of this.connectionListeners) listener(state);
  }
}

/** The full TapedeckApi on top of a client: one named function per request. */
export function wsApi(client: WsApiClient): TapedeckApi {
  // The host validates every payload and the contract types every reply; the one cast is where
  // the name list becomes the typed methods.
  const requests = Object.fromEntries(
    REQUEST_NAMES.map((name) => [name, (params?: unknown) => client.call(name, params)]),
  ) as unknown as Pick<TapedeckApi, RequestName>;
  return {
    ...requests,
    onSessionUpdate: (listener) => client.on('sessionUpdate', listener),
    onLog: (listener) => client.on('log', listener),
    onImportProgress: (listener) => client.on('importProgress', listener),
    onSweepProgress: (listener) => client.on('sweepProgress', listener),
    onMenuCommand: (listener) => client.on('menuCommand', listener),
  };
}
