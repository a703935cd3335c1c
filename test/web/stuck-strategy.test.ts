/**
 * A strategy stuck in an endless loop blocks its worker's thread; Stop still ends the session
 * within the deadline by replacing the worker, and the next request gets a fresh engine.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../src/shared/ipc-contract';
import { EngineClient, sourceWorker } from '../../src/main/service/engine-client';
import { demoConfig, demoData } from '../service/service-helpers';

const ENTRY = resolve('src/main/electron/engine-worker.ts');
let engine: EngineClient | null = null;
afterAll(() => engine?.close());

describe('a stuck strategy', () => {
  it('is ended by Stop within the deadline (the worker is replaced)', async () => {
    writeFileSync(
      join(demoData(), 'strategies', 'stuck.ts'),
      'let n = 0;\nexport default {\n  onBar() {\n    if (++n === 10) for (;;) {}\n  },\n};\n',
    );
    engine = new EngineClient({
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
    const logs: string[] = [];
    engine.onEvent((event, payload) => {
      if (event === 'log') logs.push((payload as { message: string }).message);
    });
    await engine.request('startSession', {
      config: { ...demoConfig(), strategy: { file: 'stuck.ts' } },
    });
    // The session plays from its first item, so the strategy may be stuck before these are
    // answered: a stuck worker answers nothing but Stop's deadline, and the replacement
    // refuses what was pending. The user's Stop must not wait for them.
    const pending = [
      engine.request('setSpeed', { speed: 0 }),
      engine.request('controlSession', { action: 'play' }),
    ].map((p) => p.catch((error: unknown) => error));
    await new Promise((r) => setTimeout(r, 300));
    const status = (await engine.request('controlSession', { action: 'stop' })) as SessionStatus;
    expect(status.state).toBe('stopped');
    expect(status.error).toMatch(/did not stop within 2 s/);
    expect(logs.some((m) => /engine was replaced/.test(m))).toBe(true);
    await Promise.all(pending);
    const info = (await engine.request('appInfo', null)) as { version: string };
    expect(info.version).toBe('0.0.0-test');
  }, 120_000);
});
