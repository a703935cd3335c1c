/**
 * The session config: one schema shared by the CLI, the main process and the renderer's
 * editor. It accepts the seed plan's examples verbatim. Validation reports every problem at
 * once, each naming the stream's index and symbol, in the seed plan's wording (§1.3, §6.1).
 */
import { z } from 'zod';
import { CALENDARS } from './market/exchange-calendar';
import {
  BASE_INTERVALS,
  INTERVALS,
  isBaseInterval,
  isDerivableFrom,
  isInterval,
  type Interval,
} from './interval';
import { feedProblems, FeedConfigSchema } from './feed-config';
import { ExecutionConfigSchema, StrategyConfigSchema } from './strategy/execution-config';
import { STREAM_TYPES } from './stream-types';
import { SYMBOL_PATTERN } from './symbol';

/** A date written YYYY-MM-DD that names a real calendar day. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected an exchange-local date as YYYY-MM-DD')
  // Date.parse rolls 2024-02-30 over to March 1st: the date must read back as itself.
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
  }, 'Not a calendar date');

/** The seed plan's older configs gave derived intervals as minutes ([5, 15]); keep reading them. */
const derivedInterval = z.union([z.string(), z.number()]).transform((value, ctx): Interval => {
  const name =
    typeof value === 'number' && Number.isInteger(value) && value > 0
      ? value >= 60 && value % 60 === 0
        ? `${value / 60}h`
        : `${value}m`
      : value;
  if (isInterval(name)) return name;
  ctx.addIssue({
    code: 'custom',
    message:
      `Unknown interval ${JSON.stringify(value)}` +
      (typeof value === 'number' ? ' (minutes)' : '') +
      `. Supported intervals: ${INTERVALS.join(', ')}.`,
  });
  return z.NEVER;
});

export { CALENDARS } from './market/exchange-calendar';

export const DataStreamConfigSchema = z.strictObject({
  type: z.enum(STREAM_TYPES),
  symbol: z
    .string()
    .trim()
    .toUpperCase()
    .regex(SYMBOL_PATTERN, 'Symbol must be 1-32 letters, digits, "." or "-"'),
  /** Checked with a clearer message by streamProblems, which covers every interval issue. */
  interval: z.enum(BASE_INTERVALS).optional(),
  /** Overrides the session's calendar for this symbol. */
  calendar: z.enum(CALENDARS).optional(),
  /**
   * Tick streams only: build the symbol's base bars from its trades (for symbols with ticks
   * and no stored bars). They flow into derived bars and quality like stored bars.
   */
  bars_from_ticks: z.enum(['1s', '1m']).optional(),
});
export type DataStreamConfig = z.output<typeof DataStreamConfigSchema>;

export { baseIntervalOf } from './stream-interval';

export const DataUpkeepConfigSchema = z.strictObject({
  enabled: z.boolean().default(true),
  derived_intervals: z.array(derivedInterval).default(['1m', '5m', '15m']),
  check_interval_seconds: z.number().positive().default(60),
  max_retries: z.number().int().nonnegative().default(5),
});

export const SessionDataConfigSchema = z.strictObject({
  data_upkeep: DataUpkeepConfigSchema.prefault({}),
  /**
   * Trading days of base bars kept in memory before the current one; older ones are released
   * (the store has them, and reading history fetches them back). `all` keeps every day.
   */
  retain_days: z
    .union([z.number().int().min(0).max(10_000), z.literal('all')], {
      error: 'retain_days must be a whole number of days from 0 to 10000, or "all"',
    })
    .default(1),
  /** Items buffered per stream queue; bounds memory whatever the data size. */
  max_queue_size: z.number().int().min(16).max(10_000_000).default(50_000),
  /**
   * Give each empty regular-hours interval a synthetic flat bar at the previous close (LEAN's
   * fill-forward). Synthetic bars never count toward quality.
   */
  fill_forward: z.boolean().default(false),
  /**
   * Live mode: how long the merge waits for a silent stream before it emits newer items of
   * the others; an item arriving later than this is emitted as late and counted.
   */
  allowed_lateness_ms: z.number().int().nonnegative().max(600_000).default(2000),
});

