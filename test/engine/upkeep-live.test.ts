/**
 * The upkeep in live mode: cycles every check interval of wall time, paused or not, derived
 * bars as base bars arrive, and a last cycle when the session ends. Wall time is a manual
 * clock the test moves (no sleeping), plus one short run on the real clock.
 */
import { describe, expect, it } from 'vitest';
import { exchangeTimeToUtc } from '../../src/shared/time';
import type { StreamBatch, StreamCursor } from '../../src/shared/stream-cursor';
import { systemWallClock } from '../../src/main/engine/wall-clock';
import { ManualWallClock, settle } from './manual-wall-clock';
import { calendarFor } from '../../src/shared/market/calendars';
import { barValues, withUpkeep } from './upkeep-helpers';

const DAY = '2024-01-02';
const t = (h: number, m: number, s = 0) => exchangeTimeToUtc(DAY, h, m) + s * 1000;
const seconds = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => from + i * 1000);

/** A live feed: rows arrive when the test pushes them, and it ends when told. */
class PushFeed implements StreamCursor {
  readonly type = 'bars' as const;
  readonly interval = '1s' as const;
  private rows: number[] = [];
  private ended = false;
  private waiting: (() => void) | null = null;
  constructor(readonly symbol: string) {}
  push(times: number[]): void {
    this.rows.push(...times);
    this.waiting?.();
  }
  end(): void {
    this.ended = true;
    this.waiting?.();
  }
  async next(maxRows: number): Promise<StreamBatch | null> {
    while (this.rows.length === 0 && !this.ended) {
      await new Promise<void>((r) => (this.waiting = r));
      this.waiting = null;
    }
    if (this.rows.length === 0) return null;
    const times = this.rows.splice(0, maxRows);
    const v = barValues(times);
    return {
      length: times.length,
      timestamp: Float64Array.from(times),
      values: ['open', 'high', 'low', 'close', 'volume'].map((f) => Float64Array.from(v[f]!)),
    };
  }
  abort(): void {
    this.end();
  }
  async close(): Promise<void> {
    this.end();
  }
}

describe('live mode: the upkeep always runs', () => {
  it('cycles every check interval of wall time, while paused too, and once more at the end', async () => {
    const wall = new ManualWallClock(t(9, 30));
    const { coordinator, upkeep, system } = withUpkeep(
      { sessionStart: t(9, 30), derivedIntervals: ['1m'] },
      { mode: 'live', wall },
    );
    const cycles: Array<[number, string]> = [];
    upkeep.onCycle((asOf) => cycles.push([asOf, system.state]));
    const feed = new PushFeed('AAPL');
    coordinator.register(feed);
    const done = coordinator.start();

    feed.push(seconds(t(9, 30), 60));
    await settle();
    expect(cycles).toEqual([]); // no cycle before a check interval of wall time has passed
    await wall.advance(60_000);
    expect(cycles).toEqual([[t(9, 31), 'running']]);
    const tracker = upkeep.trackerOf('AAPL')!;
    expect([tracker.expected, tracker.present]).toEqual([60, 60]);
    // Derived bars follow the live bars: the 09:30 minute is complete at the cycle.
    expect(upkeep.derivedOf('AAPL', '1m')!.completed.length).toBe(1);

    coordinator.pause();
    await wall.advance(60_000);
    expect(cycles.at(-1)).toEqual([t(9, 32), 'paused']);
    // Nothing came in 09:31: one range of 60 missing seconds, settled (no fill source).
    expect(upkeep.gapsOf('AAPL')).toMatchObject([
      { start: t(9, 31), end: t(9, 32), expected: 60, outcome: 'missing' },
    ]);
    expect(tracker.quality).toBe(50);

    coordinator.resume();
    feed.push(seconds(t(9, 32), 30));
    await wall.advance(30_000);
    expect(cycles).toHaveLength(2); // half an interval: no cycle yet
    feed.end();
    await done;
    // The last cycle runs at the end, on wall time.
    expect(cycles.at(-1)![0]).toBe(t(9, 32, 30));
    expect(cycles).toHaveLength(3);
    expect(tracker.present).toBe(90);
  });

  it('stop() ends the loop with a last cycle, even while the feed is waiting for data', async () => {
    const wall = new ManualWallClock(t(9, 30));
    const { coordinator, upkeep } = withUpkeep({ sessionStart: t(9, 30) }, { mode: 'live', wall });
    const cycles: number[] = [];
    upkeep.onCycle((asOf) => cycles.push(asOf));
    const feed = new PushFeed('AAPL');
    coordinator.register(feed);
    const done = coordinator.start();
    feed.push(seconds(t(9, 30), 10));
    await wall.advance(60_000);
    await wall.advance(15_000);
    await coordinator.stop();
    await done;
    expect(cycles).toEqual([t(9, 31), t(9, 31, 15)]);
  });

  it('a short real-time run: cycles on the real clock, then a last one at stop', async () => {
    // Round-the-clock market and bars stamped just now, so the real clock is inside a session.
    const { coordinator, upkeep } = withUpkeep(
      {
        checkIntervalSeconds: 0.05,
        derivedIntervals: ['1m'],
        calendarFor: () => calendarFor('24x7'),
      },
      { mode: 'live', wall: systemWallClock },
    );
    const cycles: number[] = [];
    upkeep.onCycle((asOf) => cycles.push(asOf));
    const feed = new PushFeed('BTCUSDT');
    coordinator.register(feed);
    const done = coordinator.start();
    const now = Math.floor(Date.now() / 1000) * 1000;
    feed.push(seconds(now - 120_000, 120));
    await new Promise((r) => setTimeout(r, 400));
    feed.end();
    await done;
    expect(cycles.length).toBeGreaterThanOrEqual(3);
    expect(cycles.length).toBeLessThan(40);
    for (let i = 1; i < cycles.length; i++)
      expect(cycles[i]!).toBeGreaterThanOrEqual(cycles[i - 1]!);
    expect(upkeep.trackerOf('BTCUSDT')!.present).toBeGreaterThanOrEqual(119);
  });
});
