/**
 * A cooperative task whose work is bound later: it holds a task's place in the runner's
 * order before the thing doing the work exists (the strategy needs the opened session).
 */
import type { CooperativeTask } from '../cooperative-tasks';

export class DeferredTask implements CooperativeTask {
  private target: CooperativeTask | null = null;

  bind(task: CooperativeTask): void {
    this.target = task;
  }

  begin(available: number, timestamp: number): void {
    this.target?.begin(available, timestamp);
  }

  nextDue(): number {
    return this.target ? this.target.nextDue() : Number.NaN;
  }

  async runCycle(asOf: number): Promise<void> {
    await this.target?.runCycle(asOf);
  }

  async finalCycle(asOf: number): Promise<void> {
    await this.target?.finalCycle(asOf);
  }
}
