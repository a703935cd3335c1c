import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listStreamFiles,
  parquetRoot,
  streamFileName,
  streamFilePath,
} from '../../src/main/storage/parquet/parquet-layout';
import { DataError, type StreamKey } from '../../src/shared/stream-cursor';
import { makeDataDir, removeDataDir } from './fixtures';

const AAPL_1M: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1m' };

describe('parquet layout', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeDataDir();
  });
  afterEach(() => removeDataDir(dir));

  it('builds paths per stream kind', () => {
    expect(streamFilePath('/d', AAPL_1M, '2024-01-02')).toBe(
      join('/d', 'parquet', 'bars', '1m', 'AAPL_1m_2024-01-02.parquet'),
    );
    expect(streamFilePath('/d', { symbol: 'BRK.B', type: 'quotes' }, '2024-01-02')).toBe(
      join('/d', 'parquet', 'quotes', 'BRK.B_quotes_2024-01-02.parquet'),
    );
    expect(streamFileName({ symbol: 'BTC-USD', type: 'ticks' }, '2024-01-02')).toBe(
      'BTC-USD_ticks_2024-01-02.parquet',
    );
    expect(parquetRoot('/d')).toBe(join('/d', 'parquet'));
  });

  it('refuses bad symbols, intervals and dates', () => {
    expect(() => streamFileName({ symbol: 'AA_PL', type: 'ticks' }, '2024-01-02')).toThrow(
      DataError,
    );
    expect(() => streamFileName({ symbol: '../x', type: 'ticks' }, '2024-01-02')).toThrow(
      /Invalid symbol/,
    );
    expect(() =>
      streamFileName({ symbol: 'AAPL', type: 'bars', interval: '5m' as never }, '2024-01-02'),
    ).toThrow(/1s and 1m/);
    expect(() => streamFileName(AAPL_1M, '2024-02-30')).toThrow(/not a calendar date/);
  });

  it('lists a stream by date range, sorted, ignoring other symbols and names', async () => {
    const base = join(dir, 'parquet', 'bars', '1m');
    await mkdir(base, { recursive: true });
    const names = [
      'AAPL_1m_2024-01-05.parquet',
      'AAPL_1m_2024-01-02.parquet',
      'AAPL_1m_2024-01-03.parquet',
      'AAPL_1m_2024-01-04.parquet',
      'AAPL.X_1m_2024-01-03.parquet', // another symbol sharing the prefix
      'AAPL_1s_2024-01-03.parquet', // wrong interval tag
      'AAPL_1m_2024-01-03.parquet.tmp',
      'AAPL_1m_notadate.parquet',
    ];
    for (const name of names) await writeFile(join(base, name), '');

    const all = await listStreamFiles(dir, AAPL_1M);
    expect(all.map((f) => f.date)).toEqual([
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
    ]);
    expect(all[0].path).toBe(join(base, 'AAPL_1m_2024-01-02.parquet'));

    const some = await listStreamFiles(dir, AAPL_1M, {
      start_date: '2024-01-03',
      end_date: '2024-01-04',
    });
    expect(some.map((f) => f.date)).toEqual(['2024-01-03', '2024-01-04']);
    const from = await listStreamFiles(dir, AAPL_1M, { start_date: '2024-01-04' });
    expect(from.map((f) => f.date)).toEqual(['2024-01-04', '2024-01-05']);
    const until = await listStreamFiles(dir, AAPL_1M, { end_date: '2024-01-02' });
    expect(until.map((f) => f.date)).toEqual(['2024-01-02']);
  });

  it('treats a missing directory as no files and an inverted range as an error', async () => {
    expect(await listStreamFiles(dir, { symbol: 'MSFT', type: 'quotes' })).toEqual([]);
    await expect(
      listStreamFiles(dir, AAPL_1M, { start_date: '2024-01-05', end_date: '2024-01-02' }),
    ).rejects.toThrow(/after end_date/);
  });
});
