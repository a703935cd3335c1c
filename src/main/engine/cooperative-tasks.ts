/**
 * Work that runs beside the merge (the upkeep). In a backtest it runs on backtest time: a cycle
 * due at T runs once every item available at or before T has been emitted, and before any later
 * one, so what a cycle sees never depends on speed or batch size. In live mode it runs on wall
 * time in a loop of its own, paused or not, with a last cycle at the end.
 */
import type { WallClock } from './wall-clock';

export interface CooperativeTask {
  /** Called once, before the first item (its availability and stored timestamp) is emitted. */
  begin(available: number, timestamp: number): void;
  /** Backtest time of the next cycle; NaN while unknown. */
  nextDue(): number;
  runCycle(asOf: number): Promise<void>;
  /** The same cycle started at once: null when it finished without waiting. */
  runCycleNow?(asOf: number): Promise<void> | null;
  /** One last cycle when the session ends. */
  finalCycle(asOf: number): Promise<void>;
  /** Live mode: cycles on wall time until `signal` aborts. */
  runLive?(wall: WallClock, signal: AbortSignal): Promise<void>;
}

export class TaskRunner {
  private readonly tasks: CooperativeTask[] = [];
  private begun = false;
  /** The earliest cycle due; an item available after it waits for the cycle. */
  nextAt = Infinity;

  private live: { abort: AbortController; loops: Promise<void>[] } | null = null;
  private readonly enabled: boolean;

  /** `wall` given: live mode, where tasks cycle on wall time instead of between items. */
  constructor(private readonly wall: WallClock | null) {
    this.enabled = wall === null;
  }

  /** Live mode: starts every task's wall-time loop (once). */
  startLive(): void {
    if (!this.wall || this.live) return;
    const abort = new AbortController();
    const wall = this.wall;
    const loops = this.tasks.map((task) => task.runLive?.(wall, abort.signal) ?? Promise.resolve());
    this.live = { abort, loops };
  }

  get begunOrIdle(): boolean {
    return this.begun || this.tasks.length === 0;
  }

  add(task: CooperativeTask): void {
    this.tasks.push(task);
    this.update();
  }

  begin(available: number, timestamp: number): void {
    for (const task of this.tasks) task.begin(available, timestamp);
    this.begun = true;
    this.update();
  }

  /** Runs every cycle due strictly before `before`. */
  async runDue(before: number): Promise<void> {
    const pending = this.runDueNow(before);
    if (pending) await pending;
  }

  /**
   * runDue() without a trip through the event loop when no cycle has to wait: null when every
   * due cycle finished at once, else a promise of the rest.
   */
  runDueNow(before: number): Promise<void> | null {
    for (const task of this.tasks) {
      for (let due = task.nextDue(); due < before; due = task.nextDue()) {
        const pending = task.runCycleNow ? task.runCycleNow(due) : task.runCycle(due);
        if (pending) return pending.then(() => this.runDue(before));
      }
    }
    this.update();
    return null;
  }

  /** Live mode: ends the loops without a last cycle (the session failed). */
  abortLive(): void {
    this.live?.abort.abort();
    this.live = null;
  }

  async finish(clock: number): Promise<void> {
    if (this.wall) {
      const live = this.live;
      if (!live) return;
      this.live = null;
      live.abort.abort();
      await Promise.all(live.loops);
      for (const task of this.tasks) await task.finalCycle(this.wall.now());
      return;
    }
    if (!Number.isFinite(clock)) return;
    await this.runDue(clock);
    for (const task of this.tasks) await task.finalCycle(clock);
    this.update();
  }

  /** Re-reads the tasks' next cycles (after a flush, a cycle or a registration). */
  update(): void {
    let next = Infinity;
    if (this.enabled) {
      for (const task of this.tasks) {
        const due = task.nextDue();
        if (due < next) next = due;
      }
    }
    this.nextAt = next;
  }
}
