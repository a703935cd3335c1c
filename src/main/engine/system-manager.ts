/**
 * The system's run state (the seed plan's SystemManager): running, paused or stopped, and
 * the mode. The coordinator and the upkeep consult it; hosts drive it.
 */
export type SystemState = 'running' | 'paused' | 'stopped';
export type SystemMode = 'backtest' | 'live';

type Listener = (state: SystemState) => void;

export class SystemManager {
  private stateValue: SystemState = 'stopped';
  private readonly listeners = new Set<Listener>();

  constructor(readonly mode: SystemMode = 'backtest') {}

  get state(): SystemState {
    return this.stateValue;
  }

  isRunning(): boolean {
    return this.stateValue === 'running';
  }

  isPaused(): boolean {
    return this.stateValue === 'paused';
  }

  isStopped(): boolean {
    return this.stateValue === 'stopped';
  }

  setState(next: SystemState): void {
    if (next === this.stateValue) return;
    this.stateValue = next;
    for (const listener of [...this.listeners]) listener(next);
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves at the next state change. */
  nextChange(): Promise<SystemState> {
    return new Promise((resolve) => {
      const off = this.onChange((s) => {
        off();
        resolve(s);
      });
    });
  }
}
