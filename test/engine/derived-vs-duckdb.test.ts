/**
 * Derived bars against DuckDB as an independent oracle (docs/design.md §2). Each scenario writes
 * parquet files in the canonical layout, replays them through a real session (openSession +
 * createDataStore, speed 0, no fill source so gaps stay gaps), and compares every completed
 * derived bar with the same time buckets computed by DuckDB over the same files: buckets
 * anchored at 09:30 America/New_York (converted to UTC per day by DuckDB's own time-zone data),
 * regular hours only, cut at the close, open = first by time, close = last, max high, min low,
 * summed volume and the count of base bars.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { createDataStore } from '../../src/main/host/data-store';
import { openSession, type Session } from '../../src/main/host/session-host';
import { writeStream } from '../../src/main/storage/synthetic/synthetic-day';
import {
  barsFromPath,
  closePrice,
  simulateDay,
  type SecondSpan,
} from '../../src/main/storage/synthetic/market-path';
import type { StreamColumns } from '../../src/main/storage/parquet/parquet-writer';
import { ParquetBarFillSource } from '../../src/main/storage/parquet/parquet-fill-source';
import type { BarFillSource, StreamBatch } from '../../src/shared/stream-cursor';
import { isDerivableFrom, intervalSeconds, type Interval } from '../../src/shared/interval';
import { parseSessionConfig } from '../../src/shared/session-config';

interface Row {
  start: number;
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  base_bars: number;
}

/** A trading day as DuckDB is told it: the date and the local close (16:00, or 13:00). */
interface Day {
  date: string;
  close: '16:00' | '13:00';
}

interface StreamSpec {
  symbol: string;
  interval: '1s' | '1m';
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-derived-'));
  dirs.push(dir);
  return dir;
}

/** Deterministic scattered session seconds (or minutes, with step 60) to drop. */
function scattered(seed: number, count: number, step: number, keepLast: boolean): SecondSpan[] {
  let x = seed >>> 0;
  const slots = 23_400 / step;
  const spans: SecondSpan[] = [];
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    const slot = x % slots;
    if (keepLast && slot === slots - 1) continue;
    spans.push([slot * step, slot * step + step]);
  }
  return spans;
}

/** Writes one symbol-day of synthetic bars, leaving out the given spans of session seconds. */
function writeDay(
  dataDir: string,
  symbol: string,
  interval: '1s' | '1m',
  date: string,
  skip: SecondSpan[] = [],
  startPrice?: number,
  edit?: (columns: StreamColumns) => StreamColumns,
): number {
  const day = simulateDay({ symbol, date, startPrice });
  const columns = barsFromPath(day, interval, skip);
  writeStream(dataDir, { symbol, type: 'bars', interval, date }, edit ? edit(columns) : columns, {
    rowGroupSize: 4096, // several row groups per file, so reads cross their edges
  });
  return closePrice(day);
}

