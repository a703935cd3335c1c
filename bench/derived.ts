/**
 * The derived-bars workload: 1m, 5m and 15m bars from 50 symbols × one trading day of 1s bars
 * (1.17 M base bars), ours against DuckDB over the same parquet files (generated once into
 * bench/.cache/derived and reused).
 *
 * What is timed:
 *   - ours: the incremental derivation itself. The base bars are first loaded by a real session
 *     (not timed), then fed in merged time order through DerivedBars.add (3 intervals per bar),
 *     with advanceTo(clock) on all 150 DerivedBars after every batch of ~4096 items, as the
 *     upkeep does. Median of 5 runs after a warm-up.
 *   - DuckDB: one query that reads the files and materializes all 3 intervals for all symbols
 *     (CREATE TABLE ... AS). Median of 3 runs after a warm-up.
 *   - also shown: a real session at speed 0 with the upkeep (derived 1m/5m/15m, gap scans,
 *     cycles every 60 s of backtest time) minus the same session without it, and the cost of
 *     each upkeep cycle in the first and last hour of the day (it must not grow).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDataStore } from '../src/main/host/data-store';
import { openSession, type Session } from '../src/main/host/session-host';
import { calendarFor } from '../src/shared/market/calendars';
import type { ColumnStore } from '../src/main/engine/column-store';
import { DerivedBars, type DerivedBar } from '../src/main/engine/upkeep/derived-bars';
import { generateBars1s } from '../src/main/storage/demo-data';
import { intervalSeconds, type Interval } from '../src/shared/interval';
import { parseSessionConfig } from '../src/shared/session-config';
import { exchangeTimeToUtc } from '../src/shared/time';
import { BAR_SYMBOLS, BENCH_DATE } from './coordinator';
import { round, type BenchResult } from './result';

const CACHE = resolve('bench/.cache/derived');
const MARKER = join(CACHE, 'complete-v2');
const INTERVALS: Interval[] = ['1m', '5m', '15m'];
const BATCH = 4096;

type Row = DerivedBar;

function ensureFiles(): void {
  if (existsSync(MARKER)) return;
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  const started = performance.now();
  generateBars1s({ dataDir: CACHE, symbols: BAR_SYMBOLS, date: BENCH_DATE });
  writeFileSync(MARKER, '');
  console.log(
    `   (generated the workload's parquet files in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

async function openBenchSession(upkeep: boolean): Promise<Session> {
  const parsed = parseSessionConfig({
    session_name: 'bench-derived',
    data_streams: BAR_SYMBOLS.map((symbol) => ({ type: 'bars', symbol, interval: '1s' })),
    session_data_config: {
      data_upkeep: { enabled: upkeep, derived_intervals: INTERVALS, check_interval_seconds: 60 },
    },
    backtest_config: { speed_multiplier: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const store = createDataStore(parsed.config, CACHE);
  if (!store.ok) throw new Error(store.problems.join('\n'));
  return openSession(parsed.config, store.store, { speed: 0, fillSource: null });
}

/** Every symbol's base bars, and the merged feed order (time, then symbol), built untimed. */
interface Feed {
  stores: ColumnStore[];
  symbol: Int32Array;
  row: Int32Array;
  /** Availability (bar end) of each item: the clock after it. */
  clock: Float64Array;
  /** Indexes where a batch ends: never between two items available at the same time. */
  batchEnds: number[];
}

