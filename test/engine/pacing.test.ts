import { describe, expect, it } from 'vitest';
import { FakeWallClock } from '../../src/main/engine/wall-clock';
import { exchangeTimeToUtc } from '../../src/shared/time';
import { calendarFor } from '../../src/shared/market/calendars';
import { at, bars, quotes, setup } from './helpers';
import type { EventBatch } from '../../src/main/engine/event-batch';

function recordWallTimes(
  coordinator: ReturnType<typeof setup>['coordinator'],
  wall: FakeWallClock,
): Array<{ clock: number; wall: number }> {
  const seen: Array<{ clock: number; wall: number }> = [];
  coordinator.subscribe((batch: EventBatch) => {
    for (let i = 0; i < batch.length; i++) seen.push({ clock: batch.clock[i]!, wall: wall.now() });
  });
  return seen;
}

describe('pacing by speed multiplier (fake wall clock, no real sleeps)', () => {
  it('at speed 60 each 1s bar is delivered 1000/60 ms of wall time after the previous one, drift-free', async () => {
    const wall = new FakeWallClock(1_000_000);
    const { coordinator } = setup({ speed: 60, wall });
    coordinator.register(bars('AAPL', '1s', at(9, 30), 600));
    const seen = recordWallTimes(coordinator, wall);
    await coordinator.start();
    expect(seen).toHaveLength(600);
    const start = 1_000_000;
    for (const { clock, wall: w } of seen) {
      // Deadline = anchor + (clock - first clock) / 60, computed from the anchor every time.
      const expected = start + (clock - at(9, 30, 1)) / 60;
      expect(Math.abs(w - expected)).toBeLessThan(1e-6);
    }
    // Ten minutes of market at 60x is ten seconds of wall time, less the first item's second.
    expect(wall.now() - start).toBeCloseTo((599 * 1000) / 60, 6);
  });

  it('oversleeping does not accumulate: a late wake-up is absorbed by the next deadline', async () => {
    const late = new (class extends FakeWallClock {
      override async sleep(ms: number): Promise<void> {
        await super.sleep(ms + 5); // every sleep wakes 5 ms late
      }
    })(0);
    const { coordinator } = setup({ speed: 10, wall: late });
    coordinator.register(bars('AAPL', '1s', at(9, 30), 101));
    const seen = recordWallTimes(coordinator, late);
    await coordinator.start();
    // 100 s of market at 10x is 10 s; lateness stays one sleep's worth, not 100 of them.
    const last = seen[seen.length - 1]!;
    expect(last.wall).toBeGreaterThanOrEqual(10_000);
    expect(last.wall).toBeLessThanOrEqual(10_005);
  });

  it('nights and weekends are skipped without waiting', async () => {
    const wall = new FakeWallClock(0);
    const { coordinator } = setup({ speed: 60, wall });
    const friClose = exchangeTimeToUtc('2024-01-05', 15, 59);
    const monOpen = exchangeTimeToUtc('2024-01-08', 9, 30);
    const cursor = bars('AAPL', '1m', friClose, 1);
    coordinator.register(cursor);
    coordinator.register(bars('TSLA', '1m', monOpen, 1));
    const seen = recordWallTimes(coordinator, wall);
    await coordinator.start();
    expect(seen.map((s) => s.clock)).toEqual([friClose + 60_000, monOpen + 60_000]);
    // Friday 16:00 → Monday 09:31 costs only Monday's open minute: 60 s / 60 = 1 s.
    expect(seen[1]!.wall - seen[0]!.wall).toBe(1000);
  });

  it('starts at the first item, not at the session’s nominal start 19 hours before it', async () => {
    const wall = new FakeWallClock(0);
    const dayStart = Date.parse('2016-10-07T04:00:00Z');
    const first = Date.parse('2016-10-07T23:00:00Z');
    const { coordinator } = setup({
      speed: 1,
      wall,
      startClock: dayStart,
      marketHours: calendarFor('24x7'),
    });
    coordinator.register(bars('BTCUSD', '1s', first, 3));
    const seen = recordWallTimes(coordinator, wall);
    await coordinator.start();
    expect(seen.map((s) => s.wall)).toEqual([0, 1000, 2000]);
    expect(wall.sleeps.every((ms) => ms <= 1000)).toBe(true);
    expect(coordinator.waitingFor).toBeNull();
  });

  it('speed 0 never sleeps', async () => {
    const wall = new FakeWallClock(0);
    const { coordinator } = setup({ speed: 0, wall });
    coordinator.register(bars('AAPL', '1s', at(9, 30), 1000));
    await coordinator.start();
    expect(wall.sleeps).toEqual([]);
  });

  it('resume re-anchors: time spent paused is not made up by rushing', async () => {
    const wall = new FakeWallClock(0);
    const { coordinator, system } = setup({ speed: 1, wall });
    coordinator.register(bars('AAPL', '1s', at(9, 30), 10));
    const seen = recordWallTimes(coordinator, wall);
    system.setState('paused');
    const done = coordinator.start();
    await coordinator.step();
    wall.advance(60_000); // a minute at the coffee machine
    coordinator.resume();
    await done;
    const gaps = seen.slice(1).map((s, i) => s.wall - seen[i]!.wall);
    expect(gaps[0]).toBeGreaterThanOrEqual(60_000);
    expect(gaps.slice(1)).toEqual(Array(8).fill(1000));
  });

  it('live mode: the clock is wall time, items are not paced, the coordinator never sets it', async () => {
    const wall = new FakeWallClock(exchangeTimeToUtc('2024-01-02', 12, 0));
    const { coordinator, events } = setup({ mode: 'live', speed: 1, wall });
    coordinator.register(quotes('AAPL', [at(9, 30), at(10, 0)]));
    await coordinator.start();
    expect(wall.sleeps).toEqual([]);
    expect(events).toHaveLength(2);
    expect(coordinator.clock.now()).toBe(wall.now());
    expect(events.every((e) => e.clock === wall.now())).toBe(true);
  });
});
