/**
 * The desktop's side of the contract: one handler per request channel. Each checks that the
 * call comes from our window's top frame at our own origin, validates the payload against the
 * contract's schema, and forwards it to the engine worker (which validates again: it trusts
 * no one). Replies are envelopes, so a refusal keeps its issues across IPC.
 */
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_DROPPED_FILE } from '../../shared/ipc-channels';
import {
  IPC,
  REQUEST_NAMES,
  type ApiHandlers,
  type ApiReply,
  type ImportFile,
  type Output,
  type Reply,
  type RequestName,
} from '../../shared/ipc-contract';
import { toApiError } from '../service/api-error';
import type { ApiBackend } from '../service/api-backend';
import { ApiRequestError } from '../service/api-error';
import { validateRequest } from '../service/request-validation';
import type { PathGrants } from './path-grants';

export interface BridgeOptions {
  backend: ApiBackend;
  /** The window whose page may call, or null while there is none. */
  contents: () => WebContents | null;
  /** Origins the page may have: `app://tapedeck`, and the dev server's in development. */
  origins: readonly string[];
  /** Requests the main process answers itself (file dialogs). */
  local: Partial<ApiHandlers>;
  /** The paths an import may name: those the user chose in a dialog or dropped. */
  grants: PathGrants;
}

export function registerIpcBridge(options: BridgeOptions): void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(IPC[name], async (event, payload: unknown): Promise<ApiReply> => {
      try {
        checkSender(event, options);
        const valid = validateRequest(name, payload);
        if (valid.name === 'importPreview') checkPaths(valid.request, options);
        const result = await answer(valid, options);
        return { result: result ?? null };
      } catch (error) {
        return { error: toApiError(error) };
      }
    });
  }

  // The preload's report of a dropped file (see preload/index.ts); only our page's is heard.
  ipcMain.on(IPC_DROPPED_FILE, (event: IpcMainEvent, path: unknown) => {
    try {
      checkSender(event, options);
      options.grants.grant(path);
    } catch {
      // not from our window: ignored
    }
    event.returnValue = null;
  });
}

/** Main's own handler for the request when it has one, else the engine. */
function answer<K extends RequestName>(
  { name, request }: { name: K; request: Output<K> },
  options: BridgeOptions,
): Promise<Reply<K>> {
  const local = options.local[name];
  return local ? local(request) : options.backend.request(name, request);
}

function checkPaths(request: { files: ImportFile[] }, options: BridgeOptions): void {
  const path = options.grants.ungranted(request.files);
  if (path !== null) {
    throw new ApiRequestError(
      `${path}: not a file chosen in the Import dialog or dropped on the window`,
    );
  }
}

function checkSender(event: IpcMainInvokeEvent | IpcMainEvent, options: BridgeOptions): void {
  const contents = options.contents();
  const frame = event.senderFrame;
  const origin = frame ? originOf(frame.url) : '';
  if (
    !contents ||
    event.sender !== contents ||
    frame !== contents.mainFrame ||
    !options.origins.includes(origin)
  ) {
    throw new Error('IPC refused: unknown sender');
  }
}

/** A URL's origin; WHATWG URL says `null` for schemes it does not know, such as `app:`. */
function originOf(url: string): string {
  try {
    const u = new URL(url);
    return u.origin !== 'null' ? u.origin : `${u.protocol}//${u.host}`;
  } catch {
    return '';
  }
}
