import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../cli-runner';
import { generateDemoData } from '../../src/main/storage/demo-data';
import { EVENT_CSV_HEADER } from '../../src/main/host/event-csv';

const backtest = cliRunner('backtest');

let dir: string;
let data: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-cli-'));
  data = join(dir, 'data');
  generateDemoData(data);
  config = join(data, 'configs', 'demo.json');
});

// Each case spawns the real CLI (tsx start-up included), so they get more time than unit tests.
describe('npm run backtest', { timeout: 120_000 }, () => {
  it('replays the demo session and writes the events and summary contracts', async () => {
    const events = join(dir, 'events.csv');
    const summary = join(dir, 'summary.json');
    const result = await backtest([
      '--config',
      config,
      '--data',
      data,
      '--speed',
      '0',
      '--events',
      events,
      '--summary',
      summary,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^demo: completed, \d+ events/);

    const lines = readFileSync(events, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(EVENT_CSV_HEADER);
    const rows = lines.slice(1).map((l) => l.split(','));
    // One assertion over all rows: per-row expect() calls would dominate the test's time.
    expect(rows.every((r, i) => r.length === 18 && Number(r[0]) === i)).toBe(true);
    const bar = rows.find((r) => r[1] === 'bar' && r[2] === 'AAPL')!;
    expect(bar[3]).toBe('1s');
    expect(bar[4]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(bar[5]!) - Date.parse(bar[4]!)).toBe(1000);
    expect(bar.slice(12)).toEqual(['', '', '', '', '', '']);
    const quote = rows.find((r) => r[1] === 'quote')!;
    expect(quote[3]).toBe('');
    expect(quote.slice(7, 12)).toEqual(['', '', '', '', '']);
    expect(Number(quote[12])).toBeLessThan(Number(quote[13]));
    // Clock never goes back, and equals available_at in a backtest.
    expect(rows.every((r, i) => r[6] === r[5] && (i === 0 || r[6]! >= rows[i - 1]![6]!))).toBe(
      true,
    );

    const s = JSON.parse(readFileSync(summary, 'utf8'));
    expect(s.session_name).toBe('demo');
    expect(s.events.total).toBe(rows.length);
    expect(s.events.bars + s.events.quotes + s.events.ticks).toBe(rows.length);
    expect(s.events.bars).toBe(rows.filter((r) => r[1] === 'bar').length);
    expect(s.symbols.AAPL).toMatchObject({
      base_interval: '1s',
      bars_base: 23_280 + 23_400,
      quotes: expect.any(Number),
    });
    expect(s.symbols.RIVN.base_interval).toBe('1m');
    expect(s.symbols.RIVN.bars_base).toBe(387 + 390);
    expect(s.symbols.TSLA.quotes).toBe(0);
    expect(s.clock_start).toBe(rows[0]![6]);
    expect(s.clock_end).toBe(rows[rows.length - 1]![6]);
    expect(s.clock_end).toBe('2024-03-05T21:00:00.000Z');
    expect(typeof s.elapsed_ms).toBe('number');
    expect(typeof s.events_per_second).toBe('number');
  });

  it('two runs on the same input give byte-identical event files', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    expect(
      (await backtest(['--config', config, '--data', data, '--speed', '0', '--events', a])).code,
    ).toBe(0);
    expect(
      (await backtest(['--config', config, '--data', data, '--speed', '0', '--events', b])).code,
    ).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it('exits 2 and lists every config problem on stderr', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        session_name: 'bad',
        data_streams: [
          { type: 'bars', symbol: 'AAPL', interval: '1s' },
          { type: 'bars', symbol: 'AAPL', interval: '1m' },
          { type: 'bars', symbol: 'MSFT', interval: '5m' },
        ],
      }),
    );
    const result = await backtest(['--config', bad, '--data', data]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Duplicate bar stream for AAPL. Found both 1s and 1m.');
    expect(result.stderr).toContain("Invalid bar interval: 5m. Only '1s' or '1m'");
  });

  it('exits 2 naming the file when the config is not JSON or missing', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "session_name": ');
    const result = await backtest(['--config', broken, '--data', data]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${broken}: not valid JSON`);
    const missing = await backtest(['--config', join(dir, 'nope.json'), '--data', data]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read the config file (ENOENT)');
  });

  it('exits 2 naming the file when data is corrupt, and writes no events', async () => {
    const badData = join(dir, 'bad-data');
    generateDemoData(badData);
    const victim = join(
      badData,
      'parquet',
      'bars',
      'interval=1s',
      'symbol=TSLA',
      'date=2024-03-05',
      'part-0.parquet',
    );
    const bytes = readFileSync(victim);
    writeFileSync(victim, bytes.subarray(0, bytes.length >> 1));
    const events = join(dir, 'none.csv');
    const result = await backtest([
      '--config',
      join(badData, 'configs', 'demo.json'),
      '--data',
      badData,
      '--events',
      events,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The session cannot start:');
    expect(result.stderr).toContain(victim);
    expect(() => readFileSync(events)).toThrow();
  });

  it('exits 2 on a stream with no data, saying what is missing', async () => {
    const cfg = join(dir, 'missing.json');
    writeFileSync(
      cfg,
      JSON.stringify({
        session_name: 'x',
        data_streams: [{ type: 'bars', symbol: 'NVDA', interval: '1s' }],
      }),
    );
    const result = await backtest(['--config', cfg, '--data', data]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('NVDA');
  });

  it('exits 2 on bad options', async () => {
    const result = await backtest(['--config', config, '--speed', '-1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('speed must be a number >= 0');
  });

  it('honours the config date range', async () => {
    const one = join(dir, 'one-day.json');
    const cfg = JSON.parse(readFileSync(config, 'utf8'));
    cfg.backtest_config = { start_date: '2024-03-05', end_date: '2024-03-05', speed_multiplier: 0 };
    writeFileSync(one, JSON.stringify(cfg));
    const summary = join(dir, 'one.json');
    expect((await backtest(['--config', one, '--data', data, '--summary', summary])).code).toBe(0);
    const s = JSON.parse(readFileSync(summary, 'utf8'));
    expect(s.symbols.AAPL.bars_base).toBe(23_400);
    expect(s.clock_start.startsWith('2024-03-05')).toBe(true);
  });
});

describe('--skip-invalid', { timeout: 120_000 }, () => {
  it('skips bad rows, reports the count, and replays the rest', async () => {
    // Re-write one file with a NaN close in row 3 using the project's own writer.
    const { writeStreamParquet } = await import('../../src/main/storage/parquet/parquet-writer');
    const skipDir = join(dir, 'skip');
    generateDemoData(skipDir);
    const file = join(
      skipDir,
      'parquet',
      'bars',
      'interval=1m',
      'symbol=RIVN',
      'date=2024-03-04',
      'part-0.parquet',
    );
    const open = Date.parse('2024-03-04T14:30:00Z');
    const ts = Float64Array.from({ length: 5 }, (_, i) => open + i * 60_000);
    const price = Float64Array.from([10, 10, Number.NaN, 10, 10]);
    writeStreamParquet(file, 'bars', {
      timestamp: ts,
      values: [price, price, price, price, Float64Array.from([1, 1, 1, 1, 1])],
    });
    const cfg = join(skipDir, 'configs', 'demo.json');
    const refused = await backtest(['--config', cfg, '--data', skipDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /symbol=RIVN[/\\]date=2024-03-04[/\\]part-0\.parquet.*row 3.*(open|high|low|close)/,
    );
    const summary = join(skipDir, 's.json');
    const skipped = await backtest([
      '--config',
      cfg,
      '--data',
      skipDir,
      '--speed',
      '0',
      '--skip-invalid',
      '--summary',
      summary,
    ]);
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toContain('skipped 1 invalid rows in RIVN 1m bars');
    expect(JSON.parse(readFileSync(summary, 'utf8')).symbols.RIVN.bars_base).toBe(4 + 390);
  });
});
