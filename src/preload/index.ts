/**
 * The bridge, and nothing else: the contract's named functions and subscriptions on
 * `window.tapedeck`, never ipcRenderer itself. A sandboxed preload can require only
 * Electron, so it imports the channel names and types, never the schemas.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { IPC, IPC_DROPPED_FILE, IPC_EVENTS, REQUEST_NAMES } from '../shared/ipc-channels';
import type { ApiReply, RequestName, TapedeckApi } from '../shared/ipc-contract';

async function invoke(channel: string, request: unknown): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(channel, request)) as ApiReply;
  if (!('error' in reply)) return reply.result;
  const { message, issues } = reply.error;
  // Only an Error's message survives the context bridge, so the issues travel inside it.
  throw new Error(issues?.length ? `${message}: ${issues.join('; ')}` : message);
}

function subscribe<T>(channel: string) {
  return (listener: (payload: T) => void): (() => void) => {
    const handler = (_event: IpcRendererEvent, payload: T): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => ipcRenderer.removeListener(channel, handler);
  };
}

const requests = Object.fromEntries(
  REQUEST_NAMES.map((name) => [name, (request?: unknown) => invoke(IPC[name], request)]),
) as unknown as Pick<TapedeckApi, RequestName>;

const api: TapedeckApi & { pathForFile(file: File): string } = {
  ...requests,
  onSessionUpdate: subscribe(IPC_EVENTS.sessionUpdate),
  onLog: subscribe(IPC_EVENTS.log),
  onImportProgress: subscribe(IPC_EVENTS.importProgress),
  onMenuCommand: subscribe(IPC_EVENTS.menuCommand),
  onSweepProgress: subscribe(IPC_EVENTS.sweepProgress),
  // A dropped file's path, so import reads it in place instead of copying its bytes. Main
  // hears of it first (synchronously, so before any request naming it): it accepts in an
  // import only paths the user chose, and a File the page builds itself has no path.
  pathForFile: (file) => {
    const path = webUtils.getPathForFile(file);
    if (path) ipcRenderer.sendSync(IPC_DROPPED_FILE, path);
    return path;
  },
};

contextBridge.exposeInMainWorld('tapedeck', api);
