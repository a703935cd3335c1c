/**
 * Long sessions (issue 14): 50 symbols of 1s bars over 5 and over 20 XNYS trading days, upkeep
 * on with 1m/5m/15m derived, speed 0, from parquet, end to end (open with its preflight, then
 * the replay). Two variants, generated deterministically into bench/.cache/long-session once:
 *   - dense: every second has a bar (23,400 a day);
 *   - sparse: about 40 % of seconds empty, in runs (the upkeep finds and asks about each gap).
 * Each session runs in a child process (bench/long-session-child.ts), so its RSS high-water
 * mark is the session's alone: rss_mb_5d and rss_mb_20d are the dense variant's (or the only
 * variant run's), and flat memory means they differ little. The child runs compiled into one
 * module, as the app's engine runs its bundled code; the loader_* fields are the same dense
 * sessions run through the TypeScript loader, as `npm run backtest` runs from source. The peer
 * is DuckDB reading the same files and computing the same 1m/5m/15m buckets (CREATE TABLE ...
 * AS) after a warm-up; the derived bars of both must agree (count, and sums of volume, base
 * bars and closes per interval). Each side runs LONG_SESSION_RUNS times (default 3): times are
 * the median run's, since the shared machine's speed drifts from run to run, and peak RSS is
 * the highest of the runs.
 *
 * LONG_SESSION_READER=direct decodes on the merge's thread instead of the reader worker (the
 * figures before it).
 *
 * LONG_SESSION_SYMBOLS (default 50) and LONG_SESSION_DAYS (default 20) shrink the workload on
 * a slow machine, and LONG_SESSION_VARIANTS=dense skips the sparse one; the figures say which
 * size they are for. LONG_SESSION_STRATEGY=1 attaches a strategy to every run (each 15m bar on
 * the hour reads the last 200 5m bars, reaching released days), attached as the hosts attach
 * one, and reports how many of its delivered derived bars are still in memory at the end.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { compiledEntry } from '../src/main/runtime/compiled-entry';
import { readerWorkerEntry } from '../src/main/storage/parquet/parquet-reader';
import { barsFromPath, simulateDay } from '../src/main/storage/synthetic/market-path';
import { writeStream } from '../src/main/storage/synthetic/synthetic-day';
import { calendarFor } from '../src/shared/market/calendars';
import { intervalSeconds, type Interval } from '../src/shared/interval';
import type { ChildRequest, ChildResult, Digest } from './long-session-child';
import { round, type BenchResult } from './result';
import { emptyRuns } from './upkeep-sparse';

const CACHE = resolve('bench/.cache/long-session');
const SYMBOLS = Number(process.env.LONG_SESSION_SYMBOLS ?? 50);
const LONG_DAYS = Number(process.env.LONG_SESSION_DAYS ?? 20);
const SHORT_DAYS = 5;
const DERIVED: Interval[] = ['1m', '5m', '15m'];
const EVENTS_TARGET = 5e6;
/** `worker` (default): decode in the reader worker; `direct`: on the merge's thread. */
const READER = process.env.LONG_SESSION_READER ?? 'worker';
const STRATEGY = process.env.LONG_SESSION_STRATEGY === '1';
const RSS_TARGET_MB = 600;
/** Runs of each session (and of DuckDB's query): the machine's speed drifts between runs. */
const RUNS = Math.max(1, Number(process.env.LONG_SESSION_RUNS ?? 3));

const xnys = calendarFor('XNYS');
const ALL_DAYS = xnys
  .sessionsBetween(Date.parse('2024-03-04T00:00:00Z'), Date.parse('2024-06-30T00:00:00Z'))
  .filter((s) => s.close - s.open === 23_400_000)
  .slice(0, Math.max(LONG_DAYS, SHORT_DAYS));

export type Variant = 'dense' | 'sparse';

const symbols = Array.from({ length: SYMBOLS }, (_, i) => `LS${String(i).padStart(2, '0')}`);

export function dirOf(variant: Variant): string {
  return join(CACHE, `${variant}-${SYMBOLS}x${ALL_DAYS.length}`);
}

