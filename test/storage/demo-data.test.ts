import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_DATES,
  demoConfigPath,
  demoDataPresent,
  demoFilePaths,
  generateBars1s,
  generateDemoData,
  generateQuotes,
  simulateDay,
  barsFromPath,
  type DemoManifest,
} from '../../src/main/storage/demo-data';
import {
  withAtomicFile,
  writeParquetColumns,
  writeStreamParquet,
  zstdAvailable,
} from '../../src/main/storage/parquet/parquet-writer';
import { parseSessionConfig } from '../../src/shared/session-config';
import { STREAM_FIELDS, type StreamType } from '../../src/shared/stream-types';
import { exchangeDate, exchangeTimeToUtc } from '../../src/shared/time';

const REPO = path.resolve(__dirname, '../..');
const tmpDirs: string[] = [];

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tapedeck-demo-'));
  tmpDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

function readBuffer(file: string): ArrayBuffer {
  const buf = fs.readFileSync(file);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

interface Columns {
  timestamp: number[];
  [field: string]: number[];
}

async function readColumns(file: string, type: StreamType): Promise<Columns> {
  const rows = await parquetReadObjects({ file: readBuffer(file) });
  const cols: Columns = { timestamp: [] };
  for (const f of STREAM_FIELDS[type]) cols[f] = [];
  for (const row of rows) {
    cols.timestamp.push((row.timestamp as Date).getTime());
    for (const f of STREAM_FIELDS[type]) cols[f].push(row[f] as number);
  }
  return cols;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('demo data', () => {
  let dirA: string;
  let dirB: string;
  let manifest: DemoManifest;
  const data = new Map<string, Columns>();

  beforeAll(async () => {
    dirA = tmpDir();
    dirB = tmpDir();
    manifest = generateDemoData(dirA);
    generateDemoData(dirB);
    for (const f of manifest.files) data.set(f.relativePath, await readColumns(f.path, f.type));
  });

  const get = (rel: string): Columns => {
    const cols = data.get(rel);
    if (!cols) throw new Error(`no data for ${rel}`);
    return cols;
  };

  it('is byte-for-byte deterministic', () => {
    const files = listFiles(dirA);
    expect(listFiles(dirB)).toEqual(files);
    for (const rel of files) {
      expect(
        Buffer.compare(
          fs.readFileSync(path.join(dirA, rel)),
          fs.readFileSync(path.join(dirB, rel)),
        ),
        rel,
      ).toBe(0);
    }
  });

  it('writes the canonical layout and nothing else', () => {
    expect(listFiles(dirA)).toEqual(
      [
        'configs/demo.json',
        'strategies/ema-crossover.ts',
        'strategies/opening-range-breakout.ts',
        ...DEMO_DATES.flatMap((d) => [
          `parquet/bars/interval=1s/symbol=AAPL/date=${d}/part-0.parquet`,
          `parquet/bars/interval=1s/symbol=TSLA/date=${d}/part-0.parquet`,
          `parquet/bars/interval=1m/symbol=RIVN/date=${d}/part-0.parquet`,
          `parquet/quotes/symbol=AAPL/date=${d}/part-0.parquet`,
          `parquet/quotes/symbol=RIVN/date=${d}/part-0.parquet`,
        ]),
      ].sort(),
    );
    expect(manifest.files.map((f) => f.relativePath).sort()).toEqual(
      demoFilePaths(dirA)
        .map((p) => path.relative(dirA, p).split(path.sep).join('/'))
        .sort(),
    );
    expect(demoDataPresent(dirA)).toBe(true);
    expect(demoDataPresent(tmpDir())).toBe(false);
  });

  it('stores INT64 TIMESTAMP(MILLIS, UTC) timestamps and DOUBLE values', () => {
    for (const f of manifest.files) {
      const md = parquetMetadata(readBuffer(f.path));
      const [, ts, ...values] = md.schema;
      expect(ts).toMatchObject({
        name: 'timestamp',
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
      });
      expect(values.map((v) => v.name)).toEqual([...STREAM_FIELDS[f.type]]);
      for (const v of values) expect(v.type).toBe('DOUBLE');
      expect(Number(md.num_rows)).toBe(f.rows);
      expect(fs.statSync(f.path).size).toBe(f.bytes);
    }
  });

  it('has row counts consistent with the manifest', () => {
    for (const f of manifest.files) expect(get(f.relativePath).timestamp.length).toBe(f.rows);
    const rows = (rel: string): number =>
      manifest.files.find((f) => f.relativePath === rel)?.rows ?? -1;
    const [d1, d2] = DEMO_DATES;
    expect(rows(`parquet/bars/interval=1s/symbol=AAPL/date=${d1}/part-0.parquet`)).toBe(
      23_400 - 120,
    );
    expect(rows(`parquet/bars/interval=1s/symbol=AAPL/date=${d2}/part-0.parquet`)).toBe(23_400);
    expect(rows(`parquet/bars/interval=1s/symbol=TSLA/date=${d1}/part-0.parquet`)).toBe(23_400);
    expect(rows(`parquet/bars/interval=1s/symbol=TSLA/date=${d2}/part-0.parquet`)).toBe(
      23_400 - 300 - 12,
    );
    expect(rows(`parquet/bars/interval=1m/symbol=RIVN/date=${d1}/part-0.parquet`)).toBe(390 - 3);
    expect(rows(`parquet/bars/interval=1m/symbol=RIVN/date=${d2}/part-0.parquet`)).toBe(390);
    // Quotes: a few per second for AAPL, fewer for RIVN.
    expect(rows(`parquet/quotes/symbol=AAPL/date=${d2}/part-0.parquet`)).toBeGreaterThan(80_000);
    expect(rows(`parquet/quotes/symbol=RIVN/date=${d2}/part-0.parquet`)).toBeGreaterThan(15_000);
    expect(rows(`parquet/quotes/symbol=RIVN/date=${d2}/part-0.parquet`)).toBeLessThan(50_000);
    for (const s of manifest.streams) {
      const files = manifest.files.filter(
        (f) => f.symbol === s.symbol && f.type === s.type && f.interval === s.interval,
      );
      expect(s.rows).toBe(files.reduce((a, f) => a + f.rows, 0));
      for (const f of files) expect(s.rowsByDate[f.date]).toBe(f.rows);
      const missing = manifest.gaps
        .filter((g) => g.symbol === s.symbol && g.type === 'bars' && s.type === 'bars')
        .reduce((a, g) => a + (g.missingRows ?? 0), 0);
      if (s.type === 'bars') {
        const perDay = s.interval === '1s' ? 23_400 : 390;
        expect(s.rows).toBe(perDay * DEMO_DATES.length - missing);
      }
    }
  });

  it('has valid, positive, tick-rounded OHLC bars', () => {
    for (const f of manifest.files.filter((x) => x.type === 'bars')) {
      const c = get(f.relativePath);
      for (let i = 0; i < c.timestamp.length; i++) {
        const o = c.open[i];
        const h = c.high[i];
        const l = c.low[i];
        const cl = c.close[i];
        const ok =
          l > 0 &&
          h >= Math.max(o, cl) &&
          l <= Math.min(o, cl) &&
          c.volume[i] > 0 &&
          Number.isInteger(c.volume[i]) &&
          [o, h, l, cl].every((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6);
        if (!ok) throw new Error(`${f.relativePath} row ${i}: ${o} ${h} ${l} ${cl} ${c.volume[i]}`);
      }
    }
  });

  it('has quotes with bid < ask and round-lot sizes', () => {
    for (const f of manifest.files.filter((x) => x.type === 'quotes')) {
      const c = get(f.relativePath);
      for (let i = 0; i < c.timestamp.length; i++) {
        const ok =
          c.bid[i] > 0 &&
          c.bid[i] < c.ask[i] &&
          c.ask[i] - c.bid[i] < 0.1 &&
          c.bid_size[i] >= 100 &&
          c.bid_size[i] % 100 === 0 &&
          c.ask_size[i] >= 100 &&
          c.ask_size[i] % 100 === 0;
        if (!ok)
          throw new Error(`${f.relativePath} row ${i}: ${JSON.stringify([c.bid[i], c.ask[i]])}`);
      }
      // Irregular, sub-second times.
      const subSecond = c.timestamp.filter((t) => t % 1000 !== 0).length;
      expect(subSecond / c.timestamp.length).toBeGreaterThan(0.9);
    }
  });

  it('orders timestamps and keeps them inside regular hours of the file date', () => {
    for (const f of manifest.files) {
      const ts = get(f.relativePath).timestamp;
      const open = exchangeTimeToUtc(f.date, 9, 30);
      const close = exchangeTimeToUtc(f.date, 16, 0);
      const barMs = f.type === 'bars' ? (f.interval === '1m' ? 60_000 : 1000) : 0;
      for (let i = 0; i < ts.length; i++) {
        if (i > 0) {
          const ordered = f.type === 'bars' ? ts[i] > ts[i - 1] : ts[i] >= ts[i - 1];
          if (!ordered) throw new Error(`${f.relativePath} row ${i} out of order`);
        }
        if (ts[i] < open || ts[i] + barMs > close || (barMs === 0 && ts[i] >= close)) {
          throw new Error(`${f.relativePath} row ${i} outside regular hours`);
        }
        if (barMs > 0 && (ts[i] - open) % barMs !== 0) {
          throw new Error(`${f.relativePath} row ${i} not on the bar grid`);
        }
      }
      expect(exchangeDate(ts[0])).toBe(f.date);
      expect(exchangeDate(ts[ts.length - 1])).toBe(f.date);
    }
    // Sessions 2024-03-04/05 are EST: 09:30 New York is 14:30 UTC.
    expect(
      new Date(
        get('parquet/bars/interval=1s/symbol=AAPL/date=2024-03-05/part-0.parquet').timestamp[0],
      ).toISOString(),
    ).toBe('2024-03-05T14:30:00.000Z');
  });

  it('has gaps exactly where the manifest says', () => {
    expect(manifest.gaps.length).toBe(1 + 1 + 1 + 1 + 12);
    for (const f of manifest.files) {
      const gaps = manifest.gaps.filter(
        (g) =>
          g.symbol === f.symbol &&
          g.date === f.date &&
          g.type === f.type &&
          g.interval === f.interval,
      );
      const ts = get(f.relativePath).timestamp;
      if (f.type === 'bars') {
        const step = f.interval === '1m' ? 60_000 : 1000;
        const expected: number[] = [];
        for (
          let t = exchangeTimeToUtc(f.date, 9, 30);
          t < exchangeTimeToUtc(f.date, 16, 0);
          t += step
        ) {
          if (!gaps.some((g) => t >= g.startMs && t < g.endMs)) expected.push(t);
        }
        expect(ts, f.relativePath).toEqual(expected);
      } else {
        for (const g of gaps) {
          expect(ts.some((t) => t >= g.startMs && t < g.endMs)).toBe(false);
          // A hole, not quiet trading: quotes right up to it and right after it.
          expect(ts.some((t) => t >= g.startMs - 5000 && t < g.startMs)).toBe(true);
          expect(ts.some((t) => t >= g.endMs && t < g.endMs + 5000)).toBe(true);
        }
      }
    }
    // The documented spans.
    const local = (sym: string): string[] =>
      manifest.gaps.filter((g) => g.symbol === sym && g.type === 'bars').map((g) => g.local);
    expect(local('AAPL')).toEqual(['10:15:00-10:17:00']);
    expect(local('RIVN')).toEqual(['11:41:00-11:44:00']);
    expect(local('TSLA')).toContain('14:20:00-14:25:00');
    expect(manifest.gaps.filter((g) => g.symbol === 'TSLA' && g.missingRows === 1)).toHaveLength(
      12,
    );
    expect(manifest.gaps.every((g) => g.date === '2024-03-04' || g.symbol === 'TSLA')).toBe(true);
  });

  it('has a U-shaped intraday volume profile', () => {
    for (const f of manifest.files.filter((x) => x.type === 'bars')) {
      const c = get(f.relativePath);
      const at = (h: number, m: number): number => exchangeTimeToUtc(f.date, h, m);
      const window = (from: number, to: number): number[] =>
        c.volume.filter((_, i) => c.timestamp[i] >= from && c.timestamp[i] < to);
      const first = mean(window(at(9, 30), at(10, 0)));
      const last = mean(window(at(15, 30), at(16, 0)));
      const midday = mean(window(at(11, 30), at(14, 30)));
      expect(first, f.relativePath).toBeGreaterThan(1.5 * midday);
      expect(last, f.relativePath).toBeGreaterThan(1.5 * midday);
    }
  });

  it('keeps quotes consistent with the bars around them', () => {
    for (const date of DEMO_DATES) {
      for (const [sym, interval, barMs] of [
        ['AAPL', '1s', 1000],
        ['RIVN', '1m', 60_000],
      ] as const) {
        const bars = get(
          `parquet/bars/interval=${interval}/symbol=${sym}/date=${date}/part-0.parquet`,
        );
        const quotes = get(`parquet/quotes/symbol=${sym}/date=${date}/part-0.parquet`);
        const byStart = new Map(bars.timestamp.map((t, i) => [t, i]));
        let checked = 0;
        for (let q = 0; q < quotes.timestamp.length; q++) {
          const t = quotes.timestamp[q];
          const i = byStart.get(t - (t % barMs));
          if (i === undefined) continue;
          checked++;
          if (!(quotes.bid[q] <= bars.high[i] && quotes.ask[q] >= bars.low[i])) {
            throw new Error(`${sym} ${date} quote ${q} outside its bar's range`);
          }
        }
        expect(checked).toBeGreaterThan(quotes.timestamp.length * 0.9);
      }
    }
  });

  it('uses realistic price levels and chains the sessions', () => {
    const levels = { AAPL: [150, 200], RIVN: [8, 15], TSLA: [160, 220] } as const;
    for (const [sym, [lo, hi]] of Object.entries(levels)) {
      const interval = sym === 'RIVN' ? '1m' : '1s';
      const d1 = get(
        `parquet/bars/interval=${interval}/symbol=${sym}/date=${DEMO_DATES[0]}/part-0.parquet`,
      );
      const d2 = get(
        `parquet/bars/interval=${interval}/symbol=${sym}/date=${DEMO_DATES[1]}/part-0.parquet`,
      );
      for (const c of [d1, d2]) {
        expect(Math.min(...c.low)).toBeGreaterThan(lo);
        expect(Math.max(...c.high)).toBeLessThan(hi);
      }
      const prevClose = d1.close[d1.close.length - 1];
      expect(Math.abs(d2.open[0] / prevClose - 1)).toBeLessThan(0.03);
    }
  });

  it('writes a demo config that passes parseSessionConfig', () => {
    const raw = JSON.parse(fs.readFileSync(demoConfigPath(dirA), 'utf8'));
    const parsed = parseSessionConfig(raw);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.config.session_name).toBe('demo');
    expect(parsed.config.mode).toBe('backtest');
    expect(parsed.config.data_streams).toEqual([
      { type: 'bars', symbol: 'AAPL', interval: '1s' },
      { type: 'quotes', symbol: 'AAPL' },
      { type: 'bars', symbol: 'RIVN', interval: '1m' },
      { type: 'quotes', symbol: 'RIVN' },
      { type: 'bars', symbol: 'TSLA', interval: '1s' },
    ]);
    expect(parsed.config.session_data_config.data_upkeep).toMatchObject({
      enabled: true,
      derived_intervals: ['1m', '5m', '15m'],
    });
    expect(parsed.config.backtest_config).toEqual({
      start_date: '2024-03-04',
      end_date: '2024-03-05',
      speed_multiplier: 60,
    });
    expect(manifest.config.status).toBe('written');
  });

  it('keeps an edited config unless told to overwrite it', () => {
    const dir = tmpDir();
    expect(generateDemoData(dir).config.status).toBe('written');
    expect(generateDemoData(dir).config.status).toBe('unchanged');
    const file = demoConfigPath(dir);
    fs.writeFileSync(file, '{"session_name":"mine"}\n');
    expect(generateDemoData(dir).config.status).toBe('kept');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"session_name":"mine"}\n');
    expect(generateDemoData(dir, { overwriteConfig: true }).config.status).toBe('written');
    expect(fs.readFileSync(file)).toEqual(fs.readFileSync(demoConfigPath(dirA)));
  });
});

describe('benchmark generators', () => {
  it('writes N symbols of 1s bars and M symbols of quotes in the canonical layout', async () => {
    const dir = tmpDir();
    const date = '2024-03-06';
    const bars = generateBars1s({ dataDir: dir, symbols: ['SYM1', 'SYM2', 'SYM3'], date, seed: 7 });
    const quotes = generateQuotes({ dataDir: dir, symbols: ['SYM1'], date, seed: 7 });
    expect(bars.map((f) => f.relativePath)).toEqual([
      `parquet/bars/interval=1s/symbol=SYM1/date=${date}/part-0.parquet`,
      `parquet/bars/interval=1s/symbol=SYM2/date=${date}/part-0.parquet`,
      `parquet/bars/interval=1s/symbol=SYM3/date=${date}/part-0.parquet`,
    ]);
    for (const f of bars) expect(f.rows).toBe(23_400);
    expect(quotes[0].relativePath).toBe(`parquet/quotes/symbol=SYM1/date=${date}/part-0.parquet`);
    expect(quotes[0].rows).toBeGreaterThan(90_000);
    expect(quotes[0].rows).toBeLessThan(110_000);
    const c = await readColumns(bars[1].path, 'bars');
    expect(c.timestamp[0]).toBe(exchangeTimeToUtc(date, 9, 30));
    expect(c.timestamp[23_399]).toBe(exchangeTimeToUtc(date, 16, 0) - 1000);
    // Same seed, same symbol: the same day, wherever it is generated.
    const again = barsFromPath(simulateDay({ symbol: 'SYM2', date, seed: 7 }), '1s');
    expect(Array.from(again.values[3].subarray(0, 100))).toEqual(c.close.slice(0, 100));
  });

  it('refuses weekend dates', () => {
    expect(() => simulateDay({ symbol: 'AAPL', date: '2024-03-09' })).toThrow(/weekend/);
  });
});

describe('parquet writer', () => {
  const ts = Float64Array.from({ length: 1000 }, (_, i) => 1_709_562_600_000 + i * 1000);
  const col = (v: number): Float64Array => new Float64Array(1000).fill(v);
  const bars = { timestamp: ts, values: [col(1), col(2), col(0.5), col(1.5), col(100)] };

  it('writes via a temporary file and leaves only the target behind', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'nested', 'X_1s_2024-03-04.parquet');
    const res = writeStreamParquet(file, 'bars', bars, { rowGroupSize: 100 });
    expect(res).toEqual({ path: file, rows: 1000, bytes: fs.statSync(file).size });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['X_1s_2024-03-04.parquet']);
    const md = parquetMetadata(readBuffer(file));
    expect(md.row_groups).toHaveLength(10);
    const c = await readColumns(file, 'bars');
    expect(c.timestamp).toEqual(Array.from(ts));
    expect(c.low[999]).toBe(0.5);
  });

  it('honours length and uses 65,536-row groups by default', () => {
    const dir = tmpDir();
    const n = 70_000;
    const big = Float64Array.from({ length: n + 5 }, (_, i) => 1_709_562_600_000 + i);
    const v = new Float64Array(n + 5).fill(1);
    const file = path.join(dir, 'q.parquet');
    const res = writeStreamParquet(file, 'ticks', { length: n, timestamp: big, values: [v, v] });
    expect(res.rows).toBe(n);
    const md = parquetMetadata(readBuffer(file));
    expect(md.row_groups.map((g) => Number(g.num_rows))).toEqual([65_536, n - 65_536]);
  });

  it('refuses malformed columns before creating anything', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'bad.parquet');
    expect(() =>
      writeStreamParquet(file, 'bars', { timestamp: ts, values: [col(1), col(1), col(1), col(1)] }),
    ).toThrow(/expected 5 value columns/);
    expect(() =>
      writeStreamParquet(file, 'bars', {
        timestamp: ts,
        values: [col(1), col(1), col(1), col(1), new Float64Array(10)],
      }),
    ).toThrow(/volume has 10 rows/);
    const fractional = Float64Array.from(ts);
    fractional[5] += 0.5;
    expect(() => writeStreamParquet(file, 'bars', { ...bars, timestamp: fractional })).toThrow(
      /row 5/,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('leaves no target and no temporary file when a write fails midway', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'mid.parquet');
    // The short column is only noticed by the encoder after the first columns were written.
    expect(() =>
      writeParquetColumns(
        file,
        [
          { name: 'timestamp', data: ts },
          { name: 'price', data: col(1) },
          { name: 'size', data: new Float64Array(999) },
        ],
        { rowGroupSize: 100 },
      ),
    ).toThrow(/same length/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('keeps the previous file intact when a rewrite fails', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'keep.parquet');
    writeStreamParquet(file, 'bars', bars);
    const before = fs.readFileSync(file);
    expect(() =>
      withAtomicFile(file, (fd) => {
        fs.writeSync(fd, Buffer.alloc(4096, 7));
        throw new Error('disk on fire');
      }),
    ).toThrow('disk on fire');
    expect(fs.readdirSync(dir)).toEqual(['keep.parquet']);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('supports zstd where the runtime has it, and says so where it does not', () => {
    const file = path.join(tmpDir(), 'z.parquet');
    if (zstdAvailable()) {
      writeStreamParquet(file, 'bars', bars, { compression: 'zstd' });
      const md = parquetMetadata(readBuffer(file));
      expect(md.row_groups[0].columns[0].meta_data?.codec).toBe('ZSTD');
    } else {
      expect(() => writeStreamParquet(file, 'bars', bars, { compression: 'zstd' })).toThrow(
        /zstd compression needs Node/,
      );
      expect(fs.existsSync(file)).toBe(false);
    }
  });
});

describe('demo-data CLI', () => {
  const cli = path.join(REPO, 'src/main/cli/demo-data.ts');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: REPO,
      encoding: 'utf8',
    });

  it('writes once with --if-missing, then does nothing; fails cleanly on bad usage', () => {
    const dir = tmpDir();
    const first = run('--data', dir, '--if-missing');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('interval=1s/symbol=AAPL/date=2024-03-04/part-0.parquet');
    expect(first.stdout).toContain('10:15:00-10:17:00');
    expect(demoDataPresent(dir)).toBe(true);
    const second = run('--data', dir, '--if-missing');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('already present');
    const bad = run('--bogus');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('unknown option');
  }, 60_000);
});