export const BacktestConfigSchema = z
  .strictObject({
    start_date: isoDate.optional(),
    end_date: isoDate.optional(),
    /** 1 = real time, 60 = a minute per second, 0 = as fast as possible. */
    speed_multiplier: z.number().nonnegative().finite().default(1),
  })
  .refine((c) => !c.start_date || !c.end_date || c.start_date <= c.end_date, {
    message: 'start_date must not be after end_date',
    path: ['end_date'],
  });

export const DataSourceConfigSchema = z.strictObject({
  type: z.enum(['parquet', 'sqlite']).default('parquet'),
  /** Relative paths resolve against the data directory the host was given. */
  path: z.string().min(1).optional(),
});

export const SessionConfigSchema = z.strictObject({
  session_name: z.string().trim().min(1, 'session_name must not be empty'),
  mode: z.enum(['backtest', 'live']).default('backtest'),
  data_streams: z.array(DataStreamConfigSchema).min(1, 'At least one data stream is required'),
  session_data_config: SessionDataConfigSchema.prefault({}),
  backtest_config: BacktestConfigSchema.optional(),
  data_source: DataSourceConfigSchema.prefault({}),
  /** The default calendar of every symbol. */
  calendar: z.enum(CALENDARS).default('XNYS'),
  /** The strategy that trades the session; none means a replay only. */
  strategy: StrategyConfigSchema.optional(),
  /** How simulated orders fill (used by the strategy and by manual trading). */
  execution: ExecutionConfigSchema.prefault({}),
  /** Live sessions only: the market-data feed their streams come from. */
  feed: FeedConfigSchema.optional(),
});

export type SessionConfig = z.output<typeof SessionConfigSchema>;
export type SessionConfigInput = z.input<typeof SessionConfigSchema>;

export interface ConfigProblem {
  /** Dotted path into the config, e.g. `data_streams[2].interval`. */
  path: string;
  message: string;
  stream_index?: number;
  symbol?: string;
}

export type ConfigResult =
  { ok: true; config: SessionConfig; notes: string[] } | { ok: false; problems: ConfigProblem[] };

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

function streamLabel(index: number, symbol: string | undefined): string {
  return symbol ? `data_streams[${index}] (${symbol})` : `data_streams[${index}]`;
}

/**
 * Rules that span streams, run on the raw input so that they are reported even when some
 * other field is also wrong.
 */
function streamProblems(rawStreams: unknown): ConfigProblem[] {
  if (!Array.isArray(rawStreams)) return [];
  const problems: ConfigProblem[] = [];
  const barIntervalBySymbol = new Map<string, string>();
  const seenOther = new Set<string>();
  rawStreams.forEach((raw, index) => {
    if (typeof raw !== 'object' || raw === null) return;
    const s = raw as Record<string, unknown>;
    const symbol = typeof s.symbol === 'string' ? s.symbol.trim().toUpperCase() : undefined;
    const add = (field: string, message: string): void => {
      problems.push({
        path: `data_streams[${index}]${field ? `.${field}` : ''}`,
        message: `${streamLabel(index, symbol)}: ${message}`,
        stream_index: index,
        symbol,
      });
    };
    if (s.bars_from_ticks !== undefined && s.type !== 'ticks') {
      add(
        'bars_from_ticks',
        `bars_from_ticks applies to ticks streams only (this is ${String(s.type)})`,
      );
    }
    if (s.type === 'ticks' && (s.bars_from_ticks === '1s' || s.bars_from_ticks === '1m')) {
      if (symbol !== undefined) {
        const prev = barIntervalBySymbol.get(symbol);
        if (prev !== undefined) {
          add(
            'bars_from_ticks',
            `Duplicate bar stream for ${symbol}. Found both ${prev} and ${s.bars_from_ticks} (from ticks). ` +
              `Only one bar interval allowed per symbol.`,
          );
        } else barIntervalBySymbol.set(symbol, `${s.bars_from_ticks} (from ticks)`);
      }
    }
    if (s.type === 'bars') {
      const interval = s.interval;
      if (interval === undefined || interval === null || interval === '') {
        add('interval', 'Bar streams require an interval');
      } else if (!isBaseInterval(interval)) {
        add(
          'interval',
          `Invalid bar interval: ${String(interval)}. Only '1s' or '1m' are supported as base ` +
            `intervals. Derived intervals (5m, 15m, etc.) are computed automatically.`,
        );
      }
      if (symbol !== undefined) {
        const prev = barIntervalBySymbol.get(symbol);
        if (prev !== undefined) {
          add(
            '',
            `Duplicate bar stream for ${symbol}. Found both ${prev} and ${String(interval)}. ` +
              `Only one bar interval allowed per symbol.`,
          );
        } else {
          barIntervalBySymbol.set(symbol, String(interval));
        }
      }
    } else if (s.type === 'quotes' || s.type === 'ticks') {
      if (s.interval !== undefined) {
        add('interval', `${s.type} streams take no interval (got ${String(s.interval)})`);
      }
      const key = `${symbol}|${s.type}`;
      if (symbol !== undefined && seenOther.has(key)) {
        add(
          '',
          `Duplicate ${s.type} stream for ${symbol}. Only one ${s.type} stream allowed per symbol.`,
        );
      }
      seenOther.add(key);
    }
  });
  return problems;
}

