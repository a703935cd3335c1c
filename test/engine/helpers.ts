import { MemoryStreamCursor } from '../../src/main/storage/memory-cursor';
import { SessionData } from '../../src/main/engine/session-data';
import {
  StreamCoordinator,
  type CoordinatorOptions,
} from '../../src/main/engine/stream-coordinator';
import { SystemManager, type SystemMode } from '../../src/main/engine/system-manager';
import type { EventBatch, StreamInfo } from '../../src/main/engine/event-batch';
import { exchangeTimeToUtc } from '../../src/shared/time';

export const DAY = '2024-01-02';
export const at = (h: number, m: number, s = 0, ms = 0): number =>
  exchangeTimeToUtc(DAY, h, m) + s * 1000 + ms;

/** Flat-ish 1s or 1m bars starting at `start`, every `stepMs`. */
export function bars(
  symbol: string,
  interval: '1s' | '1m',
  start: number,
  count: number,
  price = 100,
) {
  const step = interval === '1s' ? 1000 : 60_000;
  const ts = Array.from({ length: count }, (_, i) => start + i * step);
  const close = ts.map((_, i) => price + i * 0.01);
  return new MemoryStreamCursor({
    symbol,
    type: 'bars',
    interval,
    timestamp: ts,
    values: {
      open: close.map((c) => c - 0.005),
      high: close.map((c) => c + 0.02),
      low: close.map((c) => c - 0.02),
      close,
      volume: ts.map((_, i) => 100 + i),
    },
  });
}

export function quotes(symbol: string, times: number[], bid = 100) {
  return new MemoryStreamCursor({
    symbol,
    type: 'quotes',
    timestamp: times,
    values: {
      bid: times.map(() => bid),
      ask: times.map(() => bid + 0.01),
      bid_size: times.map(() => 100),
      ask_size: times.map(() => 200),
    },
  });
}

export interface Emitted {
  seq: number;
  symbol: string;
  type: string;
  timestamp: number;
  available: number;
  clock: number;
  v0: number;
}

export function setup(options: Partial<CoordinatorOptions> & { mode?: SystemMode } = {}): {
  coordinator: StreamCoordinator;
  system: SystemManager;
  sessionData: SessionData;
  events: Emitted[];
} {
  const system = new SystemManager(options.mode ?? 'backtest');
  const sessionData = new SessionData();
  const coordinator = new StreamCoordinator({
    system,
    sessionData,
    maxQueueSize: 1000,
    speed: 0,
    ...options,
  });
  const events: Emitted[] = [];
  coordinator.subscribe((batch: EventBatch, streams: readonly StreamInfo[]) => {
    for (let i = 0; i < batch.length; i++) {
      const info = streams[batch.stream[i]!]!;
      events.push({
        seq: batch.firstSeq + i,
        symbol: info.symbol,
        type: info.type,
        timestamp: batch.timestamp[i]!,
        available: batch.available[i]!,
        clock: batch.clock[i]!,
        v0: batch.value(0, i),
      });
    }
  });
  return { coordinator, system, sessionData, events };
}
