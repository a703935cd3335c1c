import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDataStore, createFillSource, sqliteFile } from '../../src/main/host/data-store';
import { ParquetBarFillSource } from '../../src/main/storage/parquet/parquet-fill-source';
import { SqliteBarFillSource } from '../../src/main/storage/sqlite/sqlite-fill-source';
import { parseSessionConfig } from '../../src/shared/session-config';
import type { BarFillSource, DataError, StreamKey } from '../../src/shared/stream-cursor';
import { bars, withCell, writeStreamFile, type Columns } from './fixtures';
import { asBarColumns, buildDb, makeTempDir, removeTempDir } from './sqlite-helpers';

const KEY: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1m' };
const MIN = 60_000;
/** Two sessions: 2024-01-02 and 2024-01-03, 390 one-minute bars from 09:30 New York. */
const DAY1 = bars(390, Date.UTC(2024, 0, 2, 14, 30));
const DAY2 = bars(390, Date.UTC(2024, 0, 3, 14, 30));

function config(type: 'parquet' | 'sqlite', path?: string) {
  const result = parseSessionConfig({
    session_name: 'fill',
    data_streams: [{ type: 'bars', symbol: 'AAPL', interval: '1m' }],
    data_source: { type, ...(path ? { path } : {}) },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

/** The expected rows of `days` with start in [start, end). */
function window(days: Columns[], start: number, end: number): number[] {
  return days.flatMap((d) => d.timestamp as number[]).filter((t) => t >= start && t < end);
}

describe.each(['sqlite', 'parquet'] as const)('%s bar fill source', (store) => {
  let dir: string;
  let source: BarFillSource & { close?(): void };
  const problems: DataError[] = [];

  beforeEach(async () => {
    dir = makeTempDir();
    problems.length = 0;
    // Row 100 of day 2 is bad: it must be left out of fills, not fail them.
    const day2 = withCell(DAY2, 'high', 100, 1);
    if (store === 'sqlite') {
      const file = join(dir, 'market.db');
      buildDb(file, (repo) => {
        repo.insertBars('AAPL', '1m', asBarColumns(DAY1));
        repo.insertBars('AAPL', '1m', asBarColumns(day2));
        repo.insertBars('AAPL', '1s', asBarColumns(bars(10, Date.UTC(2024, 0, 2, 14, 30), 1000)));
      });
      source = new SqliteBarFillSource(file, { onProblem: (p) => problems.push(p) });
      expect(source.description).toBe(`sqlite ${file}`);
    } else {
      await writeStreamFile(dir, KEY, '2024-01-02', DAY1);
      await writeStreamFile(dir, KEY, '2024-01-03', day2);
      source = new ParquetBarFillSource(dir, { onProblem: (p) => problems.push(p) });
      expect(source.description).toBe(`parquet ${dir}`);
    }
  });
  afterEach(() => {
    source.close?.();
    removeTempDir(dir);
  });

  it('returns the bars starting in [start, end), in time order, as columns', async () => {
    const start = Date.UTC(2024, 0, 2, 15, 0);
    const end = Date.UTC(2024, 0, 2, 15, 10);
    const batch = await source.fetchBars('AAPL', '1m', start, end);
    expect(batch.length).toBe(10);
    expect(Array.from(batch.timestamp)).toEqual(window([DAY1], start, end));
    expect(batch.values).toHaveLength(5);
    const i = DAY1.timestamp.indexOf(start);
    expect(Array.from(batch.values[0])).toEqual(DAY1.open.slice(i, i + 10));
    expect(Array.from(batch.values[4])).toEqual(DAY1.volume.slice(i, i + 10));
  });

  it('spans sessions, and leaves bad rows out (reporting them) instead of failing', async () => {
    const start = Date.UTC(2024, 0, 2, 20, 50);
    const end = Date.UTC(2024, 0, 3, 16, 20);
    const batch = await source.fetchBars('AAPL', '1m', start, end);
    const expected = window([DAY1, DAY2], start, end).filter((t) => t !== DAY2.timestamp[100]);
    expect(Array.from(batch.timestamp)).toEqual(expected);
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe('high');
  });

  it('returns an empty batch where there is nothing to fill from', async () => {
    const empty = await source.fetchBars('AAPL', '1m', Date.UTC(2024, 5, 1), Date.UTC(2024, 5, 2));
    expect(empty.length).toBe(0);
    expect(empty.values).toHaveLength(5);
    expect((await source.fetchBars('MSFT', '1m', 0, Date.UTC(2030, 0, 1))).length).toBe(0);
    const t = DAY1.timestamp[0] as number;
    expect((await source.fetchBars('AAPL', '1m', t, t)).length).toBe(0);
  });

  it('returns exactly one bar for a one-interval window', async () => {
    const t = DAY1.timestamp[5] as number;
    const batch = await source.fetchBars('AAPL', '1m', t, t + MIN);
    expect(Array.from(batch.timestamp)).toEqual([t]);
  });
});

describe('createDataStore (sqlite) and createFillSource', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it('maps a sqlite preflight to the host report, with skipInvalid', async () => {
    const file = join(dir, 'market.db');
    buildDb(file, (repo) =>
      repo.insertBars('AAPL', '1m', asBarColumns(withCell(DAY1, 'low', 3, -1))),
    );
    const strict = createDataStore(config('sqlite'), dir);
    if (!strict.ok) throw new Error(strict.problems.join());
    expect(strict.store.description).toBe(`sqlite ${file}`);
    const refused = await strict.store.preflight(KEY, {});
    expect(refused).toMatchObject({ rows: 390, skipped: 0 });
    expect(refused.problems).toEqual([
      expect.stringContaining(`${file}: table market_data, rowid 4`),
    ]);
    strict.store.close();

    const skipping = createDataStore(config('sqlite'), dir, { skipInvalid: true });
    if (!skipping.ok) throw new Error(skipping.problems.join());
    expect(await skipping.store.preflight(KEY, {})).toEqual({
      rows: 389,
      skipped: 1,
      problems: [],
    });
    skipping.store.close();
  });

  it('resolves the database path: default market.db, relative paths, directories', () => {
    expect(sqliteFile(config('sqlite'), dir)).toBe(join(dir, 'market.db'));
    expect(sqliteFile(config('sqlite', 'other/x.db'), dir)).toBe(join(dir, 'other', 'x.db'));
    expect(sqliteFile(config('sqlite', '.'), dir)).toBe(join(dir, 'market.db'));
    expect(sqliteFile(config('sqlite', '/abs/y.db'), dir)).toBe('/abs/y.db');
  });

  it('fills from the other store when it exists, else from the same one', async () => {
    // Neither exists yet: the same store (and nothing is created by asking).
    expect(createFillSource(config('parquet'), dir)).toBeInstanceOf(ParquetBarFillSource);
    expect(createFillSource(config('sqlite'), dir)).toBeInstanceOf(SqliteBarFillSource);
    expect(existsSync(join(dir, 'market.db'))).toBe(false);

    buildDb(join(dir, 'market.db'), (repo) => repo.insertBars('AAPL', '1m', asBarColumns(DAY1)));
    const forParquet = createFillSource(config('parquet'), dir);
    expect(forParquet.description).toBe(`sqlite ${join(dir, 'market.db')}`);
    expect((await forParquet.fetchBars('AAPL', '1m', 0, Date.UTC(2030, 0, 1))).length).toBe(390);
    forParquet.close?.();
    expect(createFillSource(config('sqlite'), dir)).toBeInstanceOf(SqliteBarFillSource);

    await writeStreamFile(dir, KEY, '2024-01-03', DAY2);
    const forSqlite = createFillSource(config('sqlite'), dir);
    expect(forSqlite.description).toBe(`parquet ${dir}`);
    expect((await forSqlite.fetchBars('AAPL', '1m', 0, Date.UTC(2030, 0, 1))).length).toBe(390);
  });
});
