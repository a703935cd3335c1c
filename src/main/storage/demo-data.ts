/**
 * The demo data set the app starts with: 3 symbols over 2 trading days with a few deliberate
 * gaps, written deterministically, plus its session config.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseSessionConfig, type SessionConfigInput } from '../../shared/session-config';
import type { BaseInterval } from '../../shared/interval';
import type { StreamType } from '../../shared/stream-types';
import { toIsoMs } from '../../shared/time';
import type { ParquetWriteSettings } from './parquet/parquet-writer';
import { streamFilePath, streamKey } from './parquet/parquet-layout';
import {
  barsFromPath,
  closePrice,
  DEFAULT_SEED,
  quotesFromPath,
  sessionOpenMs,
  simulateDay,
  type SecondSpan,
} from './synthetic/market-path';
import { normals, rng } from './synthetic/seeded-random';
import { writeStream, type GeneratedFile } from './synthetic/synthetic-day';
import { writeDemoStrategies, type StrategyCopy } from './demo-strategies';

export { generateBars1m, generateBars1s, generateQuotes } from './synthetic/synthetic-day';
export { barsFromPath, quotesFromPath, simulateDay } from './synthetic/market-path';
export { mulberry32 } from './synthetic/seeded-random';
export { symbolProfile } from './synthetic/symbol-profile';
export const DEMO_DATES = ['2024-03-04', '2024-03-05'] as const;

interface DemoStreamSpec {
  symbol: string;
  type: StreamType;
  interval?: BaseInterval;
}

export const DEMO_STREAMS: readonly DemoStreamSpec[] = [
  { symbol: 'AAPL', type: 'bars', interval: '1s' },
  { symbol: 'AAPL', type: 'quotes' },
  { symbol: 'RIVN', type: 'bars', interval: '1m' },
  { symbol: 'RIVN', type: 'quotes' },
  { symbol: 'TSLA', type: 'bars', interval: '1s' },
];

const DEMO_SYMBOLS = ['AAPL', 'RIVN', 'TSLA'] as const;

export interface DemoGap {
  symbol: string;
  type: StreamType;
  interval?: BaseInterval;
  date: string;
  /** UTC epoch ms, start inclusive, end exclusive. */
  startMs: number;
  endMs: number;
  /** The same instants as ISO strings. */
  start: string;
  end: string;
  /** New York wall-clock span, e.g. `10:15:00-10:17:00`. */
  local: string;
  /** Bar rows absent (bars only). */
  missingRows?: number;
  description: string;
}

export interface DemoStreamRows {
  symbol: string;
  type: StreamType;
  interval?: BaseInterval;
  rows: number;
  rowsByDate: Record<string, number>;
}

export interface DemoManifest {
  dataDir: string;
  dates: string[];
  seed: number;
  files: GeneratedFile[];
  streams: DemoStreamRows[];
  gaps: DemoGap[];
  config: { path: string; status: 'written' | 'unchanged' | 'kept' };
  /** Example strategies copied into `<data>/strategies/`. */
  strategies: StrategyCopy[];
}

export interface DemoDataOptions {
  seed?: number;
  writer?: ParquetWriteSettings;
  /**
   * Replace `configs/demo.json` even when it differs from the generated one (a user may have
   * edited it). Default false: a differing config is kept.
   */
  overwriteConfig?: boolean;
}

interface GapSpec {
  symbol: string;
  date: string;
  types: { type: StreamType; interval?: BaseInterval }[];
  /** Session seconds, [start, end). */
  span: SecondSpan;
  description: string;
}

const at = (hour: number, minute: number, second = 0): number =>
  (hour - 9) * 3600 + (minute - 30) * 60 + second;

