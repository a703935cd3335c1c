import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStreamSource } from '../../src/main/storage/sqlite/sqlite-source';
import { DataError, type StreamKey } from '../../src/shared/stream-cursor';
import { bars, drain, quotes, ticks } from './fixtures';
import {
  asBarColumns,
  asQuoteColumns,
  asTickColumns,
  buildDb,
  makeTempDir,
  removeTempDir,
} from './sqlite-helpers';

const BARS: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1m' };
const QUOTES: StreamKey = { symbol: 'SPY', type: 'quotes' };
const TICKS: StreamKey = { symbol: 'ES-1', type: 'ticks' };
const T0 = Date.UTC(2024, 0, 2, 14, 30);

interface Case {
  name: string;
  key: StreamKey;
  /** SQL run after 10 valid rows are written; rowid / seq 4 is the victim. */
  sql: string;
  field: string;
  message: string;
}

const CASES: Case[] = [
  {
    name: 'NULL',
    key: BARS,
    sql: 'UPDATE market_data SET close = NULL WHERE rowid = 4',
    field: 'close',
    message: 'is NULL',
  },
  {
    name: 'text in a REAL column',
    key: BARS,
    sql: `UPDATE market_data SET open = 'n/a' WHERE rowid = 4`,
    field: 'open',
    message: 'is text "n/a"',
  },
  {
    name: 'infinity',
    key: BARS,
    sql: 'UPDATE market_data SET volume = 9e999 WHERE rowid = 4',
    field: 'volume',
    message: 'is Infinity',
  },
  {
    name: 'a zero price',
    key: BARS,
    sql: 'UPDATE market_data SET low = 0 WHERE rowid = 4',
    field: 'low',
    message: 'is 0; it must be above zero',
  },
  {
    name: 'a negative volume',
    key: BARS,
    sql: 'UPDATE market_data SET volume = -5 WHERE rowid = 4',
    field: 'volume',
    message: 'is -5; it cannot be negative',
  },
  {
    name: 'high below low',
    key: BARS,
    sql: 'UPDATE market_data SET high = 1, low = 2, open = 1.5, close = 1.5 WHERE rowid = 4',
    field: 'high',
    message: '1 is below low 2',
  },
  {
    name: 'high below max(open, close)',
    key: BARS,
    sql: 'UPDATE market_data SET high = 10, low = 5, open = 6, close = 11 WHERE rowid = 4',
    field: 'high',
    message: '10 is below open 6 or close 11',
  },
  {
    name: 'low above min(open, close)',
    key: BARS,
    sql: 'UPDATE market_data SET high = 10, low = 7, open = 6, close = 8 WHERE rowid = 4',
    field: 'low',
    message: '7 is above open 6 or close 8',
  },
  {
    name: 'a negative quote bid',
    key: QUOTES,
    sql: 'UPDATE quotes SET bid = -1 WHERE seq = 4',
    field: 'bid',
    message: 'is -1; it must be above zero',
  },
  {
    name: 'a NULL ask size',
    key: QUOTES,
    sql: 'UPDATE quotes SET ask_size = NULL WHERE seq = 4',
    field: 'ask_size',
    message: 'is NULL',
  },
  {
    name: 'a zero tick price',
    key: TICKS,
    sql: 'UPDATE ticks SET price = 0 WHERE seq = 4',
    field: 'price',
    message: 'is 0; it must be above zero',
  },
];

