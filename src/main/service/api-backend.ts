/**
 * What a host forwards requests to and hears events from: the engine worker (EngineClient)
 * or, in tests and tools, a SessionService in the same thread.
 */
import type { EventName } from '../../shared/ws-protocol';
import { SessionService, type SessionServiceOptions } from './session-service';

export interface ApiBackend {
  request(method: string, params: unknown): Promise<unknown>;
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
    request: (method, params) => service.handle(method, params),
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => service.close(),
  };
}