async function loadFeed(): Promise<Feed> {
  const session = await openBenchSession(false);
  await session.coordinator.start();
  const stores = BAR_SYMBOLS.map((s) => session.sessionData.getSymbolData(s)!.bars_base);
  const total = stores.reduce((n, s) => n + s.length, 0);
  const order = new Int32Array(total);
  const symbolOf = new Int32Array(total);
  const rowOf = new Int32Array(total);
  let k = 0;
  stores.forEach((store, s) => {
    for (let r = 0; r < store.length; r++) {
      symbolOf[k] = s;
      rowOf[k] = r;
      order[k] = k;
      k++;
    }
  });
  const ts = (i: number): number => stores[symbolOf[i]!]!.timestamp[rowOf[i]!]!;
  order.sort((a, b) => ts(a) - ts(b) || symbolOf[a]! - symbolOf[b]!);
  const feed: Feed = {
    stores,
    symbol: new Int32Array(total),
    row: new Int32Array(total),
    clock: new Float64Array(total),
    batchEnds: [],
  };
  for (let i = 0; i < total; i++) {
    const j = order[i]!;
    feed.symbol[i] = symbolOf[j]!;
    feed.row[i] = rowOf[j]!;
    feed.clock[i] = ts(j) + 1000;
  }
  for (let end = BATCH; ; end += BATCH) {
    while (end < total && feed.clock[end] === feed.clock[end - 1]) end++;
    if (end >= total) break;
    feed.batchEnds.push(end);
  }
  feed.batchEnds.push(total);
  return feed;
}

/** The timed part: every base bar through 3 DerivedBars, advanceTo after every batch. */
function derive(feed: Feed): { seconds: number; derived: DerivedBars[][] } {
  const calendar = calendarFor('XNYS');
  const derived = feed.stores.map(() => INTERVALS.map((iv) => new DerivedBars(iv, calendar)));
  const all = derived.flat();
  const { stores, symbol, row, clock, batchEnds } = feed;
  const started = performance.now();
  let i = 0;
  for (const end of batchEnds) {
    for (; i < end; i++) {
      const store = stores[symbol[i]!]!;
      const r = row[i]!;
      const v = store.values;
      const t = store.timestamp[r]!;
      const o = v[0]![r]!;
      const h = v[1]![r]!;
      const l = v[2]![r]!;
      const c = v[3]![r]!;
      const vol = v[4]![r]!;
      const ds = derived[symbol[i]!]!;
      for (let d = 0; d < ds.length; d++) ds[d]!.add(t, o, h, l, c, vol);
    }
    const now = clock[end - 1]!;
    for (let d = 0; d < all.length; d++) all[d]!.advanceTo(now, false);
  }
  // The session's end settles every bucket, as the upkeep's final cycle does.
  const last = clock[clock.length - 1]!;
  for (let d = 0; d < all.length; d++) all[d]!.advanceTo(last, true);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, derived };
}

