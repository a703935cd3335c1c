/**
 * Errors, warnings and notes for the log pane: each one pushed to the renderer as it happens
 * and kept in a ring, so a reloaded renderer sees the recent ones in its snapshot.
 */
import type { LogEntry } from '../../shared/ipc-contract';

export class LogRing {
  private readonly entries: LogEntry[] = [];

  constructor(
    private readonly onEntry: (entry: LogEntry) => void,
    private readonly capacity = 500,
    private readonly now: () => number = Date.now,
  ) {}

  add(level: LogEntry['level'], message: string): void {
    const entry: LogEntry = { time: this.now(), level, message };
    this.entries.push(entry);
    if (this.entries.length > this.capacity)
      this.entries.splice(0, this.entries.length - this.capacity);
    this.onEntry(entry);
  }

  info(message: string): void {
    this.add('info', message);
  }

  warn(message: string): void {
    this.add('warn', message);
  }

  error(message: string): void {
    this.add('error', message);
  }

  list(): LogEntry[] {
    return [...this.entries];
  }
}
