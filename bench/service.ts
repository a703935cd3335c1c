/**
 * The session service's overhead (issue 5): the demo session (350 k items) replayed at speed 0
 * through the engine worker, with every frame's update serialized as the browser host sends it,
 * against the same session run headless as the CLI runs it (the peer). Prints the updates sent,
 * their sizes, and the wall time of each.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SessionUpdate } from '../src/shared/ipc-contract';
import { parseSessionConfig } from '../src/shared/session-config';
import { createDataStore, createFillSource } from '../src/main/host/data-store';
import { openSession } from '../src/main/host/session-host';
import { EngineClient, sourceWorker } from '../src/main/service/engine-client';
import { demoSessionConfig, generateDemoData } from '../src/main/storage/demo-data';
import { round, type BenchResult } from './result';

async function headless(dataDir: string): Promise<{ seconds: number; events: number }> {
  const parsed = parseSessionConfig(demoSessionConfig());
  if (!parsed.ok) throw new Error('demo config invalid');
  const store = createDataStore(parsed.config, dataDir);
  if (!store.ok) throw new Error(store.problems.join('\n'));
  const started = performance.now();
  const session = await openSession(parsed.config, store.store, {
    speed: 0,
    fillSource: createFillSource(parsed.config, dataDir),
  });
  await session.coordinator.start();
  const seconds = (performance.now() - started) / 1000;
  store.store.close();
  return { seconds, events: session.coordinator.emitted };
}

/** The engine worker as the browser host starts it, on `dataDir`, started up and answering. */
export async function benchEngine(dataDir: string): Promise<EngineClient> {
  const engine = new EngineClient({
    ...sourceWorker(resolve('src/main/electron/engine-worker.ts')),
    workerData: {
      dataDir,
      host: 'browser',
      name: 'bench',
      version: '0',
      lastSessionFile: null,
      defaultConfigFile: null,
      nativeRoot: null,
    },
  });
  await engine.request('appInfo', null); // the worker's start-up is not the session's cost
  return engine;
}

async function throughWorker(dataDir: string): Promise<{
  seconds: number;
  events: number;
  updates: number;
  bytes: number[];
}> {
  const engine = await benchEngine(dataDir);
  const bytes: number[] = [];
  let events = 0;
  const done = new Promise<void>((resolveDone) => {
    engine.onEvent((event, payload) => {
      if (event !== 'sessionUpdate') return;
      const update = payload as SessionUpdate;
      bytes.push(JSON.stringify(update).length);
      events = update.status.events;
      if (update.status.state === 'done') resolveDone();
    });
  });
  const started = performance.now();
  await engine.request('startSession', { config: demoSessionConfig() });
  await engine.request('setSpeed', { speed: 0 });
  await engine.request('controlSession', { action: 'play' });
  await done;
  const seconds = (performance.now() - started) / 1000;
  await engine.close();
  return { seconds, events, updates: bytes.length, bytes };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function run(): Promise<BenchResult> {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'tapedeck-bench-service-')), 'data');
  generateDemoData(dataDir);
  await headless(dataDir); // warm the parquet reader and the JIT for both
  const peer = await headless(dataDir);
  const ours = await throughWorker(dataDir);
  const sizes = [...ours.bytes].sort((a, b) => a - b);
  const total = sizes.reduce((a, b) => a + b, 0);
  process.stdout.write(
    `headless (CLI path): ${peer.events} items in ${peer.seconds.toFixed(3)} s\n` +
      `service in a worker: ${ours.events} items in ${ours.seconds.toFixed(3)} s, ` +
      `${ours.updates} updates (${(ours.events / Math.max(1, ours.updates)).toFixed(0)} items per update), ` +
      `JSON ${(total / 2 ** 20).toFixed(1)} MiB in all, per update p50 ${(percentile(sizes, 50) / 1024).toFixed(0)} KiB, ` +
      `p95 ${(percentile(sizes, 95) / 1024).toFixed(0)} KiB, max ${(sizes.at(-1)! / 1024).toFixed(0)} KiB\n`,
  );
  return {
    name: 'service',
    ours_s: round(ours.seconds),
    peer: 'headless coordinator (CLI path)',
    peer_s: round(peer.seconds),
    ratio: round(ours.seconds / peer.seconds),
    events_per_s: Math.round(ours.events / ours.seconds),
    bytes_per_bar: null,
  };
}
