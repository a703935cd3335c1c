/**
 * What a host forwards requests to and hears events from: the engine worker (EngineClient)
 * or, in tests and tools, a SessionService in the same thread.
 */
import type { Output, Reply, RequestName } from '../../shared/ipc-contract';
import type { EventName } from '../../shared/ws-protocol';
import type { EngineClient } from './engine-client';
import { SessionService, type SessionServiceOptions } from './session-service';

export interface ApiBackend {
  /**
   * Request `method` with the payload its host validated (the backend validates it again: the
   * engine trusts no one).
   */
  request<K extends RequestName>(method: K, params: Output<K>): Promise<Reply<K>>;
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  close(): Promise<void>;
}

export function inProcessBackend(options: Omit<SessionServiceOptions, 'emit'>): ApiBackend {
  const listeners = new Set<(event: EventName, payload: unknown) => void>();
  const service = new SessionService({
    ...options,
    emit: (event, payload) => {
      for (const listener of listeners) listener(event, payload);
    },
  });
  return {
    request: (method, params) => service.request(method, params),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => service.close(),
  };
}

/** The engine worker as a backend: the worker answers a request with its handler's reply. */
export function workerBackend(engine: EngineClient): ApiBackend {
  return {
    request: <K extends RequestName>(method: K, params: Output<K>) =>
      engine.request(method, params) as Promise<Reply<K>>,
    onEvent: (listener) => engine.onEvent(listener),
    close: () => engine.close(),
  };
}
