/**
 * The bridge, and nothing else: named functions over the typed contract.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { IPC } from '../shared/ipc-channels';
import type { TapedeckApi } from '../shared/ipc-contract';

const api: TapedeckApi = {
  appInfo: () => ipcRenderer.invoke(IPC.appInfo),
  validateConfig: (request) => ipcRenderer.invoke(IPC.validateConfig, request),
};

contextBridge.exposeInMainWorld('tapedeck', api);
