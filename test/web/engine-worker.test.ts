import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionSnapshot, SessionStatus, SessionUpdate } from '../../src/shared/ipc-contract';
import { ApiRequestError } from '../../src/main/service/api-error';
import { EngineClient, sourceWorker } from '../../src/main/service/engine-client';
import { demoConfig, demoData } from '../service/service-helpers';

const ENTRY = resolve('src/main/electron/engine-worker.ts');

function client(): EngineClient {
  return new EngineClient({
    ...sourceWorker(ENTRY),
    workerData: {
      dataDir: demoData(),
      host: 'browser',
      name: 'Tapedeck',
      version: '0.0.0-test',
      lastSessionFile: null,
      defaultConfigFile: null,
      nativeRoot: null,
    },
  });
}

const clients: EngineClient[] = [];
afterAll(() => Promise.all(clients.map((c) => c.close())));

describe('the engine worker', () => {
  it('runs the session service off the host thread, with requests and events', async () => {
    const engine = client();
    clients.push(engine);
    const updates: SessionUpdate[] = [];
    engine.onEvent((event, payload) => {
      if (event === 'sessionUpdate') updates.push(payload as SessionUpdate);
    });
    const info = (await engine.request('appInfo', null)) as { version: string };
    expect(info.version).toBe('0.0.0-test');
    const snapshot = (await engine.request('startSession', {
      config: demoConfig(),
    })) as SessionSnapshot;
    expect(snapshot.status.state).toBe('paused');
    // A chart fetched AAPL's 1s bars (none yet): they are pushed from then on.
    await engine.request('getBars', { symbol: 'AAPL', interval: '1s' });
    const mark = updates.length;
    const step = (await engine.request('controlSession', { action: 'step' })) as SessionStatus;
    expect(step.clock).toBe(Date.parse('2024-03-04T14:30:01Z'));
    // The step's update was posted before the reply, and messages keep their order (a frame
    // of stats alone may follow it).
    const stepped = updates.slice(mark).find((u) => u.bars.AAPL?.['1s']);
    expect(stepped?.bars.AAPL?.['1s']?.time).toEqual([Date.parse('2024-03-04T14:30:00Z')]);
    const error = await engine.request('getBars', { symbol: 'AAPL' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect((error as ApiRequestError).issues?.[0]).toMatch(/^interval: /);
  });

  it('refuses what cannot cross to the worker, and shuts down cleanly', async () => {
    const engine = client();
    const error = await engine.request('setSpeed', { speed: () => 1 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/Invalid setSpeed request/);
    await engine.close();
    await expect(engine.request('appInfo', null)).rejects.toThrow(/shutting down/);
  });
});