/** The same buckets in DuckDB; returns the query's time and its rows by symbol|interval. */
async function duckdb(): Promise<{ seconds: number; bars: Map<string, Row[]> }> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run(`SET TimeZone = 'UTC'`);
    await db.run(`
      CREATE TABLE sessions AS
      SELECT timezone('America/New_York', DATE '${BENCH_DATE}' + TIME '09:30') AS open_ts,
             timezone('America/New_York', DATE '${BENCH_DATE}' + TIME '16:00') AS close_ts`);
    const widths = INTERVALS.map((iv) => `('${iv}', ${intervalSeconds(iv)})`).join(', ');
    await db.run(`CREATE TABLE widths AS SELECT * FROM (VALUES ${widths}) w(name, secs)`);
    const files = join(CACHE, 'parquet/bars/interval=1s/**/*.parquet').replaceAll("'", "''");
    const started = performance.now();
    await db.run(`
      CREATE TABLE derived AS
      WITH bars AS (
        SELECT symbol, timestamp::TIMESTAMPTZ AS ts, open, high, low, close, volume
        FROM read_parquet('${files}', hive_partitioning = true, hive_types = {'symbol': VARCHAR})
      ),
      bucketed AS (
        SELECT b.*, s.close_ts, w.name, w.secs,
               time_bucket(to_seconds(w.secs), b.ts, s.open_ts) AS bucket
        FROM bars b
        JOIN sessions s ON b.ts >= s.open_ts AND b.ts < s.close_ts
        CROSS JOIN widths w
      )
      SELECT symbol, name,
             epoch_ms(bucket) AS start,
             epoch_ms(least(bucket + to_seconds(secs), close_ts)) AS stop,
             arg_min(open, ts) AS open, max(high) AS high, min(low) AS low,
             arg_max(close, ts) AS close, sum(volume) AS volume, count(*) AS base_bars
      FROM bucketed
      GROUP BY symbol, name, bucket, secs, close_ts`);
    const seconds = (performance.now() - started) / 1000;
    const reader = await db.runAndReadAll(`SELECT * FROM derived ORDER BY symbol, name, start`);
    const bars = new Map<string, Row[]>();
    for (const r of reader.getRows()) {
      const key = `${String(r[0])}|${String(r[1])}`;
      let rows = bars.get(key);
      if (!rows) bars.set(key, (rows = []));
      rows.push({
        start: Number(r[2]),
        end: Number(r[3]),
        open: Number(r[4]),
        high: Number(r[5]),
        low: Number(r[6]),
        close: Number(r[7]),
        volume: Number(r[8]),
        base_bars: Number(r[9]),
      });
    }
    return { seconds, bars };
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** Differences between ours and DuckDB: every bar, every field. */
function differences(
  ours: (symbol: string, interval: Interval) => DerivedBars | undefined,
  theirs: Map<string, Row[]>,
): string[] {
  const found: string[] = [];
  for (const symbol of BAR_SYMBOLS) {
    for (const interval of INTERVALS) {
      const key = `${symbol}|${interval}`;
      const d = ours(symbol, interval);
      const expected = theirs.get(key) ?? [];
      const got: Row[] = [];
      if (d) for (let i = 0; i < d.completed.length; i++) got.push(d.bar(i));
      if (d?.forming) found.push(`${key}: a bar is still forming at the end`);
      const n = Math.max(got.length, expected.length);
      for (let i = 0; i < n; i++) {
        const a = got[i];
        const b = expected[i];
        const fields = Object.keys(a ?? b!) as (keyof Row)[];
        if (!a || !b || fields.some((f) => !Object.is(a[f], b[f]))) {
          found.push(
            `${key} bar ${i} (${got.length} ours, ${expected.length} DuckDB): ` +
              `ours ${JSON.stringify(a)} vs DuckDB ${JSON.stringify(b)}`,
          );
          break;
        }
      }
    }
  }
  return found;
}

interface SessionRun {
  seconds: number;
  cycles: { asOf: number; ms: number }[];
  session: Session;
}

