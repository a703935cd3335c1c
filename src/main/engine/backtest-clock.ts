/**
 * The backtest clock. Anyone may read it; only the stream coordinator, which holds the
 * advancer, may move it (the seed plan: "backtest time advancement, ONLY LOCATION").
 */
import type { WallClock } from './wall-clock';

export interface ClockReader {
  /** UTC epoch milliseconds. */
  now(): number;
}

export class BacktestClock implements ClockReader {
  private current: number;

  private constructor(
    start: number,
    private readonly live: WallClock | null,
  ) {
    this.current = start;
  }

  /** Data-driven time; returns the clock and the one function that moves it. */
  static backtest(start: number): { clock: BacktestClock; advance: (t: number) => void } {
    const clock = new BacktestClock(start, null);
    return {
      clock,
      advance: (t: number) => {
        // Time never runs backwards: the coordinator merges in order and skips stale items.
        if (t > clock.current) clock.current = t;
      },
    };
  }

  /** Live mode: the clock is wall time and nobody sets it. */
  static live(wall: WallClock): BacktestClock {
    return new BacktestClock(wall.now(), wall);
  }

  now(): number {
    return this.live ? this.live.now() : this.current;
  }
}
