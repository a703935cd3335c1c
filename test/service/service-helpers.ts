/**
 * A SessionService on the demo data in a temp dir, with every pushed event recorded and a
 * way to wait for one.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  BarColumns,
  LogEntry,
  QuoteColumns,
  SessionSnapshot,
  SessionUpdate,
} from '../../src/shared/ipc-contract';
import type { EventName } from '../../src/shared/ws-protocol';
import { demoSessionConfig, generateDemoData } from '../../src/main/storage/demo-data';
import { SessionService, type SessionServiceOptions } from '../../src/main/service/session-service';

let demoDir: string | null = null;

/** The demo data set, written once per test file. */
export function demoData(): string {
  if (!demoDir) {
    demoDir = join(mkdtempSync(join(tmpdir(), 'tapedeck-service-')), 'data');
    generateDemoData(demoDir);
  }
  return demoDir;
}

export const demoConfig = demoSessionConfig;

export interface Recorder {
  service: SessionService;
  updates: SessionUpdate[];
  logs: LogEntry[];
  /** Every event, in order. */
  events: Array<{ event: EventName; payload: unknown }>;
  /** Resolves once an update matches (checked on every update, the latest first). */
  until(match: (update: SessionUpdate) => boolean): Promise<SessionUpdate>;
  call<T = unknown>(method: string, payload?: unknown): Promise<T>;
}

export function recorder(options: Partial<Omit<SessionServiceOptions, 'emit'>> = {}): Recorder {
  const updates: SessionUpdate[] = [];
  const logs: LogEntry[] = [];
  const events: Recorder['events'] = [];
  const waiters: Array<{
    match: (u: SessionUpdate) => boolean;
    resolve: (u: SessionUpdate) => void;
  }> = [];
  const emit = (event: EventName, payload: unknown): void => {
    events.push({ event, payload });
    if (event === 'log') logs.push(payload as LogEntry);
    if (event !== 'sessionUpdate') return;
    const update = payload as SessionUpdate;
    updates.push(update);
    for (const w of [...waiters]) {
      if (w.match(update)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(update);
      }
    }
  };
  const service = new SessionService({ dataDir: demoData(), host: 'browser', ...options, emit });
  return {
    service,
    updates,
    logs,
    events,
    until(match) {
      const seen = [...updates].reverse().find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    call: <T>(method: string, payload?: unknown) => service.handle(method, payload) as Promise<T>,
  };
}

export const finished = (u: SessionUpdate): boolean =>
  u.status.state === 'done' || u.status.state === 'stopped' || u.status.state === 'error';

/** The snapshot, and every series a screen could show at the current clock, to compare. */
export async function screenAtClock(r: Recorder): Promise<{
  snap: SessionSnapshot;
  series: Record<string, BarColumns | QuoteColumns>;
}> {
  const snap = await r.call<SessionSnapshot>('snapshot');
  const series: Record<string, BarColumns | QuoteColumns> = {};
  for (const s of snap.info!.symbols) {
    for (const interval of [s.baseInterval!, ...s.derivedIntervals]) {
      series[`${s.symbol} ${interval}`] = await r.call<BarColumns>('getBars', {
        symbol: s.symbol,
        interval,
      });
    }
    if (s.hasQuotes)
      series[`${s.symbol} quotes`] = await r.call<QuoteColumns>('getQuotes', { symbol: s.symbol });
  }
  return { snap, series };
}