describe('sqlite preflight and row validation', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir();
    file = join(dir, 'market.db');
  });
  afterEach(() => removeTempDir(dir));

  function fill(sql?: string): void {
    buildDb(file, (repo, store) => {
      repo.insertBars('AAPL', '1m', asBarColumns(bars(10, T0)));
      repo.insertQuotes('SPY', asQuoteColumns(quotes(10, T0)));
      repo.insertTicks('ES-1', asTickColumns(ticks(10, T0)));
      if (sql) store.db.exec(sql);
    });
  }

  it('passes good data, counting rows in range', async () => {
    fill();
    const source = new SqliteStreamSource(file);
    for (const key of [BARS, QUOTES, TICKS]) {
      const report = await source.preflight(key, { start_date: '2024-01-02' });
      expect(report).toMatchObject({
        ok: true,
        totalRows: 10,
        validRows: 10,
        invalidRows: 0,
        problems: [],
        file,
      });
    }
    source.close();
  });

  it.each(CASES)('reports $name naming file, table, row and field', async (c) => {
    fill(c.sql);
    const source = new SqliteStreamSource(file);
    const report = await source.preflight(c.key, {});
    expect(report.ok).toBe(false);
    expect(report).toMatchObject({ totalRows: 10, validRows: 9, invalidRows: 1 });
    expect(report.problems).toHaveLength(1);
    const problem = report.problems[0];
    const table = c.key.type === 'bars' ? 'market_data' : c.key.type;
    const id = c.key.type === 'bars' ? 'rowid' : 'seq';
    expect(problem).toMatchObject({ file, row: 4, field: c.field });
    expect(problem.message).toContain(`${file}: table ${table}, ${id} 4 (`);
    expect(problem.message).toMatch(/at 2024-01-02T14:3\d:\d\d\.\d{3}Z\)/);
    expect(problem.message).toContain(`field "${c.field}" ${c.message}`);

    // The cursor refuses the same row with the same message…
    const error = await source
      .open(c.key, {})
      .then((cursor) => drain(cursor, 3))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toBe(problem.message);

    // …or, with skipInvalid, drops exactly the rows preflight counted.
    const skipping = new SqliteStreamSource(file, { skipInvalid: true });
    const skipReport = await skipping.preflight(c.key, {});
    expect(skipReport.ok).toBe(true);
    const cursor = await skipping.open(c.key, {});
    const got = await drain(cursor, 3);
    expect(got.timestamp).toHaveLength(skipReport.validRows);
    expect(cursor.skippedRows).toBe(skipReport.invalidRows);
    skipping.close();
    source.close();
  });

  it('a failed cursor stays failed', async () => {
    fill('UPDATE market_data SET close = NULL WHERE rowid = 2');
    const source = new SqliteStreamSource(file);
    const cursor = await source.open(BARS, {});
    const first = await cursor.next(1);
    expect(first?.length).toBe(1);
    const error = await cursor.next(5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    await expect(cursor.next(5)).rejects.toBe(error);
    source.close();
  });

  it('counts every bad row but lists only the first few, with a total', async () => {
    fill('UPDATE market_data SET volume = -1 WHERE rowid % 2 = 0');
    const source = new SqliteStreamSource(file);
    const report = await source.preflight(BARS, {}, { maxProblems: 3 });
    expect(report).toMatchObject({ ok: false, totalRows: 10, validRows: 5, invalidRows: 5 });
    expect(report.problems.map((p) => p.row)).toEqual([2, 4, 6, undefined]);
    expect(report.problems[3].message).toBe(
      `${file}: table market_data has 5 invalid rows of AAPL 1m bars for any date (the first 3 are listed).`,
    );
    source.close();
  });

  it('reports rows whose timestamp is not a number, which no range could select', async () => {
    fill();
    const db = new Database(file);
    db.prepare(
      `INSERT INTO market_data VALUES ('AAPL', '2024-01-02 09:30:00', '1m', 1, 1, 1, 1, 1)`,
    ).run();
    db.close();
    const source = new SqliteStreamSource(file);
    const report = await source.preflight(BARS, { start_date: '2024-01-02' });
    expect(report).toMatchObject({ ok: false, totalRows: 11, validRows: 10, invalidRows: 1 });
    expect(report.problems[0].message).toBe(
      `${file}: table market_data, rowid 11 (AAPL 1m bar with no usable time), field "timestamp" ` +
        'is text "2024-01-02 09:30:00"; expected epoch milliseconds (UTC)',
    );
    // The stream itself is unaffected: the row is outside every range.
    expect((await drain(await source.open(BARS, {}))).timestamp).toHaveLength(10);
    source.close();
  });

  it('reports missing data as a problem naming the database and the query', async () => {
    fill();
    const source = new SqliteStreamSource(file);
    const report = await source.preflight(BARS, { start_date: '2025-01-01' });
    expect(report.ok).toBe(false);
    expect(report.problems[0].message).toMatch(
      new RegExp(`^No AAPL 1m bars from 2025-01-01 to the latest date in ${file}: SELECT COUNT`),
    );
    source.close();
  });
});