/** The deliberate holes in the demo data, in session seconds. */
function demoGapSpecs(seed: number): GapSpec[] {
  const [day1, day2] = DEMO_DATES;
  const specs: GapSpec[] = [
    {
      symbol: 'AAPL',
      date: day1,
      types: [{ type: 'bars', interval: '1s' }, { type: 'quotes' }],
      span: [at(10, 15), at(10, 17)],
      description: 'feed outage: 2 minutes without bars or quotes',
    },
    {
      symbol: 'RIVN',
      date: day1,
      types: [{ type: 'bars', interval: '1m' }],
      span: [at(11, 41), at(11, 44)],
      description: 'three missing 1m bars (quotes continue)',
    },
    {
      symbol: 'TSLA',
      date: day2,
      types: [{ type: 'bars', interval: '1s' }],
      span: [at(14, 20), at(14, 25)],
      description: 'five missing minutes of 1s bars',
    },
  ];
  // Scattered single missing seconds on TSLA day 2: isolated, away from the open, the close
  // and the five-minute hole.
  const r = rng(seed, 'gaps', 'TSLA', day2);
  const chosen: number[] = [];
  const [holeStart, holeEnd] = specs[2].span;
  while (chosen.length < 12) {
    const s = at(9, 35) + Math.floor(r() * (at(15, 55) - at(9, 35)));
    if (s >= holeStart - 2 && s < holeEnd + 2) continue;
    if (chosen.some((c) => Math.abs(c - s) < 3)) continue;
    chosen.push(s);
  }
  chosen.sort((a, b) => a - b);
  for (const s of chosen) {
    specs.push({
      symbol: 'TSLA',
      date: day2,
      types: [{ type: 'bars', interval: '1s' }],
      span: [s, s + 1],
      description: 'one missing second',
    });
  }
  return specs;
}

function clock(sessionSecond: number): string {
  const total = 9 * 3600 + 30 * 60 + sessionSecond;
  const hh = Math.floor(total / 3600);
  const mm = Math.floor((total % 3600) / 60);
  const ss = total % 60;
  return [hh, mm, ss].map((v) => String(v).padStart(2, '0')).join(':');
}

/** The demo session config written to `<data>/configs/demo.json`. */
export function demoSessionConfig(): SessionConfigInput {
  return {
    session_name: 'demo',
    mode: 'backtest',
    data_streams: DEMO_STREAMS.map(({ symbol, type, interval }) =>
      interval ? { type, symbol, interval } : { type, symbol },
    ),
    session_data_config: {
      data_upkeep: { enabled: true, derived_intervals: ['1m', '5m', '15m'] },
    },
    backtest_config: {
      start_date: DEMO_DATES[0],
      end_date: DEMO_DATES[DEMO_DATES.length - 1],
      speed_multiplier: 60,
    },
  };
}

export function demoConfigPath(dataDir: string): string {
  return path.join(dataDir, 'configs', 'demo.json');
}

/** Every parquet file the demo data set consists of. */
export function demoFilePaths(dataDir: string): string[] {
  return DEMO_DATES.flatMap((date) =>
    DEMO_STREAMS.map((s) => streamFilePath(dataDir, streamKey(s), date)),
  );
}

/** True when every demo parquet file and the demo config exist (and are not empty). */
export function demoDataPresent(dataDir: string): boolean {
  return [...demoFilePaths(dataDir), demoConfigPath(dataDir)].every((file) => {
    try {
      return fs.statSync(file).size > 0;
    } catch {
      return false;
    }
  });
}

/**
 * Writes the demo data set (3 symbols x 2 sessions, with deliberate gaps) and its session
 * config under `dataDir`. Parquet files are always rewritten (atomically; they come out
 * byte-identical); the config follows `overwriteConfig`.
 */
