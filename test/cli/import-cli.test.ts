import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../cli-runner';
import { snapshot } from '../storage/import/commit-helpers';

const importCli = cliRunner('import');

let dir: string;
let good: string;
let bad: string;

/** `count` 1s bars from 2024-03-04 14:30:00 UTC (09:30 New York). */
function barsCsv(count: number, broken: Record<number, string> = {}): string {
  const start = Date.parse('2024-03-04T14:30:00Z');
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < count; i++) {
    const t = new Date(start + i * 1000).toISOString();
    lines.push(broken[i] ?? `${t},100,101,99,100.5,${10 + i}`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-import-cli-'));
  good = join(dir, 'AAPL.csv');
  writeFileSync(good, barsCsv(120));
  bad = join(dir, 'MSFT.csv');
  writeFileSync(
    bad,
    barsCsv(120, {
      5: '2024-03-04T14:30:05.000Z,100,98,99,100,10',
      40: '2024-03-04T14:30:40.000Z,100,101,99,-3,10',
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run import', { timeout: 120_000 }, () => {
  it('--dry-run prints the preview and writes nothing', async () => {
    const data = join(dir, 'dry');
    const result = await importCli([good, '--data', data, '--dry-run']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toContain('AAPL.csv (csv)');
    expect(result.stdout).toMatch(/AAPL 1s bars: 120 rows, 2024-03-04T09:30:00\.000-05:00/);
    expect(existsSync(data)).toBe(false);
  });

  it('--calendar dates the rows: 24x7 gives UTC dates and nothing outside hours', async () => {
    const data = join(dir, 'calendar');
    // 23:59:00Z Monday onwards: 4 rows on Monday's UTC date, the rest on Tuesday's.
    const late = join(dir, 'BTC-USD.csv');
    const start = Date.parse('2024-03-04T23:59:56Z');
    const rows = Array.from({ length: 10 }, (_, i) => {
      return `${new Date(start + i * 1000).toISOString()},1,2,0.5,1.5,3`;
    });
    writeFileSync(late, ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
    const utc = await importCli([late, '--data', data, '--dry-run', '--calendar', '24x7']);
    expect(utc.code).toBe(0);
    expect(utc.stdout).toContain('note: calendar 24x7 (UTC dates): as given');
    expect(utc.stdout).toMatch(/2 trading days \(2024-03-04\.\.2024-03-05\)/);
    expect(utc.stdout).toMatch(/outside trading hours 0\b/);
    const ny = await importCli([late, '--data', data, '--dry-run']);
    expect(ny.stdout).toContain('note: calendar XNYS (New York dates): the default');
    expect(ny.stdout).toMatch(/1 trading day \(2024-03-04\)/);
    expect(ny.stdout).toMatch(/outside trading hours 10\b/);
    const wrong = await importCli([late, '--data', data, '--calendar', 'NYSE']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--calendar.*NYSE.*XNYS, 24x7/);
  });

  it('imports with a summary (exit 0); a second run replaces every row and adds none', async () => {
    const data = join(dir, 'ok');
    const first = await importCli([good, '--data', data, '--to', 'both']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/imported 120 rows into both/);
    expect(first.stdout).toContain(
      'AAPL 1s bars: 120 rows, 0 replaced, 0 duplicates dropped, 2024-03-04',
    );
    expect(
      existsSync(join(data, 'parquet/bars/interval=1s/symbol=AAPL/date=2024-03-04/part-0.parquet')),
    ).toBe(true);
    const before = snapshot(join(data, 'parquet'));
    const second = await importCli([good, '--data', data, '--to', 'both']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('AAPL 1s bars: 120 rows, 120 replaced');
    // Parquet files are not even rewritten; SQLite's header counters change, its rows do not.
    expect(snapshot(join(data, 'parquet'))).toEqual(before);
    const db = new Database(join(data, 'market.db'), { readonly: true });
    const { n } = db.prepare('SELECT COUNT(*) AS n FROM market_data').get() as { n: number };
    db.close();
    expect(n).toBe(120);
  });

  it('exits 2 listing every bad row, with row and field, and writes nothing', async () => {
    const data = join(dir, 'bad');
    const result = await importCli([bad, good, join(dir, 'missing.csv'), '--data', data]);
    expect(result.code).toBe(2);
    // The missing file is refused before anything is read.
    expect(result.stderr).toContain('missing.csv');
    expect(existsSync(data)).toBe(false);
    const rows = await importCli([bad, '--data', data]);
    expect(rows.code).toBe(2);
    expect(rows.stderr).toContain('Nothing was imported');
    expect(rows.stderr).toMatch(/MSFT\.csv, row 6.*high/);
    expect(rows.stderr).toMatch(/MSFT\.csv, row 41.*close/);
    expect(existsSync(data)).toBe(false);
  });

  it('--map, --kind and --unit read a file whose columns detection cannot name', async () => {
    const data = join(dir, 'mapped');
    const odd = join(dir, 'odd.csv');
    // Nanosecond epochs and vendor column names: "px" and "qty" are not names the importer knows.
    const start = Date.parse('2024-03-04T14:30:00Z');
    const rows = Array.from(
      { length: 30 },
      (_, i) => `${(start + i * 1000) * 1e6},SPY,${500 + i / 100},${i + 1}`,
    );
    writeFileSync(odd, ['when,ticker,px,qty', ...rows].join('\n'));
    const unmapped = await importCli([odd, '--data', data, '--dry-run']);
    expect(unmapped.code).toBe(2);
    const mapped = await importCli([
      odd,
      '--data',
      data,
      '--dry-run',
      '--kind',
      'ticks',
      '--map',
      'timestamp=when,symbol=ticker,price=px,size=qty',
      '--unit',
      'ns',
    ]);
    expect({ code: mapped.code, stderr: mapped.stderr }).toEqual({ code: 0, stderr: '' });
    expect(mapped.stdout).toMatch(/SPY ticks: 30 rows, 2024-03-04T09:30:00\.000-05:00/);
    // Read as milliseconds the same numbers are no date at all: refused, naming row and column.
    const wrongUnit = await importCli([
      odd,
      '--data',
      data,
      '--dry-run',
      '--kind',
      'ticks',
      '--map',
      'timestamp=when,symbol=ticker,price=px,size=qty',
      '--unit',
      'ms',
    ]);
    expect(wrongUnit.code).toBe(2);
    expect(wrongUnit.stdout).toContain(
      'odd.csv, row 1, field when, value "1709562600000000000": "1709562600000000000" is not a timestamp',
    );
  });

  it('--map and --kind name what is wrong with a bad value, before reading anything', async () => {
    const result = await importCli([
      good,
      '--dry-run',
      '--map',
      'timestamp=t,opn=o',
      '--kind',
      'candles',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--kind: "candles" is not one of bars, quotes, ticks');
    expect(result.stderr).toContain('--map: "opn" is not timestamp, symbol or a field');
  });

  it('exits 2 on bad options', async () => {
    const result = await importCli([good, '--to', 'nowhere']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nowhere');
  });

  it('exits 1 on a failure, leaving the stores untouched: a database that is not one', async () => {
    const data = join(dir, 'fail');
    await importCli([good, '--data', data]);
    writeFileSync(
      join(data, 'market.db'),
      'this is not a database, it is a text file of 64 bytes..\n',
    );
    const before = snapshot(data);
    const result = await importCli([bad.replace('MSFT', 'AAPL'), '--data', data, '--to', 'both']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/import failed: .*market\.db/);
    expect(result.stderr).toContain('The stores were left as they were.');
    expect(snapshot(data)).toEqual(before);
  });

  it('exits 1 while another import holds the data directory', async () => {
    const data = join(dir, 'busy');
    mkdirSync(data);
    writeFileSync(join(data, '.import.lock'), String(process.pid));
    const result = await importCli([good, '--data', data]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/another import \(process \d+\)/);
    expect(existsSync(join(data, 'parquet'))).toBe(false);
  });
});
