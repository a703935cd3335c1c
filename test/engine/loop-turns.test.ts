/**
 * A replay flat out gives the event loop a turn at least every `yieldMs` of wall time, however
 * often upkeep-like tasks cut the merge's calls short: the host's Pause and requests are heard.
 * Wall time here is a clock that moves a millisecond each time it is read, so the count of
 * turns is exact, not timed.
 */
import { describe, expect, it } from 'vitest';
import type { CooperativeTask } from '../../src/main/engine/cooperative-tasks';
import type { WallClock } from '../../src/main/engine/wall-clock';
import { at, bars, setup } from './helpers';

/** Reading it moves it on a millisecond. */
class TickingWall implements WallClock {
  private t = 0;
  now(): number {
    return (this.t += 1);
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

/** A cycle every 10 s of backtest time, finishing at once: calls of 10 items for one symbol. */
function everyTenSeconds(): CooperativeTask & { cycles: number } {
  let next = Number.NaN;
  const task = {
    cycles: 0,
    begin(available: number) {
      next = available + 10_000;
    },
    nextDue: () => next,
    runCycle: () => Promise.resolve(),
    runCycleNow(asOf: number) {
      task.cycles++;
      while (next <= asOf) next += 10_000;
      return null;
    },
    finalCycle: () => Promise.resolve(),
  };
  return task;
}

async function turnsDuring(yieldMs: number): Promise<{ turns: number; cycles: number }> {
  const { coordinator, events } = setup({ wall: new TickingWall() });
  coordinator.yieldMs = yieldMs;
  const task = everyTenSeconds();
  coordinator.addTask(task);
  coordinator.register(bars('AAPL', '1s', at(9, 30), 20_000));
  let turns = 0;
  let running = true;
  const count = (): void => {
    if (!running) return;
    turns++;
    setImmediate(count);
  };
  setImmediate(count);
  await coordinator.start();
  running = false;
  expect(events).toHaveLength(20_000);
  return { turns, cycles: task.cycles };
}

describe('turns of the event loop during a replay flat out', () => {
  it('come every yieldMs of wall time, though tasks end each call of the merge after 10 items', async () => {
    const turned = await turnsDuring(50);
    // 2,000 calls of the merge, each reading the clock once: 2,000 ms, so about 40 turns.
    expect(turned.cycles).toBeGreaterThanOrEqual(1_999);
    expect(turned.turns).toBeGreaterThanOrEqual(35);
    expect(turned.turns).toBeLessThanOrEqual(45);
    // Left infinite (headless runs), the calls never add up to a yield: the loop waits.
    const headless = await turnsDuring(Number.POSITIVE_INFINITY);
    expect(headless.turns).toBeLessThanOrEqual(2);
  });
});
