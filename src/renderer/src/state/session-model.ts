/**
 * Everything the screen shows about the running session, outside the charts' series: info,
 * status, stats, queues, quality strips and the log. It applies the host's snapshot and its
 * per-frame updates, and tells subscribers which slice changed, so the clock re-renders every
 * frame while the tables only when their stats do. Pure: no DOM, no React.
 */
import type {
  LogEntry,
  QualityStrip,
  QueueStatInfo,
  SessionInfo,
  SessionSnapshot,
  SessionStatus,
  SessionUpdate,
  SymbolStats,
} from '../../../shared/ipc-contract';

export type Slice = 'info' | 'status' | 'stats' | 'logs';

export const MAX_LOG_ENTRIES = 1000;

export const IDLE_STATUS: SessionStatus = {
  state: 'idle',
  clock: null,
  speed: 1,
  progress: 0,
  events: 0,
  error: null,
};

export class SessionModel {
  info: SessionInfo | null = null;
  status: SessionStatus = IDLE_STATUS;
  stats: SymbolStats[] = [];
  queues: QueueStatInfo[] = [];
  queueText: string[] = [];
  strips: QualityStrip[] = [];
  logs: LogEntry[] = [];
  private readonly versions: Record<Slice, number> = { info: 0, status: 0, stats: 0, logs: 0 };
  private readonly listeners = new Set<(slice: Slice) => void>();

  version(slice: Slice): number {
    return this.versions[slice];
  }

  subscribe(listener: (slice: Slice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  applySnapshot(snapshot: SessionSnapshot): void {
    this.info = snapshot.info;
    this.status = snapshot.status;
    this.stats = snapshot.stats;
    this.queues = snapshot.queues;
    this.queueText = snapshot.queueText;
    this.strips = [];
    // The host's log is the record; entries this renderer added locally are kept too.
    const local = this.logs.filter((e) => !snapshot.logs.some((s) => sameEntry(s, e)));
    this.logs = trim([...snapshot.logs, ...local].sort((a, b) => a.time - b.time));
    for (const slice of ['info', 'status', 'stats', 'logs'] as const) this.bump(slice);
  }

  applyUpdate(update: SessionUpdate): void {
    this.status = update.status;
    this.bump('status');
    if (update.stats || update.queues || update.queueText) {
      if (update.stats) this.stats = update.stats;
      if (update.queues) this.queues = update.queues;
      if (update.queueText) this.queueText = update.queueText;
      this.bump('stats');
    }
  }

  setStrips(strips: QualityStrip[]): void {
    this.strips = strips;
    this.bump('stats');
  }

  setStatus(status: SessionStatus): void {
    this.status = status;
    this.bump('status');
  }

  log(entry: LogEntry): void {
    this.logs = trim([...this.logs, entry]);
    this.bump('logs');
  }

  /** A failure in the renderer itself (a refused request, a lost connection) goes to the log. */
  logError(message: string, level: LogEntry['level'] = 'error', now = Date.now()): void {
    this.log({ time: now, level, message });
  }

  private bump(slice: Slice): void {
    this.versions[slice] += 1;
    for (const listener of this.listeners) listener(slice);
  }
}

function sameEntry(a: LogEntry, b: LogEntry): boolean {
  return a.time === b.time && a.message === b.message && a.level === b.level;
}

function trim(entries: LogEntry[]): LogEntry[] {
  return entries.length > MAX_LOG_ENTRIES ? entries.slice(-MAX_LOG_ENTRIES) : entries;
}
