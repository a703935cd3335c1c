/** Runs a strategy written inline over in-memory streams, the way a host would wire it. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calendarFor } from '../../src/shared/market/calendars';
import { SessionData } from '../../src/main/engine/session-data';
import { StreamCoordinator } from '../../src/main/engine/stream-coordinator';
import { SystemManager } from '../../src/main/engine/system-manager';
import { loadStrategy } from '../../src/main/engine/strategy/strategy-loader';
import { StrategyRunner } from '../../src/main/engine/strategy/strategy-runner';
import type { MemoryStreamCursor } from '../../src/main/storage/memory-cursor';
import type { Interval } from '../../src/shared/interval';
import { ExecutionConfigSchema } from '../../src/shared/strategy/execution-config';
import { resolveParams } from '../../src/shared/strategy/params';

const dir = mkdtempSync(join(tmpdir(), 'tapedeck-strategy-test-'));
let count = 0;

/** Writes strategy source to a fresh file and returns its path. */
export function strategyFile(source: string, ext = 'ts'): string {
  const file = join(dir, `strategy-${++count}.${ext}`);
  writeFileSync(file, source);
  return file;
}

export interface RunOptions {
  cursors: MemoryStreamCursor[];
  source?: string;
  file?: string;
  params?: Record<string, unknown>;
  execution?: Record<string, unknown>;
  derived?: Interval[];
  batchSize?: number;
}

export async function runStrategy(options: RunOptions) {
  const file = options.file ?? strategyFile(options.source!);
  const loaded = await loadStrategy(file);
  const resolved = resolveParams(loaded.fields, options.params ?? {});
  if (!resolved.ok) throw new Error(resolved.problems.join('; '));
  const system = new SystemManager('backtest');
  const sessionData = new SessionData();
  const coordinator = new StreamCoordinator({
    system,
    sessionData,
    maxQueueSize: 1000,
    speed: 0,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  });
  for (const cursor of options.cursors) coordinator.register(cursor);
  const runner = new StrategyRunner({
    loaded,
    params: resolved.params,
    execution: ExecutionConfigSchema.parse(options.execution ?? {}),
    sessionData,
    streams: coordinator.streams,
    derivedIntervals: options.derived ?? [],
    calendarOf: () => calendarFor('XNYS'),
  });
  coordinator.subscribe(runner.onBatch);
  let error: unknown = null;
  try {
    const outcome = await coordinator.start();
    runner.finish(outcome === 'completed');
  } catch (e) {
    error = e;
  }
  return { runner, coordinator, sessionData, error: error as Error | null, file };
}
