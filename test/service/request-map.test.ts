import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SessionService } from '../../src/main/service/session-service';
import { IPC, REQUEST_NAMES } from '../../src/shared/ipc-channels';
import { API_REQUESTS, REQUEST_SCHEMAS } from '../../src/shared/ipc-contract';

const service = new SessionService({
  dataDir: join(mkdtempSync(join(tmpdir(), 'tapedeck-request-map-')), 'data'),
  host: 'browser',
  emit: () => undefined,
});
afterAll(() => service.close());

const sorted = (names: Iterable<string>): string[] => [...names].sort();

describe('the request map', () => {
  it('the channel list, the schemas and the handler map name exactly the same requests', () => {
    const names = sorted(REQUEST_NAMES);
    expect(new Set(names).size).toBe(names.length);
    expect(sorted(Object.keys(API_REQUESTS))).toEqual(names);
    expect(sorted(Object.keys(REQUEST_SCHEMAS))).toEqual(names);
    expect(sorted(service.requestNames)).toEqual(names);
    expect(sorted(Object.keys(IPC))).toEqual(names);
  });

  it('each schema is the one its request declares', () => {
    for (const name of REQUEST_NAMES) {
      expect(REQUEST_SCHEMAS[name]).toBe(API_REQUESTS[name].schema);
    }
  });

  it('computes the channels the desktop has always used, one per request', () => {
    // The channel strings as they were written out by hand before they were computed.
    expect(IPC.appInfo).toBe('tapedeck:app-info');
    expect(IPC.saveConfigAs).toBe('tapedeck:save-config-as');
    expect(IPC.getBars).toBe('tapedeck:get-bars');
    expect(IPC.listStrategies).toBe('tapedeck:list-strategies');
    expect(IPC.cancelOrder).toBe('tapedeck:cancel-order');
    expect(new Set(Object.values(IPC)).size).toBe(REQUEST_NAMES.length);
  });

  it('refuses a name outside the map, and a payload its schema refuses, before any handler', async () => {
    await expect(service.handle('dispatch', undefined)).rejects.toThrow(
      'Unknown request: dispatch',
    );
    await expect(service.handle('toString', undefined)).rejects.toThrow('Unknown request');
    await expect(service.handle('setSpeed', { speed: -1 })).rejects.toMatchObject({
      message: 'Invalid setSpeed request',
      issues: [expect.stringMatching(/^speed: /)],
    });
    // The handler of a valid request runs: with no session, getBars says so.
    await expect(service.handle('getBars', { symbol: 'SPY', interval: '1m' })).rejects.toThrow(
      'No session: start one first',
    );
  });
});
