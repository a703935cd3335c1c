/**
 * Pacing by speed multiplier, drift-free (docs/design.md §5): every item's wall deadline is
 * computed from an anchor set at start and at each resume, so sleep errors never add up.
 * Only open-market time is waited for.
 */
import {
  openMillisBetween,
  type MarketHours,
  type MarketSession,
} from '../../shared/market/market-hours';
import type { WallClock } from './wall-clock';

export class Pacer {
  private anchorWall = 0;
  private anchorPaced = 0;
  /** Open-market milliseconds of backtest time since the session began. */
  private paced = 0;
  private lastClock: number | null = null;
  private session: MarketSession | null = null;

  constructor(
    private readonly wall: WallClock,
    private readonly hours: MarketHours,
    private speedValue: number,
  ) {}

  get speed(): number {
    return this.speedValue;
  }

  /** Speed 0 means as fast as possible. */
  get unpaced(): boolean {
    return this.speedValue === 0;
  }

  /** Takes effect at the next anchor(). */
  setSpeed(speed: number): void {
    this.speedValue = speed;
  }

  /**
   * Starts timing afresh from now and from the clock as it stands: at start, on resume, and
   * after steps, runUntil or a speed change, so time spent unpaced is never owed later.
   */
  anchor(clock: number): void {
    if (Number.isFinite(clock)) this.lastClock = clock;
    this.anchorWall = this.wall.now();
    this.anchorPaced = this.paced;
  }

  /**
   * The wall time at which an item that moves the clock to `clock` is due. Call in clock
   * order; it also records the move.
   */
  dueAt(clock: number): number {
    const last = this.lastClock;
    this.lastClock = clock;
    if (last === null || clock <= last) return this.deadline();
    const s = this.session;
    // The common case, both ends inside the same open session, costs two comparisons.
    if (s && last >= s.open && clock <= s.close) {
      this.paced += clock - last;
    } else {
      this.paced += openMillisBetween(this.hours, last, clock);
      this.session = this.hours.sessionAfter(clock - 1);
    }
    return this.deadline();
  }

  private deadline(): number {
    if (this.speedValue === 0) return -Infinity;
    return this.anchorWall + (this.paced - this.anchorPaced) / this.speedValue;
  }
}