async function runSession(
  dataDir: string,
  streams: StreamSpec[],
  derived: Interval[],
  fillSource: BarFillSource | null = null,
): Promise<Session> {
  const parsed = parseSessionConfig({
    session_name: 'derived-vs-duckdb',
    data_streams: streams.map((s) => ({ type: 'bars', symbol: s.symbol, interval: s.interval })),
    session_data_config: { data_upkeep: { derived_intervals: derived } },
    backtest_config: { speed_multiplier: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const store = createDataStore(parsed.config, dataDir);
  if (!store.ok) throw new Error(store.problems.join('\n'));
  const session = await openSession(parsed.config, store.store, { speed: 0, fillSource });
  await session.coordinator.start(); // ends with the upkeep's final cycle
  return session;
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Every derived bar of every symbol and interval, computed by DuckDB from the parquet files. */
async function duckdbDerived(
  dataDir: string,
  days: Day[],
  derived: Interval[],
): Promise<Map<string, Row[]>> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run(`SET TimeZone = 'UTC'`);
    const sessions = days.map((d) => `(DATE '${d.date}', TIME '${d.close}')`).join(', ');
    await db.run(`
      CREATE TABLE sessions AS
      SELECT timezone('America/New_York', d + TIME '09:30') AS open_ts,
             timezone('America/New_York', d + cl) AS close_ts
      FROM (VALUES ${sessions}) s(d, cl)`);
    const widths = (['1s', '1m'] as const).flatMap((base) =>
      derived
        .filter((d) => isDerivableFrom(d, base))
        .map((d) => `('${base}', '${d}', ${intervalSeconds(d)})`),
    );
    await db.run(
      `CREATE TABLE widths AS SELECT * FROM (VALUES ${widths.join(', ')}) w(base, name, secs)`,
    );
    // The store's Hive partitions give each row its interval and symbol.
    const files = sqlString(join(dataDir, 'parquet/bars/**/*.parquet'));
    const reader = await db.runAndReadAll(`
      WITH bars AS (
        SELECT "interval" AS base, symbol, timestamp::TIMESTAMPTZ AS ts, open, high, low, close, volume
        FROM read_parquet(${files}, hive_partitioning = true,
                          hive_types = {'interval': VARCHAR, 'symbol': VARCHAR})
      ),
      in_hours AS (
        SELECT b.*, s.open_ts, s.close_ts
        FROM bars b JOIN sessions s ON b.ts >= s.open_ts AND b.ts < s.close_ts
      ),
      bucketed AS (
        SELECT i.*, w.name, w.secs, time_bucket(to_seconds(w.secs), i.ts, i.open_ts) AS bucket
        FROM in_hours i JOIN widths w ON w.base = i.base
      )
      SELECT symbol, name,
             epoch_ms(bucket) AS start,
             epoch_ms(least(bucket + to_seconds(secs), close_ts)) AS stop,
             arg_min(open, ts) AS open, max(high) AS high, min(low) AS low,
             arg_max(close, ts) AS close, sum(volume) AS volume, count(*) AS base_bars
      FROM bucketed
      GROUP BY symbol, name, bucket, secs, close_ts
      ORDER BY symbol, name, start`);
    const out = new Map<string, Row[]>();
    for (const r of reader.getRows()) {
      const key = `${String(r[0])}|${String(r[1])}`;
      let rows = out.get(key);
      if (!rows) out.set(key, (rows = []));
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
    return out;
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** The engine's completed bars of one symbol and interval (and a check nothing is left forming). */
function engineDerived(session: Session, symbol: string, interval: Interval): Row[] {
  const d = session.upkeep!.derivedOf(symbol, interval);
  if (!d) throw new Error(`the session derived no ${interval} bars for ${symbol}`);
  expect(session.sessionData.getSymbolData(symbol)!.bars_derived.get(interval)).toBe(d.completed);
  expect(d.forming, `${symbol} ${interval}: a bar is still forming at the end`).toBeNull();
  return Array.from({ length: d.completed.length }, (_, i) => d.bar(i));
}

function firstDifference(ours: Row[], theirs: Row[]): string | null {
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i];
    const b = theirs[i];
    const fields = Object.keys(a ?? b!) as (keyof Row)[];
    if (!a || !b || fields.some((f) => !Object.is(a[f], b[f]))) {
      return (
        `bar ${i} of ${ours.length} (engine) / ${theirs.length} (DuckDB): ` +
        `engine ${JSON.stringify(a)} vs DuckDB ${JSON.stringify(b)}`
      );
    }
  }
  return null;
}

/** Runs the session and DuckDB, and asserts identical derived bars everywhere. */
async function compare(
  dataDir: string,
  streams: StreamSpec[],
  days: Day[],
  derived: Interval[],
  refill?: { source: BarFillSource; oracleDir: string },
): Promise<{ session: Session; bars: Map<string, Row[]> }> {
  const session = await runSession(dataDir, streams, derived, refill?.source ?? null);
  const oracle = await duckdbDerived(refill?.oracleDir ?? dataDir, days, derived);
  const expectedKeys = streams.flatMap((s) =>
    derived.filter((d) => isDerivableFrom(d, s.interval)).map((d) => `${s.symbol}|${d}`),
  );
  expect([...oracle.keys()].sort()).toEqual([...expectedKeys].sort());
  const bars = new Map<string, Row[]>();
  const differences: string[] = [];
  for (const key of expectedKeys) {
    const [symbol, interval] = key.split('|') as [string, Interval];
    const ours = engineDerived(session, symbol, interval);
    const theirs = oracle.get(key)!;
    expect(theirs.length, key).toBeGreaterThan(0);
    const difference = firstDifference(ours, theirs);
    if (difference) differences.push(`${key}: ${difference}`);
    bars.set(key, ours);
  }
  expect(differences).toEqual([]);
  return { session, bars };
}

const utc = (iso: string): number => Date.parse(iso);
const SECOND_INTERVALS: Interval[] = ['5s', '15s', '1m', '5m', '15m'];
const ALL_INTERVALS: Interval[] = ['5s', '15s', '1m', '5m', '15m', '30m', '1h'];

describe('derived bars match DuckDB time buckets (docs/design.md §2)', () => {
  it('1s bars with scattered missing seconds and whole missing spans', async () => {
    const dir = tempDir();
    const date = '2024-03-05';
    const skip: SecondSpan[] = [
      [0, 1], // the session's first second: the first bars open on 09:30:01
      [3723, 4023], // 10:32:03-10:37:03, five minutes across bucket edges
      [7200, 7500], // 11:30-11:35, one whole 5m bucket
      [10_799, 10_800], // the last second of a 1h-from-open bucket
      ...scattered(7, 400, 1, true),
    ];
    writeDay(dir, 'GAPS', '1s', date, skip);
    const { bars } = await compare(
      dir,
      [{ symbol: 'GAPS', interval: '1s' }],
      [{ date, close: '16:00' }],
      SECOND_INTERVALS,
    );
    const open = utc('2024-03-05T14:30:00Z');
    const oneMinute = bars.get('GAPS|1m')!;
    const fiveMinute = bars.get('GAPS|5m')!;
    // Empty buckets give no bar; partial buckets give a bar with fewer base bars.
    expect(fiveMinute.some((b) => b.start === open + 120 * 60_000)).toBe(false);
    expect(oneMinute.some((b) => b.start === open + 63 * 60_000)).toBe(false);
    expect(oneMinute.find((b) => b.start === open + 62 * 60_000)?.base_bars).toBeLessThanOrEqual(3);
    expect(oneMinute[0]).toMatchObject({ start: open, end: open + 60_000 });
    expect(oneMinute[0]!.base_bars).toBeLessThan(60);
    expect(fiveMinute.length).toBe(77);
  });

  it('an early-close day (2024-11-29) cuts buckets at 13:00 and drops later bars', async () => {
    const dir = tempDir();
    const date = '2024-11-29';
    // Bars 09:30-13:30: the half hour after the 13:00 close must not reach any bucket.
    writeDay(dir, 'HALF', '1s', date, [[14_400, 23_400], ...scattered(11, 50, 1, false)]);
    // The 1m symbol also has ten pre-market bars (09:20-09:29), outside regular hours.
    writeDay(dir, 'HALFM', '1m', date, [[14_400, 23_400]], undefined, (c) => {
      const n = c.length!;
      const pre = 10;
      const ts = new Float64Array(n + pre);
      for (let i = 0; i < pre; i++) ts[i] = c.timestamp[0]! - (pre - i) * 60_000;
      ts.set(c.timestamp.subarray(0, n), pre);
      const values = c.values.map((v) => {
        const out = new Float64Array(n + pre);
        out.set(v.subarray(0, pre), 0);
        out.set(v.subarray(0, n), pre);
        return out;
      });
      return { length: n + pre, timestamp: ts, values };
    });
    const { bars } = await compare(
      dir,
      [
        { symbol: 'HALF', interval: '1s' },
        { symbol: 'HALFM', interval: '1m' },
      ],
      [{ date, close: '13:00' }],
      ALL_INTERVALS,
    );
    const open = utc('2024-11-29T14:30:00Z');
    const close = utc('2024-11-29T18:00:00Z');
    for (const [symbol, perBar] of [
      ['HALF', 1],
      ['HALFM', 60],
    ] as const) {
      const hours = bars.get(`${symbol}|1h`)!;
      expect(hours.map((b) => b.start)).toEqual([0, 1, 2, 3].map((h) => open + h * 3_600_000));
      expect(hours[3]!.end).toBe(close); // 12:30-13:30 is cut to 12:30-13:00
      if (symbol === 'HALFM') expect(hours[3]!.base_bars).toBe(1800 / perBar);
      const halfHours = bars.get(`${symbol}|30m`)!;
      expect(halfHours.length).toBe(7);
      expect(halfHours[6]!.end).toBe(close);
      expect(bars.get(`${symbol}|5m`)!.at(-1)!.start).toBe(close - 300_000);
    }
    expect(bars.get('HALFM|5m')![0]!.start).toBe(open);
  });

  it.each([
    ['March', '2024-03-08', '2024-03-11', '2024-03-08T14:30:00Z', '2024-03-11T13:30:00Z'],
    ['November', '2024-11-01', '2024-11-04', '2024-11-01T13:30:00Z', '2024-11-04T14:30:00Z'],
  ])(
    'across the %s DST change (%s to %s), buckets follow 09:30 New York time',
    async (_name, friday, monday, fridayOpen, mondayOpen) => {
      const dir = tempDir();
      let price = writeDay(dir, 'DST', '1s', friday, scattered(3, 100, 1, true));
      writeDay(dir, 'DST', '1s', monday, [[600, 900], ...scattered(5, 100, 1, true)], price);
      price = writeDay(dir, 'DSTM', '1m', friday, scattered(9, 20, 60, true));
      writeDay(dir, 'DSTM', '1m', monday, scattered(13, 20, 60, true), price);
      const { bars } = await compare(
        dir,
        [
          { symbol: 'DST', interval: '1s' },
          { symbol: 'DSTM', interval: '1m' },
        ],
        [
          { date: friday, close: '16:00' },
          { date: monday, close: '16:00' },
        ],
        ALL_INTERVALS,
      );
      for (const symbol of ['DST', 'DSTM']) {
        const hours = bars.get(`${symbol}|1h`)!;
        expect(hours.length).toBe(14);
        expect(hours[0]!.start).toBe(utc(fridayOpen));
        expect(hours[7]!.start).toBe(utc(mondayOpen));
        expect(hours[6]!.end).toBe(utc(fridayOpen) + 6.5 * 3_600_000); // 15:30-16:00, cut
      }
    },
  );

  it('a mixed session: one 1s and one 1m symbol over two days', async () => {
    const dir = tempDir();
    const days = ['2024-03-04', '2024-03-05'];
    let sPrice: number | undefined;
    let mPrice: number | undefined;
    for (const [i, date] of days.entries()) {
      sPrice = writeDay(dir, 'MIXS', '1s', date, scattered(17 + i, 300, 1, true), sPrice);
      mPrice = writeDay(
        dir,
        'MIXM',
        '1m',
        date,
        [[3600, 3900], [5400 + i * 60, 7200], ...scattered(19 + i, 15, 60, true)],
        mPrice,
      );
    }
    const { bars } = await compare(
      dir,
      [
        { symbol: 'MIXS', interval: '1s' },
        { symbol: 'MIXM', interval: '1m' },
      ],
      days.map((date) => ({ date, close: '16:00' as const })),
      ALL_INTERVALS,
    );
    expect(bars.get('MIXS|1m')!.length).toBe(780);
    // 11:00-11:30 (and 11:01-11:30 on day two) missing: no 30m bar on day one, a 1-bar one on
    // day two.
    const dayTwo = utc('2024-03-05T14:30:00Z');
    const halfHours = bars.get('MIXM|30m')!;
    expect(halfHours.length).toBe(13 + 13 - 1);
    expect(halfHours.find((b) => b.start === dayTwo + 90 * 60_000)?.base_bars).toBe(1);
  });

  it('after refills from a second store, including refills that come after their bucket completed', async () => {
    // The session streams files with holes; the fill source holds the whole day. Whatever the
    // refill's timing, the derived bars must equal DuckDB's buckets over the whole day.
    const full = tempDir();
    const holes = tempDir();
    const date = '2024-11-29'; // an early close: a hole runs across 13:00
    const minuteHoles: SecondSpan[] = [
      [5400, 5700], // 11:00-11:05, the start of a 15m bucket (the reported case)
      [6000, 6060], // 11:10, the middle of one
      [6240, 6300], // 11:14, the end of one
      [12_420, 12_600], // 12:57-13:00, into the close
    ];
    const secondHoles: SecondSpan[] = [[5400, 5405], [5990, 6010], ...scattered(23, 60, 1, true)];
    for (const [dir, cut] of [
      [full, false],
      [holes, true],
    ] as const) {
      writeDay(dir, 'FILLM', '1m', date, [[12_600, 23_400], ...(cut ? minuteHoles : [])]);
      writeDay(dir, 'FILLS', '1s', date, [[12_600, 23_400], ...(cut ? secondHoles : [])]);
    }
    // The first two calls of each symbol fail as a lock would: those refills land minutes later,
    // after the 1m and 5m buckets they belong to have completed.
    const source = new LockedAtFirst(new ParquetBarFillSource(full), 2);
    const { session, bars } = await compare(
      holes,
      [
        { symbol: 'FILLM', interval: '1m' },
        { symbol: 'FILLS', interval: '1s' },
      ],
      [{ date, close: '13:00' }],
      ALL_INTERVALS,
      { source, oracleDir: full },
    );
    expect(source.failed).toBe(4);
    const open = utc('2024-11-29T14:30:00Z');
    const quarter = bars.get('FILLM|15m')!.filter((b) => b.start === open + 90 * 60_000);
    expect(quarter).toHaveLength(1);
    expect(quarter[0]!.base_bars).toBe(15);
    const gaps = session.upkeep!.gapsOf('FILLM');
    expect(gaps.every((g) => g.outcome === 'filled')).toBe(true);
    expect(gaps.map((g) => g.expected)).toEqual([5, 1, 1, 3]);
  });
});

/** A fill source whose first `failures` calls per symbol fail, as a locked database would. */
class LockedAtFirst implements BarFillSource {
  readonly description = 'locked at first';
  failed = 0;
  private readonly calls = new Map<string, number>();
  constructor(
    private readonly inner: BarFillSource,
    private readonly failures: number,
  ) {}
  async fetchBars(
    symbol: string,
    interval: '1s' | '1m',
    start: number,
    end: number,
  ): Promise<StreamBatch> {
    const n = (this.calls.get(symbol) ?? 0) + 1;
    this.calls.set(symbol, n);
    if (n <= this.failures) {
      this.failed++;
      throw new Error('database is locked');
    }
    return this.inner.fetchBars(symbol, interval, start, end);
  }
}
