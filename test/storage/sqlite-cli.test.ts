/**
 * End to end: the real backtest CLI on a config whose data_source is sqlite.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../cli-runner';
import { bars, quotes, ticks } from './fixtures';
import {
  asBarColumns,
  asQuoteColumns,
  asTickColumns,
  buildDb,
  makeTempDir,
  removeTempDir,
} from './sqlite-helpers';

const backtest = cliRunner('backtest');

const open = (date: string) => Date.parse(`${date}T14:30:00Z`);

describe('backtest CLI on the sqlite store', { timeout: 120_000 }, () => {
  let dir: string;
  let data: string;

  beforeAll(() => {
    dir = makeTempDir('tapedeck-sqlite-cli-');
    data = join(dir, 'data');
    buildDb(join(data, 'market.db'), (repo) => {
      for (const date of ['2024-01-02', '2024-01-03', '2024-01-04']) {
        repo.insertBars('AAPL', '1m', asBarColumns(bars(390, open(date))));
        repo.insertBars('TSLA', '1s', asBarColumns(bars(600, open(date), 1000)));
        repo.insertQuotes('AAPL', asQuoteColumns(quotes(200, open(date))));
        repo.insertTicks('TSLA', asTickColumns(ticks(50, open(date))));
      }
    });
  });
  afterAll(() => removeTempDir(dir));

  function writeConfig(name: string, dataSource: object): string {
    const path = join(dir, `${name}.json`);
    writeFileSync(
      path,
      JSON.stringify({
        session_name: name,
        data_streams: [
          { type: 'bars', symbol: 'AAPL', interval: '1m' },
          { type: 'quotes', symbol: 'AAPL' },
          { type: 'bars', symbol: 'TSLA', interval: '1s' },
          { type: 'ticks', symbol: 'TSLA' },
        ],
        backtest_config: { start_date: '2024-01-03', end_date: '2024-01-04' },
        data_source: dataSource,
      }),
    );
    return path;
  }

  it('replays a session from market.db and writes the summary', async () => {
    const summary = join(dir, 'summary.json');
    const config = writeConfig('sqlite-run', { type: 'sqlite' });
    const result = await backtest([
      '--config',
      config,
      '--data',
      data,
      '--speed',
      '0',
      '--summary',
      summary,
    ]);
    expect(result.stderr).not.toMatch(/cannot|failed|skipped/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^sqlite-run: completed, \d+ events/);
    const s = JSON.parse(readFileSync(summary, 'utf8'));
    expect(s.events).toMatchObject({
      bars: 2 * 390 + 2 * 600,
      quotes: 2 * 200,
      ticks: 2 * 50,
      total: 2 * 390 + 2 * 600 + 2 * 200 + 2 * 50,
    });
    expect(s.symbols.AAPL).toMatchObject({ base_interval: '1m', bars_base: 780, quotes: 400 });
    expect(s.symbols.TSLA.bars_base).toBe(1200);
    expect(s.clock_start.startsWith('2024-01-03')).toBe(true);
    expect(s.clock_end.startsWith('2024-01-04')).toBe(true);
  });

  it('exits 2 naming the file when the database is missing, creating nothing', async () => {
    const config = writeConfig('missing', { type: 'sqlite', path: 'nope/market.db' });
    const missing = join(data, 'nope', 'market.db');
    const result = await backtest(['--config', config, '--data', data, '--speed', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `No SQLite database at ${missing}: the file does not exist (nothing was created).`,
    );
    expect(() => readFileSync(missing)).toThrow();
  });

  it('exits 2 listing a stream with no rows in range, with the query', async () => {
    const path = join(dir, 'nodata.json');
    writeFileSync(
      path,
      JSON.stringify({
        session_name: 'nodata',
        data_streams: [{ type: 'bars', symbol: 'NVDA', interval: '1m' }],
        data_source: { type: 'sqlite' },
      }),
    );
    const result = await backtest(['--config', path, '--data', data]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The session cannot start:');
    expect(result.stderr).toContain(`No NVDA 1m bars from any date in ${join(data, 'market.db')}`);
    expect(result.stderr).toContain("WHERE symbol = 'NVDA' AND interval = '1m'");
  });
});