/** Per symbol, which configured derived intervals will actually be computed, and which not. */
export function derivedIntervalNotes(config: SessionConfig): string[] {
  const notes: string[] = [];
  for (const stream of config.data_streams) {
    const base = stream.type === 'ticks' ? stream.bars_from_ticks : stream.interval;
    if ((stream.type !== 'bars' && !stream.bars_from_ticks) || !isBaseInterval(base)) continue;
    for (const derived of config.session_data_config.data_upkeep.derived_intervals) {
      if (!isDerivableFrom(derived, base)) {
        notes.push(
          `${stream.symbol}: derived interval ${derived} is not computed, because it is not a larger ` +
            `multiple of the ${base} base interval.`,
        );
      }
    }
  }
  return notes;
}

export function parseSessionConfig(input: unknown): ConfigResult {
  const parsed = SessionConfigSchema.safeParse(input);
  const raw = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    const streams = Array.isArray(raw.data_streams) ? raw.data_streams : [];
    for (const issue of parsed.error.issues) {
      // A stream's interval is judged by streamProblems, in the words of the stream's type.
      if (issue.path[0] === 'data_streams' && issue.path[2] === 'interval') continue;
      const path = formatPath(issue.path);
      const index =
        issue.path[0] === 'data_streams' && typeof issue.path[1] === 'number'
          ? issue.path[1]
          : undefined;
      const rawSymbol =
        index !== undefined
          ? (streams[index] as Record<string, unknown> | undefined)?.symbol
          : undefined;
      const symbol = typeof rawSymbol === 'string' ? rawSymbol.trim().toUpperCase() : undefined;
      const where =
        index !== undefined
          ? `${streamLabel(index, symbol)}.${formatPath(issue.path.slice(2))}`
          : path;
      problems.push({
        path,
        message: `${where || 'config'}: ${issue.message}`,
        ...(index !== undefined ? { stream_index: index, symbol } : {}),
      });
    }
  }
  problems.push(...streamProblems(raw.data_streams), ...feedProblems(raw));
  if (problems.length > 0 || !parsed.success) {
    return { ok: false, problems: dedupe(problems) };
  }
  const config =
    raw.calendar === undefined
      ? { ...parsed.data, calendar: defaultCalendar(parsed.data) }
      : parsed.data;
  return { ok: true, config, notes: derivedIntervalNotes(config) };
}

/**
 * The calendar of a config that names none (the form shows it as chosen): a crypto feed trades
 * round the clock, so a session on a feed is on the 24x7 calendar; otherwise XNYS.
 */
export function defaultCalendar(config: { feed?: unknown }): (typeof CALENDARS)[number] {
  return config.feed !== undefined && config.feed !== null ? '24x7' : 'XNYS';
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
