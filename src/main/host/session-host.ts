/**
 * Opens a session the same way for every host (CLI, Electron, browser mode): validate the
 * config, check every byte of the data before anything loads, then wire storage cursors into
 * a fresh engine. A session with bad data refuses to start; it never half-loads.
 */
import type { DateRange, StreamKey, StreamSource } from '../../shared/stream-cursor';
import type { SessionConfig } from '../../shared/session-config';
import { exchangeTimeToUtc } from '../../shared/time';
import { SessionData } from '../engine/session-data';
import { StreamCoordinator } from '../engine/stream-coordinator';
import { SystemManager } from '../engine/system-manager';
import type { WallClock } from '../engine/wall-clock';

export interface PreflightReport {
  /** Rows that will stream (valid rows, or all rows when nothing was skipped). */
  rows: number;
  /** Bad rows skipped under `skipInvalid`. */
  skipped: number;
  /** Problems that stop the session, each naming file, row and field. */
  problems: string[];
}

/** What a host needs of a store: cursors, and a full check of a stream before the session. */
export interface DataStore {
  readonly source: StreamSource;
  preflight(key: StreamKey, range: DateRange): Promise<PreflightReport>;
}

export class SessionProblems extends Error {
  override name = 'SessionProblems';
  constructor(readonly problems: string[]) {
    super(`The session cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface OpenSessionOptions {
  /** Overrides the config's speed_multiplier. */
  speed?: number;
  wall?: WallClock;
}

export interface Session {
  config: SessionConfig;
  system: SystemManager;
  sessionData: SessionData;
  coordinator: StreamCoordinator;
  /** Items the session will stream, from the preflight. */
  totalRows: number;
  /** Bad rows skipped under `skipInvalid`, per stream label. */
  skipped: Record<string, number>;
}

export function streamKeys(config: SessionConfig): StreamKey[] {
  return config.data_streams.map((s) =>
    s.type === 'bars'
      ? { symbol: s.symbol, type: s.type, interval: s.interval === '1s' ? '1s' : '1m' }
      : { symbol: s.symbol, type: s.type },
  );
}

export function streamLabel(key: StreamKey): string {
  return `${key.symbol} ${key.type === 'bars' ? `${key.interval} bars` : key.type}`;
}

export async function openSession(
  config: SessionConfig,
  store: DataStore,
  options: OpenSessionOptions = {},
): Promise<Session> {
  const range: DateRange = {
    ...(config.backtest_config?.start_date
      ? { start_date: config.backtest_config.start_date }
      : {}),
    ...(config.backtest_config?.end_date ? { end_date: config.backtest_config.end_date } : {}),
  };
  const keys = streamKeys(config);
  const problems: string[] = [];
  const skipped: Record<string, number> = {};
  let totalRows = 0;
  for (const key of keys) {
    try {
      const report = await store.preflight(key, range);
      problems.push(...report.problems);
      totalRows += report.rows;
      if (report.skipped > 0) skipped[streamLabel(key)] = report.skipped;
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) throw new SessionProblems(problems);

  const system = new SystemManager(config.mode);
  const sessionData = new SessionData();
  const coordinator = new StreamCoordinator({
    system,
    sessionData,
    maxQueueSize: config.session_data_config.max_queue_size,
    speed: options.speed ?? config.backtest_config?.speed_multiplier ?? 1,
    ...(range.start_date ? { startClock: exchangeTimeToUtc(range.start_date, 0, 0) } : {}),
    ...(options.wall ? { wall: options.wall } : {}),
  });
  const cursors = [];
  try {
    for (const key of keys) {
      const cursor = await store.source.open(key, range);
      cursors.push(cursor);
      coordinator.register(cursor);
    }
  } catch (error) {
    await Promise.all(cursors.map((c) => c.close()));
    throw error;
  }
  return { config, system, sessionData, coordinator, totalRows, skipped };
}
