import { calendarFor } from '../../src/shared/market/calendars';
import { DataUpkeep, type UpkeepOptions } from '../../src/main/engine/upkeep/data-upkeep';
import type { Interval } from '../../src/shared/interval';
import type { BarFillSource, StreamBatch } from '../../src/shared/stream-cursor';
import { MemoryStreamCursor } from '../../src/main/storage/memory-cursor';
import { setup } from './helpers';

/** Bars at the given start times, with prices derived from the index so every bar differs. */
export function barsAt(symbol: string, interval: '1s' | '1m', times: number[]): MemoryStreamCursor {
  return new MemoryStreamCursor({
    symbol,
    type: 'bars',
    interval,
    timestamp: times,
    values: barValues(times),
  });
}

export function barValues(times: number[]): Record<string, number[]> {
  const close = times.map((t) => 100 + ((t / 1000) % 97) * 0.01);
  return {
    open: close.map((c) => c - 0.01),
    high: close.map((c) => c + 0.05),
    low: close.map((c) => c - 0.05),
    close,
    volume: times.map((t) => 10 + ((t / 1000) % 13)),
  };
}

/** A fill source over fixed bars, failing its first `failures` calls (or always, with Infinity). */
export class FakeFillSource implements BarFillSource {
  readonly description = 'fake';
  calls = 0;
  private readonly held: Set<number>;
  constructor(
    private readonly times: number[],
    private failures = 0,
  ) {
    this.held = new Set(times);
  }

  has(t: number): boolean {
    return this.held.has(t);
  }
  async fetchBars(
    _symbol: string,
    _interval: string,
    start: number,
    end: number,
  ): Promise<StreamBatch> {
    this.calls++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('database is locked');
    }
    const ts = this.times.filter((t) => t >= start && t < end);
    const values = barValues(ts);
    return {
      length: ts.length,
      timestamp: Float64Array.from(ts),
      values: ['open', 'high', 'low', 'close', 'volume'].map((f) => Float64Array.from(values[f]!)),
    };
  }
}

export function withUpkeep(
  options: Partial<UpkeepOptions> & { derivedIntervals?: Interval[] } = {},
  coordinatorOptions: Parameters<typeof setup>[0] = {},
) {
  const env = setup(coordinatorOptions);
  const upkeep = new DataUpkeep({
    sessionData: env.sessionData,
    calendarFor: () => calendarFor('XNYS'),
    derivedIntervals: ['1m', '5m', '15m'],
    checkIntervalSeconds: 60,
    maxRetries: 5,
    fillForward: false,
    fillSource: null,
    ...options,
  });
  env.coordinator.subscribe(upkeep.onBatch);
  env.coordinator.addTask(upkeep);
  return { ...env, upkeep };
}
