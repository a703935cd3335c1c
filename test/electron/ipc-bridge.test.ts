import { describe, expect, it, vi } from 'vitest';
import { IPC, IPC_DROPPED_FILE } from '../../src/shared/ipc-channels';
import type { ApiBackend } from '../../src/main/service/api-backend';

type Handler = (event: unknown, payload: unknown) => Promise<unknown>;
type Listener = (
  event: { returnValue?: unknown; sender?: unknown; senderFrame?: unknown },
  payload: unknown,
) => void;
const handlers = new Map<string, Handler>();
const listeners = new Map<string, Listener>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: Handler) => handlers.set(channel, fn),
    on: (channel: string, fn: Listener) => listeners.set(channel, fn),
  },
}));

const { registerIpcBridge } = await import('../../src/main/electron/ipc-bridge');
const { PathGrants } = await import('../../src/main/electron/path-grants');
const grants = new PathGrants();

const mainFrame = { url: 'app://tapedeck/index.html' };
const contents = { mainFrame };
const forwarded: Array<[string, unknown]> = [];
const backend: ApiBackend = {
  request: async (method, params) => {
    forwarded.push([method, params]);
    // A stand-in engine: its reply is whatever the test reads back, not a real handler's.
    return { method } as never;
  },
  onEvent: () => () => undefined,
  close: async () => undefined,
};
registerIpcBridge({
  backend,
  contents: () => contents as never,
  origins: ['app://tapedeck'],
  local: { saveConfigAs: async () => ({ path: '/chosen.json' }) },
  grants,
});
const ours = { sender: contents, senderFrame: mainFrame };

describe('the IPC bridge', () => {
  it('handles every request channel of the contract', () => {
    expect([...handlers.keys()].sort()).toEqual(Object.values(IPC).sort());
  });

  it('forwards valid requests from our window to the engine', async () => {
    const reply = await handlers.get(IPC.controlSession)!(ours, { action: 'play' });
    expect(reply).toEqual({ result: { method: 'controlSession' } });
    expect(forwarded.at(-1)).toEqual(['controlSession', { action: 'play' }]);
    // Save as… shows a dialog, so main answers it itself.
    expect(await handlers.get(IPC.saveConfigAs)!(ours, { config: {} })).toEqual({
      result: { path: '/chosen.json' },
    });
  });

  it('refuses other senders, frames and origins, and invalid payloads, before the engine', async () => {
    const before = forwarded.length;
    const refusals = [
      { sender: {}, senderFrame: mainFrame },
      { sender: contents, senderFrame: { url: 'app://tapedeck/index.html' } },
      { sender: contents, senderFrame: null },
    ];
    for (const event of refusals) {
      const reply = (await handlers.get(IPC.appInfo)!(event, undefined)) as {
        result?: unknown;
        error: { message: string };
      };
      expect(reply).not.toHaveProperty('result');
      expect(reply.error.message).toMatch(/unknown sender/);
    }
    mainFrame.url = 'https://evil.example/';
    expect(await handlers.get(IPC.appInfo)!(ours, undefined)).toHaveProperty('error');
    mainFrame.url = 'app://tapedeck/index.html';
    const invalid = (await handlers.get(IPC.setSpeed)!(ours, { speed: -5 })) as {
      result?: unknown;
      error: { issues: string[] };
    };
    expect(invalid).not.toHaveProperty('result');
    expect(invalid.error.issues[0]).toMatch(/^speed: /);
    expect(forwarded.length).toBe(before);
  });

  it('lets an import name only files the user chose or dropped, never one the page made up', async () => {
    const preview = (path: string) =>
      handlers.get(IPC.importPreview)!(ours, { files: [{ path }] }) as Promise<{
        result?: unknown;
        error?: { message: string };
      }>;
    const before = forwarded.length;
    const refused = await preview('/home/user/.ssh/id_rsa');
    expect(refused).not.toHaveProperty('result');
    expect(refused.error!.message).toMatch(
      /id_rsa: not a file chosen in the Import dialog or dropped on the window/,
    );
    expect(forwarded.length).toBe(before);
    // The preload reports a drop; only then is the path accepted.
    const drop = { ...ours, returnValue: undefined as unknown };
    listeners.get(IPC_DROPPED_FILE)!(drop, '/data/dropped.csv');
    expect(drop.returnValue).toBeNull();
    expect(await preview('/data/dropped.csv')).toEqual({ result: { method: 'importPreview' } });
    // A drop report from any other sender grants nothing.
    listeners.get(IPC_DROPPED_FILE)!({ sender: {}, senderFrame: mainFrame }, '/etc/shadow');
    expect(await preview('/etc/shadow')).toHaveProperty('error');
    // The Import dialog's choices are granted by main itself.
    grants.grant('/picked/in/dialog.parquet');
    expect(await preview('/picked/in/dialog.parquet')).toEqual({
      result: { method: 'importPreview' },
    });
  });
});
