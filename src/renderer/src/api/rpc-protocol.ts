/**
 * The browser-mode wire format: requests `{id, method, params}`, replies `{id, result}` or
 * `{id, error}`, and pushed events `{event, payload}`. Parsing here never throws: a frame that
 * is not one of these is reported, not crashed on.
 */
import type { ApiError, ApiReply } from '../../../shared/ipc-contract';
import { IPC_EVENTS } from '../../../shared/ipc-channels';

export interface RequestFrame {
  id: number;
  method: string;
  params?: unknown;
}

export type IncomingFrame =
  | { kind: 'reply'; id: number; reply: ApiReply }
  | { kind: 'event'; event: EventName; payload: unknown }
  | { kind: 'invalid'; reason: string };

export type EventName = keyof typeof IPC_EVENTS;

const EVENT_BY_CHANNEL = new Map<string, EventName>(
  (Object.entries(IPC_EVENTS) as Array<[EventName, string]>).flatMap(([name, channel]) => [
    [name, name],
    [channel, name],
  ]),
);

/** Events may be named by the API's key (`sessionUpdate`) or by the IPC channel. */
export function eventName(raw: unknown): EventName | null {
  return typeof raw === 'string' ? (EVENT_BY_CHANNEL.get(raw) ?? null) : null;
}

export function encodeRequest(frame: RequestFrame): string {
  return JSON.stringify(
    frame.params === undefined ? { id: frame.id, method: frame.method } : frame,
  );
}

export function parseFrame(text: string): IncomingFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'a frame from the host is not JSON' };
  }
  if (typeof value !== 'object' || value === null) {
    return { kind: 'invalid', reason: 'a frame from the host is not an object' };
  }
  const frame = value as Record<string, unknown>;
  if ('event' in frame) {
    const name = eventName(frame.event);
    return name
      ? { kind: 'event', event: name, payload: frame.payload }
      : { kind: 'invalid', reason: `unknown event ${JSON.stringify(frame.event)} from the host` };
  }
  if (typeof frame.id !== 'number') {
    return { kind: 'invalid', reason: 'a reply from the host has no id' };
  }
  const reply: ApiReply =
    'error' in frame ? { error: toApiError(frame.error) } : { result: frame.result };
  return { kind: 'reply', id: frame.id, reply };
}

function toApiError(raw: unknown): ApiError {
  if (typeof raw === 'string') return { message: raw };
  if (typeof raw === 'object' && raw !== null) {
    const e = raw as Record<string, unknown>;
    const message = typeof e.message === 'string' ? e.message : 'The host refused the request';
    const issues = Array.isArray(e.issues) ? e.issues.map(String) : undefined;
    return issues ? { message, issues } : { message };
  }
  return { message: 'The host refused the request' };
}

/** A failed call, as the UI reports it: the host's message and every validation issue. */
export class ApiCallError extends Error {
  override name = 'ApiCallError';
  constructor(
    readonly method: string,
    readonly error: ApiError,
  ) {
    super(error.issues?.length ? `${error.message}: ${error.issues.join('; ')}` : error.message);
  }
}

/** Any thrown thing as one line for the log pane. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error as { message: unknown }).message);
  }
  return String(error);
}

/**
 * A refused request's issues, each `path: message`: from the host's error over the WebSocket,
 * or read back from the one message the desktop bridge keeps (`message: issue; issue`).
 */
export function errorIssues(error: unknown, prefix = 'The sweep has problems'): string[] {
  if (error instanceof ApiCallError) return error.error.issues ?? [];
  const message = errorMessage(error);
  return message.startsWith(`${prefix}: `) ? message.slice(prefix.length + 2).split('; ') : [];
}
