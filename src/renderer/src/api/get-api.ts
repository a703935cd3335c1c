/**
 * The one way the UI reaches the engine: the preload's `window.tapedeck` in Electron, else
 * the browser-mode host's WebSocket, authenticated by the token the host put in the URL.
 */
import type { TapedeckApi } from '../../../shared/ipc-contract';
import { WsApiClient, wsApi, type ConnectionState, type SocketLike } from './ws-client';

/** What the preload may expose beside the API: a dropped file's path (Electron's webUtils). */
export interface DesktopExtras {
  pathForFile?: (file: File) => string;
}

declare global {
  interface Window {
    tapedeck?: TapedeckApi & DesktopExtras;
  }
}

export interface ApiHandle {
  api: TapedeckApi;
  host: 'electron' | 'browser';
  pathForFile: ((file: File) => string) | null;
  /** Connection changes (browser mode only): `reconnected` means resync. */
  onConnection: (listener: (state: ConnectionState) => void) => () => void;
}

/** The host's WebSocket URL for this page: same host, `/ws`, and the page's token. */
export function socketUrl(location: Pick<Location, 'host' | 'protocol' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`;
}

let handle: ApiHandle | null = null;

export function getApiHandle(onProblem: (message: string) => void = () => undefined): ApiHandle {
  if (handle) return handle;
  const bridge = window.tapedeck;
  if (bridge) {
    handle = {
      api: bridge,
      host: 'electron',
      pathForFile: typeof bridge.pathForFile === 'function' ? bridge.pathForFile : null,
      onConnection: () => () => undefined,
    };
  } else {
    const client = new WsApiClient(
      socketUrl(window.location),
      (url) => new WebSocket(url) as unknown as SocketLike,
      {
        onProblem,
      },
    );
    handle = {
      api: wsApi(client),
      host: 'browser',
      pathForFile: null,
      onConnection: (listener) => client.onConnection(listener),
    };
  }
  return handle;
}

export function getApi(): TapedeckApi {
  return getApiHandle().api;
}