export function generateDemoData(dataDir: string, options: DemoDataOptions = {}): DemoManifest {
  const seed = options.seed ?? DEFAULT_SEED;
  const specs = demoGapSpecs(seed);
  const files: GeneratedFile[] = [];
  const rowsByStream = new Map<string, DemoStreamRows>();
  const streamKey = (s: { symbol: string; type: StreamType; interval?: BaseInterval }): string =>
    `${s.symbol}|${s.type}|${s.interval ?? ''}`;
  for (const s of DEMO_STREAMS) {
    rowsByStream.set(streamKey(s), { ...s, rows: 0, rowsByDate: {} });
  }

  for (const symbol of DEMO_SYMBOLS) {
    let startPrice: number | undefined;
    DEMO_DATES.forEach((date, dayIndex) => {
      if (dayIndex > 0 && startPrice !== undefined) {
        // Overnight move: a small lognormal gap from the previous close.
        const gauss = normals(rng(seed, 'overnight', symbol, date));
        startPrice = Math.round(startPrice * Math.exp(0.006 * gauss()) * 100) / 100;
      }
      const day = simulateDay({ symbol, date, seed, startPrice });
      startPrice = closePrice(day);
      for (const stream of DEMO_STREAMS.filter((s) => s.symbol === symbol)) {
        const skip = specs
          .filter(
            (g) =>
              g.symbol === symbol &&
              g.date === date &&
              g.types.some((t) => t.type === stream.type && t.interval === stream.interval),
          )
          .map((g) => g.span);
        const columns =
          stream.type === 'bars'
            ? barsFromPath(day, stream.interval ?? '1s', skip)
            : quotesFromPath(day, skip);
        const file = writeStream(
          dataDir,
          { symbol, type: stream.type, interval: stream.interval, date },
          columns,
          {
            ...options.writer,
            metadata: {
              'tapedeck.source': 'synthetic demo data',
              'tapedeck.symbol': symbol,
              'tapedeck.date': date,
              ...options.writer?.metadata,
            },
          },
        );
        files.push(file);
        const summary = rowsByStream.get(streamKey(stream));
        if (summary) {
          summary.rows += file.rows;
          summary.rowsByDate[date] = file.rows;
        }
      }
    });
  }

  const gaps: DemoGap[] = specs.flatMap((g) =>
    g.types.map(({ type, interval }) => {
      const openMs = sessionOpenMs(g.date);
      const startMs = openMs + g.span[0] * 1000;
      const endMs = openMs + g.span[1] * 1000;
      const barSeconds = interval === '1m' ? 60 : 1;
      return {
        symbol: g.symbol,
        type,
        ...(interval ? { interval } : {}),
        date: g.date,
        startMs,
        endMs,
        start: toIsoMs(startMs),
        end: toIsoMs(endMs),
        local: `${clock(g.span[0])}-${clock(g.span[1])}`,
        ...(type === 'bars' ? { missingRows: (g.span[1] - g.span[0]) / barSeconds } : {}),
        description: g.description,
      };
    }),
  );

  gaps.sort(
    (a, b) =>
      a.symbol.localeCompare(b.symbol) ||
      a.date.localeCompare(b.date) ||
      a.startMs - b.startMs ||
      a.type.localeCompare(b.type),
  );

  return {
    dataDir,
    dates: [...DEMO_DATES],
    seed,
    files,
    streams: [...rowsByStream.values()],
    gaps,
    config: writeDemoConfig(dataDir, options.overwriteConfig ?? false),
    strategies: writeDemoStrategies(dataDir, options.overwriteConfig ?? false),
  };
}

function writeDemoConfig(dataDir: string, overwrite: boolean): DemoManifest['config'] {
  const config = demoSessionConfig();
  const parsed = parseSessionConfig(config);
  if (!parsed.ok) {
    // A programming error: the generated config must always be valid.
    throw new Error(
      `Generated demo config is invalid: ${parsed.problems.map((p) => p.message).join('; ')}`,
    );
  }
  const file = demoConfigPath(dataDir);
  const text = `${JSON.stringify(config, null, 2)}\n`;
  let existing: string | undefined;
  try {
    existing = fs.readFileSync(file, 'utf8');
  } catch {
    existing = undefined;
  }
  if (existing === text) return { path: file, status: 'unchanged' };
  if (existing !== undefined && !overwrite) return { path: file, status: 'kept' };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
  return { path: file, status: 'written' };
}