async function sessionRun(upkeep: boolean): Promise<SessionRun> {
  const session = await openBenchSession(upkeep);
  const cycles: { asOf: number; ms: number }[] = [];
  const u = session.upkeep;
  if (u) {
    const runCycle = u.runCycle.bind(u);
    u.runCycle = async (asOf: number): Promise<void> => {
      const t0 = performance.now();
      await runCycle(asOf);
      cycles.push({ asOf, ms: performance.now() - t0 });
    };
  }
  const started = performance.now();
  await session.coordinator.start();
  return { seconds: (performance.now() - started) / 1000, cycles, session };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)]!;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export async function run(): Promise<BenchResult> {
  ensureFiles();
  const feed = await loadFeed();
  const baseBars = feed.row.length;

  derive(feed); // warm-up
  const runs: { seconds: number; derived: DerivedBars[][] }[] = [];
  for (let i = 0; i < 5; i++) {
    collectGarbage();
    runs.push(derive(feed));
  }
  const oursSeconds = median(runs.map((r) => r.seconds));
  const last = runs[runs.length - 1]!.derived;

  await duckdb(); // warm-up: file cache, as ours had a warm-up
  const peerRuns = [];
  for (let i = 0; i < 3; i++) peerRuns.push(await duckdb());
  const peerSeconds = median(peerRuns.map((r) => r.seconds));
  const peerBars = peerRuns[0]!.bars;

  const derivedOf = (symbol: string, interval: Interval): DerivedBars | undefined =>
    last[BAR_SYMBOLS.indexOf(symbol)]?.[INTERVALS.indexOf(interval)];
  const problems = differences(derivedOf, peerBars);
  if (problems.length > 0) {
    throw new Error(
      `Derived bars differ from DuckDB in ${problems.length} symbol-intervals:\n${problems.slice(0, 10).join('\n')}`,
    );
  }
  let derivedCount = 0;
  for (const rows of peerBars.values()) derivedCount += rows.length;

  // A real session, with and without the upkeep (warm-up first), for the marginal cost and
  // the per-cycle cost.
  await sessionRun(true);
  collectGarbage();
  const without = await sessionRun(false);
  collectGarbage();
  const withUpkeep = await sessionRun(true);
  const open = exchangeTimeToUtc(BENCH_DATE, 9, 30);
  const close = exchangeTimeToUtc(BENCH_DATE, 16, 0);
  const inHour = (from: number) =>
    withUpkeep.cycles.filter((c) => c.asOf >= from && c.asOf < from + 3_600_000).map((c) => c.ms);
  const firstHour = inHour(open);
  const lastHour = inHour(close - 3_600_000);
  const sessionProblems = differences(
    (symbol, interval) => withUpkeep.session.upkeep!.derivedOf(symbol, interval),
    peerBars,
  );

  const perS = baseBars / oursSeconds;
  console.log(
    `1. ours, incremental derivation (DerivedBars.add/advanceTo, base bars already in memory): ` +
      `${baseBars.toLocaleString()} base bars -> ${derivedCount.toLocaleString()} bars of ` +
      `${INTERVALS.join('/')} for ${BAR_SYMBOLS.length} symbols in ${oursSeconds.toFixed(3)} s ` +
      `= ${(perS / 1e6).toFixed(2)} M base bars/s`,
  );
  console.log(
    `2. DuckDB, read the files + materialize the same buckets: ${peerSeconds.toFixed(3)} s; ` +
      `ours / DuckDB = ${(oursSeconds / peerSeconds).toFixed(3)} (identical: every bar, every field)`,
  );
  console.log(
    `3. real session at speed 0: ${withUpkeep.seconds.toFixed(3)} s with the upkeep, ` +
      `${without.seconds.toFixed(3)} s without = ${(withUpkeep.seconds - without.seconds).toFixed(3)} s ` +
      `for derivation + gap scans + ${withUpkeep.cycles.length} cycles`,
  );
  console.log(
    `4. upkeep cycle with ${BAR_SYMBOLS.length} symbols: first hour median ` +
      `${(median(firstHour) * 1000).toFixed(0)} µs (mean ${(mean(firstHour) * 1000).toFixed(0)} µs, ` +
      `${firstHour.length} cycles), last hour median ${(median(lastHour) * 1000).toFixed(0)} µs ` +
      `(mean ${(mean(lastHour) * 1000).toFixed(0)} µs, ${lastHour.length} cycles); ` +
      `last / first = ${(median(lastHour) / median(firstHour)).toFixed(2)}`,
  );
  if (sessionProblems.length > 0) {
    console.log(
      `   WARNING: the session's upkeep derived bars differ from DuckDB in ${sessionProblems.length} ` +
        `symbol-intervals, e.g.\n     ${sessionProblems.slice(0, 3).join('\n     ')}`,
    );
  } else {
    console.log(`   the session's upkeep derived bars are identical to DuckDB's too`);
  }
  return {
    name: 'derived',
    ours_s: round(oursSeconds),
    peer: 'duckdb',
    peer_s: round(peerSeconds),
    ratio: round(oursSeconds / peerSeconds),
    events_per_s: Math.round(perS),
    bytes_per_bar: null,
  };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
