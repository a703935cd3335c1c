/**
 * Opens a session the same way for every host (CLI, Electron, browser mode): validate the
 * config, check every byte of the data before anything loads, then wire storage cursors into
 * a fresh engine. A session with bad data refuses to start; it never half-loads.
 */
import type {
  BarFillSource,
  BarHistorySource,
  DateRange,
  StreamKey,
  StreamSource,
} from '../../shared/stream-cursor';
import type { SessionConfig } from '../../shared/session-config';
import { baseIntervalOf } from '../../shared/stream-interval';
import { TickBarCursor } from '../engine/tick-bars';
import { exchangeTimeToUtc } from '../../shared/time';
import { calendarFor } from '../../shared/market/calendars';
import type { CalendarName, ExchangeCalendar } from '../../shared/market/exchange-calendar';
import type { CooperativeTask } from '../engine/cooperative-tasks';
import { alwaysOpen } from '../../shared/market/market-hours';
import { BarHistory } from '../engine/bar-history';
import { Retention } from '../engine/retention';
import { SessionData } from '../engine/session-data';
import { DataUpkeep } from '../engine/upkeep/data-upkeep';
import { StreamCoordinator } from '../engine/stream-coordinator';
import { SystemManager } from '../engine/system-manager';
import type { WallClock } from '../engine/wall-clock';
import { checkCoverage, coverageHoles, type CoverageEntry } from './catalog-check';

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
  /** Which trading days the store has per stream (names and indexes only), to name what is missing. */
  catalog?(): Promise<CoverageEntry[]>;
  /**
   * A store of one file per day names the file a day between two days with data should be in:
   * such a hole is a lost file and stops the session, unless bad data is skipped.
   */
  dayFile?(key: StreamKey, date: string): string;
  /** Bad rows (and lost day files) are skipped and counted instead of stopping the session. */
  skipInvalid?: boolean;
  /** Reads released days back; without it a session keeps every day in memory. */
  history?: BarHistorySource;
}

/**
 * Streams checked at once: a store that decodes on two threads (a parquet reader worker) keeps
 * both busy, and each check holds one slab at a time, so memory stays small.
 */
const PREFLIGHTS_AT_ONCE = 4;

/** `work` over `items`, at most `limit` at a time; results in the items' order. */
async function inTurns<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
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
  /** Where the upkeep refills gaps from; none means gaps are reported but never refilled. */
  fillSource?: BarFillSource | null;
  /** Runs before each upkeep cycle (a strategy delivers bars due by then before a refill). */
  beforeUpkeep?: CooperativeTask;
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
  /** Null when the config disables it. */
  upkeep: DataUpkeep | null;
  /** Bars back in time, from memory or the store: what charts and look-backs read. */
  history: BarHistory;
  /** Null when every day stays in memory (retain_days "all", or a store that cannot read back). */
  retention: Retention | null;
  calendarOf: (symbol: string) => ExchangeCalendar;
  /** Trading days missing inside the asked range, from the catalog (the session still runs). */
  notes: string[];
  /** The dates the session covers, from the config or else the catalog; null without one. */
  dataRange: { start_date: string; end_date: string } | null;
}

/** Each symbol's calendar: its streams' override, else the session's. */
export function calendarsOf(config: SessionConfig): (symbol: string) => ExchangeCalendar {
  const names = new Map<string, CalendarName>();
  for (const stream of config.data_streams) {
    if (stream.calendar) names.set(stream.symbol, stream.calendar);
  }
  return (symbol) => calendarFor(names.get(symbol) ?? config.calendar);
}

