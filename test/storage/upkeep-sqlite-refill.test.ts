import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exchangeTimeToUtc } from '../../src/shared/time';
import type { BarFillSource, StreamBatch } from '../../src/shared/stream-cursor';
import { SqliteBarFillSource } from '../../src/main/storage/sqlite/sqlite-fill-source';
import { barValues, barsAt, withUpkeep } from '../engine/upkeep-helpers';
import { makeTempDir, removeTempDir, writableDb } from './sqlite-helpers';

const t = (h: number, m: number, s = 0) => exchangeTimeToUtc('2024-01-02', h, m) + s * 1000;
const seconds = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => from + i * 1000);

/** The real SQLite fill source, failing its first `failures` fetches as a locked database would. */
class FlakyFill implements BarFillSource {
  readonly description: string;
  calls = 0;
  constructor(
    private readonly inner: SqliteBarFillSource,
    private failures: number,
  ) {
    this.description = inner.description;
  }
  async fetchBars(
    symbol: string,
    interval: '1s' | '1m',
    start: number,
    end: number,
  ): Promise<StreamBatch> {
    this.calls++;
    if (this.failures-- > 0) throw new Error('database is locked (injected)');
    return this.inner.fetchBars(symbol, interval, start, end);
  }
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeTempDir));

function database(times: number[]): string {
  const dir = makeTempDir();
  dirs.push(dir);
  const file = join(dir, 'market.db');
  const { store, repo } = writableDb(file);
  const v = barValues(times);
  repo.insertBars('AAPL', '1s', {
    timestamp: times,
    open: v.open!,
    high: v.high!,
    low: v.low!,
    close: v.close!,
    volume: v.volume!,
  });
  store.close();
  return file;
}

describe('gap refill from SQLite', () => {
  it('injected failures that succeed on a retry: the gap ends filled with the database’s bars', async () => {
    const all = seconds(t(9, 30), 900);
    const hole = (x: number) => x >= t(9, 32) && x < t(9, 32, 45);
    const fill = new FlakyFill(new SqliteBarFillSource(database(all)), 3);
    const { coordinator, upkeep, sessionData } = withUpkeep({ fillSource: fill, maxRetries: 5 });
    coordinator.register(
      barsAt(
        'AAPL',
        '1s',
        all.filter((x) => !hole(x)),
      ),
    );
    await coordinator.start();
    expect(upkeep.gapsOf('AAPL').map((g) => ({ ...g }))).toEqual([
      expect.objectContaining({
        start: t(9, 32),
        end: t(9, 32, 45),
        expected: 45,
        filled: 45,
        attempts: 4,
        outcome: 'filled',
      }),
    ]);
    expect(fill.calls).toBe(4);
    const data = sessionData.getSymbolData('AAPL')!;
    expect(data.bars_base.length).toBe(900);
    const i = data.bars_base.lowerBound(t(9, 32, 10));
    expect(data.bar(i)).toMatchObject({
      timestamp: t(9, 32, 10),
      close: barValues([t(9, 32, 10)]).close![0],
    });
    expect(upkeep.trackerOf('AAPL')!.quality).toBe(100);
  });

  it('injected failures that never succeed: the gap ends missing after max_retries', async () => {
    const all = seconds(t(9, 30), 600);
    const fill = new FlakyFill(new SqliteBarFillSource(database(all)), Infinity);
    const { coordinator, upkeep } = withUpkeep({ fillSource: fill, maxRetries: 2 });
    coordinator.register(
      barsAt(
        'AAPL',
        '1s',
        all.filter((x) => x !== t(9, 31, 7)),
      ),
    );
    await coordinator.start();
    expect(upkeep.gapsOf('AAPL')[0]).toMatchObject({
      start: t(9, 31, 7),
      expected: 1,
      filled: 0,
      attempts: 3,
      outcome: 'missing',
      lastError: 'database is locked (injected)',
    });
    expect(fill.calls).toBe(3);
  });

  it('a refill never duplicates a bar the session already has', async () => {
    const all = seconds(t(9, 30), 300);
    const fill = new FlakyFill(new SqliteBarFillSource(database(all)), 0);
    const { coordinator, sessionData } = withUpkeep({ fillSource: fill });
    coordinator.register(
      barsAt(
        'AAPL',
        '1s',
        all.filter((x) => x !== t(9, 30, 30)),
      ),
    );
    await coordinator.start();
    const base = sessionData.getSymbolData('AAPL')!.bars_base;
    expect(base.length).toBe(300);
    expect(new Set(base.timestamp.subarray(0, base.length)).size).toBe(300);
  });
});
