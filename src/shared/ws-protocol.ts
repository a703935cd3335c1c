/**
 * The browser-mode wire format: the same API as the desktop bridge, as JSON over one
 * WebSocket at `ws://127.0.0.1:PORT/ws?token=…` (the token the page was opened with).
 *
 *   client → host  {id, method, params}         method: a TapedeckApi request name
 *   host → client  {id, result} | {id, error}   an ApiReply with its request's id
 *   host → client  {event, payload}             event: a key of IPC_EVENTS
 */
import type { ApiReply } from './ipc-contract';
import type { IPC_EVENTS } from './ipc-channels';

export const WS_PATH = '/ws';
/** The query parameter carrying the per-run token, on the page URL and the socket URL. */
export const TOKEN_PARAM = 'token';

export type EventName = keyof typeof IPC_EVENTS;

export interface WsRequest {
  id: number;
  method: string;
  params?: unknown;
}

export type WsResponse = { id: number } & ApiReply;

export interface WsEvent {
  event: EventName;
  payload: unknown;
}