export function streamKeys(config: SessionConfig): StreamKey[] {
  return config.data_streams.map((s) => {
    const interval = s.type === 'bars' ? baseIntervalOf(s) : null;
    return interval
      ? { symbol: s.symbol, type: s.type, interval }
      : { symbol: s.symbol, type: s.type };
  });
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
  const calendarOf = calendarsOf(config);
  let notes: string[] = [];
  let dataRange: Session['dataRange'] = null;
  let missing: string[] = [];
  const lost: string[] = [];
  if (store.catalog) {
    // Metadata only; a catalog that cannot be read leaves the judging to the preflight.
    const entries = await store.catalog().catch(() => null);
    if (entries) {
      const coverage = checkCoverage(keys, range, entries, calendarOf);
      missing = coverage.problems;
      notes = coverage.notes;
      dataRange = coverage.range;
      if (store.dayFile && !store.skipInvalid) {
        for (const { key, dates } of coverageHoles(keys, range, entries, calendarOf)) {
          for (const date of dates.slice(0, 5)) {
            lost.push(
              `${streamLabel(key)}: ${store.dayFile(key, date)} is missing, between days that ` +
                'have data; restore it, or run with --skip-invalid to go on without that day',
            );
          }
          if (dates.length > 5)
            lost.push(`${streamLabel(key)}: … and ${dates.length - 5} more days`);
        }
      }
    }
  }
  const problems: string[] = [];
  const skipped: Record<string, number> = {};
  let totalRows = 0;
  const reports = await inTurns(keys, PREFLIGHTS_AT_ONCE, (key) =>
    store.preflight(key, range).catch((error: unknown) => ({
      rows: 0,
      skipped: 0,
      problems: [error instanceof Error ? error.message : String(error)],
    })),
  );
  keys.forEach((key, i) => {
    const report = reports[i]!;
    problems.push(...report.problems);
    totalRows += report.rows;
    if (report.skipped > 0) skipped[streamLabel(key)] = report.skipped;
  });
  // The store's own message names the files or query; the catalog's says what there is instead.
  problems.push(...missing, ...lost);
  if (problems.length > 0) throw new SessionProblems(problems);

  const system = new SystemManager(config.mode);
  const sessionData = new SessionData();
  const symbols = [...new Set(config.data_streams.map((s) => s.symbol))];
  // Pacing skips only the time when every symbol's market is closed.
  const roundTheClock = symbols.some((symbol) => calendarOf(symbol).name === '24x7');
  const sessionStart = range.start_date ? exchangeTimeToUtc(range.start_date, 0, 0) : undefined;
  // The midnight after the end date: a calendar of UTC days counts one day more (a capacity,
  // so more is harmless where fewer would mean doubling a year's store at its end).
  const sessionEnd = range.end_date
    ? exchangeTimeToUtc(range.end_date, 0, 0) + 24 * 3_600_000
    : undefined;
  const coordinator = new StreamCoordinator({
    system,
    sessionData,
    maxQueueSize: config.session_data_config.max_queue_size,
    allowedLatenessMs: config.session_data_config.allowed_lateness_ms,
    speed: options.speed ?? config.backtest_config?.speed_multiplier ?? 1,
    marketHours: roundTheClock ? alwaysOpen : calendarFor(config.calendar),
    ...(sessionStart !== undefined ? { startClock: sessionStart } : {}),
    ...(options.wall ? { wall: options.wall } : {}),
  });
  const upkeepConfig = config.session_data_config.data_upkeep;
  let upkeep: DataUpkeep | null = null;
  if (upkeepConfig.enabled) {
    upkeep = new DataUpkeep({
      sessionData,
      calendarFor: calendarOf,
      derivedIntervals: upkeepConfig.derived_intervals,
      checkIntervalSeconds: upkeepConfig.check_interval_seconds,
      maxRetries: upkeepConfig.max_retries,
      fillForward: config.session_data_config.fill_forward,
      fillSource: options.fillSource ?? null,
      ...(sessionStart !== undefined ? { sessionStart } : {}),
      ...(sessionEnd !== undefined && config.mode === 'backtest' ? { sessionEnd } : {}),
    });
    coordinator.subscribe(upkeep.onBatch);
    if (options.beforeUpkeep) coordinator.addTask(options.beforeUpkeep);
    coordinator.addTask(upkeep);
  }
  const retainDays = config.session_data_config.retain_days;
  let retention: Retention | null = null;
  // Live sessions keep everything: their days are being written, not read back.
  if (retainDays !== 'all' && store.history && config.mode === 'backtest') {
    sessionData.heldDays = retainDays + 1;
    const held = upkeep;
    retention = new Retention({
      sessionData,
      retainDays,
      calendarFor: calendarOf,
      ...(held
        ? {
            releaseUpkeep: (symbol: string, before: number) => held.releaseBefore(symbol, before),
          }
        : {}),
    });
    if (held) retention.addHold((symbol) => held.heldFrom(symbol));
    coordinator.addTask(retention);
  }
  const history = new BarHistory(sessionData, store.history ?? null, calendarOf);
  const cursors = [];
  try {
    for (const key of keys) {
      const cursor = await store.source.open(key, range);
      cursors.push(cursor);
      coordinator.register(cursor);
    }
    // Base bars built from trades: a second pass over the same ticks, as a bar stream.
    for (const stream of config.data_streams) {
      if (stream.type !== 'ticks' || !stream.bars_from_ticks) continue;
      const ticks = await store.source.open({ symbol: stream.symbol, type: 'ticks' }, range);
      const bars = new TickBarCursor(ticks, stream.bars_from_ticks);
      cursors.push(bars);
      coordinator.register(bars);
    }
  } catch (error) {
    await Promise.all(cursors.map((c) => c.close()));
    throw error;
  }
  upkeep?.prepare();
  return {
    config,
    system,
    sessionData,
    coordinator,
    totalRows,
    skipped,
    upkeep,
    history,
    retention,
    calendarOf,
    notes,
    dataRange,
  };
}