export function ensureFiles(variant: Variant): void {
  const dir = dirOf(variant);
  // v3: files carry the writer's seal with row-group CRCs (file-seal.ts).
  const marker = join(dir, 'complete-v3');
  if (existsSync(marker)) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  symbols.forEach((symbol, s) => {
    ALL_DAYS.forEach(({ date }, d) => {
      const day = simulateDay({ symbol, date, seed: 11 + s });
      const skip = variant === 'sparse' ? emptyRuns(1000 * s + d + 1, 0.4, 1) : undefined;
      writeStream(
        dir,
        { symbol, type: 'bars', interval: '1s', date },
        barsFromPath(day, '1s', skip),
        undefined,
      );
    });
  });
  writeFileSync(marker, '');
  console.log(
    `   (generated ${variant} ${SYMBOLS}x${ALL_DAYS.length} in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

/** The 20-day session as a config, as the app would be given it (app-long-session.ts). */
export function longSessionConfig(): { config: object; symbols: string[] } {
  return {
    symbols,
    config: {
      session_name: 'bench-long-session',
      data_streams: symbols.map((symbol) => ({ type: 'bars', symbol, interval: '1s' })),
      session_data_config: {
        data_upkeep: { enabled: true, derived_intervals: DERIVED, check_interval_seconds: 60 },
      },
      backtest_config: {
        start_date: ALL_DAYS[0]!.date,
        end_date: ALL_DAYS[LONG_DAYS - 1]!.date,
        speed_multiplier: 0,
      },
    },
  };
}

/**
 * How the child runs: `bundled`, compiled once into one module (compiledEntry), as the app's
 * engine runs its bundled code; `loader`, through the TypeScript loader, as `npm run backtest`
 * runs from source (its compiler and module hooks cost time at start and ~80 MB of memory).
 */
type ChildRuntime = 'bundled' | 'loader';

let childBundle: string | undefined;

async function ours(
  variant: Variant,
  days: number,
  runtime: ChildRuntime = 'bundled',
): Promise<ChildResult> {
  const child = resolve('bench/long-session-child.ts');
  const worker = READER !== 'direct' ? readerWorkerEntry() : null;
  const request: ChildRequest = {
    dir: dirOf(variant),
    symbols,
    start: ALL_DAYS[0]!.date,
    end: ALL_DAYS[days - 1]!.date,
    derived: DERIVED,
    readerWorker: READER !== 'direct',
    ...(STRATEGY ? { strategy: true } : {}),
    // A bundle finds no reader worker beside itself: it is handed the one built from source.
    ...(runtime === 'bundled' && worker ? { readerEntry: String(worker.entry) } : {}),
  };
  childBundle ??= compiledEntry(child, {
    name: 'tapedeck-bench-long-session',
    packagesExternal: true,
  });
  const entry = runtime === 'bundled' ? [childBundle] : ['--import', 'tsx', child];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--max-semi-space-size=32', ...entry, JSON.stringify(request)],
    { maxBuffer: 1 << 20 },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}

/** DuckDB reads the same days' files and materializes the same buckets; returns its digest. */
async function duckdb(
  variant: Variant,
  days: number,
): Promise<{ seconds: number; digest: Digest }> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const sessions = ALL_DAYS.slice(0, days)
      .map((s) => `('${s.date}', ${s.open}, ${s.close})`)
      .join(', ');
    await db.run(
      `CREATE TABLE sessions AS SELECT d AS date, make_timestamp(o * 1000) AS open_ts, ` +
        `make_timestamp(c * 1000) AS close_ts FROM (VALUES ${sessions}) v(d, o, c)`,
    );
    const widths = DERIVED.map((iv) => `('${iv}', ${intervalSeconds(iv)})`).join(', ');
    await db.run(`CREATE TABLE widths AS SELECT * FROM (VALUES ${widths}) w(name, secs)`);
    const files = ALL_DAYS.slice(0, days)
      .map(
        ({ date }) =>
          `'${join(dirOf(variant), `parquet/bars/interval=1s/symbol=*/date=${date}/*.parquet`)}'`,
      )
      .join(', ');
    const started = performance.now();
    await db.run(`
      CREATE TABLE derived AS
      WITH bars AS (
        SELECT regexp_extract(filename, '/symbol=([^/]+)/', 1) AS symbol,
               regexp_extract(filename, '/date=([0-9-]+)/', 1) AS date,
               timestamp::TIMESTAMP AS ts, open, high, low, close, volume
        FROM read_parquet([${files}], filename = true, hive_partitioning = false)
      ),
      bucketed AS (
        SELECT b.*, w.name, w.secs,
               time_bucket(to_seconds(w.secs), b.ts, s.open_ts) AS bucket
        FROM bars b
        JOIN sessions s ON b.date = s.date AND b.ts >= s.open_ts AND b.ts < s.close_ts
        CROSS JOIN widths w
      )
      SELECT symbol, name, bucket,
             arg_min(open, ts) AS open, max(high) AS high, min(low) AS low,
             arg_max(close, ts) AS close, sum(volume) AS volume, count(*) AS base_bars
      FROM bucketed
      GROUP BY symbol, name, bucket`);
    const seconds = (performance.now() - started) / 1000;
    const reader = await db.runAndReadAll(
      `SELECT name, count(*), sum(volume), sum(base_bars), sum(close) FROM derived GROUP BY name`,
    );
    const digest: Digest = {};
    for (const r of reader.getRows()) {
      digest[String(r[0])] = {
        bars: Number(r[1]),
        volume: Number(r[2]),
        baseBars: Number(r[3]),
        close: Number(r[4]),
      };
    }
    return { seconds, digest };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** The middle element by `key` (the upper one of an even count). */
function median<T>(items: T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor(sorted.length / 2)]!;
}

function compare(what: string, mine: Digest, theirs: Digest): void {
  for (const interval of DERIVED) {
    const a = mine[interval];
    const b = theirs[interval];
    const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));
    if (
      !a ||
      !b ||
      a.bars !== b.bars ||
      a.baseBars !== b.baseBars ||
      !close(a.volume, b.volume) ||
      !close(a.close, b.close)
    ) {
      throw new Error(
        `${what} ${interval}: ours ${JSON.stringify(a)} but DuckDB ${JSON.stringify(b)}`,
      );
    }
  }
}

const mb = (n: number) => `${n.toFixed(0)} MB`;

export async function run(): Promise<BenchResult & Record<string, unknown>> {
  const cases: Record<string, unknown> = {};
  const results = new Map<string, { mine: ChildResult; peer: number }>();
  const variants = (process.env.LONG_SESSION_VARIANTS ?? 'dense,sparse').split(',') as Variant[];
  for (const variant of variants) {
    ensureFiles(variant);
    for (const days of [SHORT_DAYS, LONG_DAYS]) {
      const name = `${variant}-${SYMBOLS}x${days}`;
      // The median run's time; the highest peak RSS of all runs.
      const runs: ChildResult[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await ours(variant, days));
      const mine = { ...median(runs, (r) => r.seconds) };
      mine.maxRssMb = Math.max(...runs.map((r) => r.maxRssMb));
      await duckdb(variant, days); // warm-up
      const peers: { seconds: number; digest: Digest }[] = [];
      for (let i = 0; i < RUNS; i++) peers.push(await duckdb(variant, days));
      const peer = median(peers, (p) => p.seconds);
      for (const run of runs) compare(name, run.digest, peer.digest);
      results.set(name, { mine, peer: peer.seconds });
      const perS = mine.events / mine.seconds;
      cases[name] = {
        events: mine.events,
        ours_s: round(mine.seconds),
        open_s: round(mine.openSeconds),
        duckdb_s: round(peer.seconds),
        ratio: round(mine.seconds / peer.seconds),
        events_per_s: Math.round(perS),
        rss_mb: Math.round(mine.maxRssMb),
        held_base_bars: mine.heldBaseBars,
        gaps: mine.gaps,
        packed_gaps: mine.packedGaps,
        packed_gap_mb: round(mine.packedGapBytes / 2 ** 20),
        ...(STRATEGY ? { strategy_delivered_held: mine.deliveredHeld } : {}),
        chart_1m_read_ms: round(mine.chartReadMs),
        chart_1m_reread_ms: round(mine.chartRereadMs),
        derived_bars: DERIVED.reduce((n, iv) => n + mine.digest[iv]!.bars, 0),
      };
      console.log(
        `   ${name}: ${mine.events.toLocaleString()} bars in ${mine.seconds.toFixed(2)} s ` +
          `(open ${mine.openSeconds.toFixed(2)} s) = ${(perS / 1e6).toFixed(2)} M ev/s; ` +
          `DuckDB ${peer.seconds.toFixed(2)} s, ratio ${(mine.seconds / peer.seconds).toFixed(2)}; ` +
          `peak RSS ${mb(mine.maxRssMb)}, base bars held at the end ${mine.heldBaseBars.toLocaleString()}; ` +
          (STRATEGY
            ? `a strategy's delivered derived bars in memory ${mine.deliveredHeld.toLocaleString()}; `
            : '') +
          (mine.gaps > 0
            ? `${mine.gaps.toLocaleString()} gaps, ${mine.packedGaps.toLocaleString()} packed with their days ` +
              `in ${(mine.packedGapBytes / 2 ** 20).toFixed(1)} MB; `
            : '') +
          `derived bars equal DuckDB's; one symbol's 1m series read in ` +
          `${mine.chartReadMs.toFixed(0)} ms (again ${mine.chartRereadMs.toFixed(0)} ms)`,
      );
    }
  }
  // The summary is the dense variant's (the issue's workload), or the only one run.
  const lead = variants.includes('dense') ? 'dense' : variants[0]!;
  const long = results.get(`${lead}-${SYMBOLS}x${LONG_DAYS}`)!;
  const short = results.get(`${lead}-${SYMBOLS}x${SHORT_DAYS}`)!;
  const perS = long.mine.events / long.mine.seconds;
  const growth = long.mine.maxRssMb / short.mine.maxRssMb - 1;
  // The same two sessions as `npm run backtest` runs them from source, for the record.
  const loaderShort = await ours(lead, SHORT_DAYS, 'loader');
  const loaderLong = await ours(lead, LONG_DAYS, 'loader');
  console.log(
    `   through the TypeScript loader (the CLI from source): ${lead} ${SYMBOLS}x${LONG_DAYS} ` +
      `${loaderLong.seconds.toFixed(2)} s, peak RSS ${mb(loaderLong.maxRssMb)}; ` +
      `${SHORT_DAYS} days ${mb(loaderShort.maxRssMb)}`,
  );
  console.log(
    `   ${lead} ${SYMBOLS}x${LONG_DAYS}: ${(perS / 1e6).toFixed(2)} M ev/s (target >= ${EVENTS_TARGET / 1e6}); ` +
      `peak RSS ${mb(long.mine.maxRssMb)} (target <= ${RSS_TARGET_MB}); ` +
      `${LONG_DAYS}-day vs ${SHORT_DAYS}-day RSS +${(growth * 100).toFixed(0)} % (target < 10 %)`,
  );
  return {
    name: 'long-session',
    ours_s: round(long.mine.seconds),
    peer: 'duckdb',
    peer_s: round(long.peer),
    ratio: round(long.mine.seconds / long.peer),
    events_per_s: Math.round(perS),
    bytes_per_bar: null,
    rss_mb_5d: Math.round(short.mine.maxRssMb),
    rss_mb_20d: Math.round(long.mine.maxRssMb),
    loader_ours_s: round(loaderLong.seconds),
    loader_rss_mb_5d: Math.round(loaderShort.maxRssMb),
    loader_rss_mb_20d: Math.round(loaderLong.maxRssMb),
    symbols: SYMBOLS,
    days: LONG_DAYS,
    reader: READER,
    variant: lead,
    cases,
  };
}
