import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC, IPC_DROPPED_FILE, IPC_EVENTS } from '../../src/shared/ipc-channels';
import { REQUEST_SCHEMAS, type TapedeckApi } from '../../src/shared/ipc-contract';

// What the preload may touch of Electron, recorded: there is no Electron binary here, and the
// bridge's shape is what matters.
const exposed = new Map<string, unknown>();
const invoke = vi.fn();
const sendSync = vi.fn();
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: (...args: unknown[]) => invoke(...args),
    sendSync: (...args: unknown[]) => sendSync(...args),
    on: (channel: string, fn: (...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(fn);
    },
    removeListener: (channel: string, fn: (...args: unknown[]) => void) =>
      listeners.get(channel)?.delete(fn),
  },
  webUtils: { getPathForFile: () => '/dropped/file.parquet' },
}));

async function api(): Promise<TapedeckApi & { pathForFile(file: unknown): string }> {
  await import('../../src/preload/index');
  return exposed.get('tapedeck') as TapedeckApi & { pathForFile(file: unknown): string };
}

beforeEach(() => invoke.mockReset());

describe('the preload bridge', () => {
  it('exposes exactly the contract: its requests, its subscriptions, and a dropped file path', async () => {
    const bridge = await api();
    expect([...exposed.keys()]).toEqual(['tapedeck']);
    const subscriptions = [
      'onSessionUpdate',
      'onLog',
      'onImportProgress',
      'onMenuCommand',
      'onSweepProgress',
    ];
    expect(Object.keys(bridge).sort()).toEqual(
      [...Object.keys(REQUEST_SCHEMAS), ...subscriptions, 'pathForFile'].sort(),
    );
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
    // ipcRenderer itself is never handed out.
    expect(Object.values(bridge)).not.toContain(invoke);
    expect(bridge.pathForFile({})).toBe('/dropped/file.parquet');
    // Main hears of the dropped path before the page can name it in a request.
    expect(sendSync).toHaveBeenLastCalledWith(IPC_DROPPED_FILE, '/dropped/file.parquet');
  });

  it('channels and schemas name the same requests', () => {
    expect(Object.keys(IPC).sort()).toEqual(Object.keys(REQUEST_SCHEMAS).sort());
    expect(new Set(Object.values(IPC)).size).toBe(Object.keys(IPC).length);
  });

  it('unwraps replies, and turns refusals into errors that keep the issues', async () => {
    const bridge = await api();
    invoke.mockResolvedValueOnce({ result: ['demo.json'] });
    await expect(bridge.listConfigs()).resolves.toEqual(['demo.json']);
    expect(invoke).toHaveBeenLastCalledWith(IPC.listConfigs, undefined);
    invoke.mockResolvedValueOnce({
      error: { message: 'Invalid setSpeed request', issues: ['speed: Too small'] },
    });
    await expect(bridge.setSpeed({ speed: -1 })).rejects.toThrow(
      'Invalid setSpeed request: speed: Too small',
    );
    expect(invoke).toHaveBeenLastCalledWith(IPC.setSpeed, { speed: -1 });
  });

  it('subscriptions hear their channel and stop on unsubscribe', async () => {
    const bridge = await api();
    const heard: unknown[] = [];
    const off = bridge.onLog((entry) => heard.push(entry));
    const channel = listeners.get(IPC_EVENTS.log)!;
    for (const fn of channel) fn({ sender: null }, { level: 'warn', message: 'x', time: 1 });
    off();
    expect(channel.size).toBe(0);
    expect(heard).toEqual([{ level: 'warn', message: 'x', time: 1 }]);
  });
});
