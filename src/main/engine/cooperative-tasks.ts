/**
 * Work that runs beside the merge on backtest time (the upkeep). A cycle due at T runs once
 * every item available at or before T has been emitted, and before any later one, so what a
 * cycle sees never depends on speed or batch size.
 */
export interface CooperativeTask {
  /** Called once, before the first item (its availability and stored timestamp) is emitted. */
  begin(available: number, timestamp: number): void;
  /** Backtest time of the next cycle; NaN while unknown. */
  nextDue(): number;
  runCycle(asOf: number): Promise<void>;
  /** One last cycle when the session ends. */
  finalCycle(asOf: number): Promise<void>;
}

export class TaskRunner {
  private readonly tasks: CooperativeTask[] = [];
  private begun = false;
  /** The earliest cycle due; an item available after it waits for the cycle. */
  nextAt = Infinity;

  constructor(private readonly enabled: boolean) {}

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
    for (const task of this.tasks) {
      for (let due = task.nextDue(); due < before; due = task.nextDue()) await task.runCycle(due);
    }
    this.update();
  }

  async finish(clock: number): Promise<void> {
    if (!this.enabled || !Number.isFinite(clock)) return;
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
