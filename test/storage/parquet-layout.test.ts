import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  listStoreFiles,
  listStreamFiles,
  notAFileError,
  parquetRoot,
  parsePartitionPath,
  streamDir,
  streamFilePath,
} from '../../src/main/storage/parquet/parquet-layout';
import { DataError, type StreamKey } from '../../src/shared/stream-cursor';
import { makeDataDir, removeDataDir } from './fixtures';

const AAPL_1M: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1m' };

/** Characters Hive percent-escapes in partition values (FileUtils.escapePathName). */
const HIVE_ESCAPED = '"#%\'*/:=?\\\u007f{[]^';

describe('parquet layout', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeDataDir();
  });
  afterEach(() => removeDataDir(dir));

  it('builds Hive-style partition paths per stream kind', () => {
    expect(streamFilePath('/d', AAPL_1M, '2024-01-02')).toBe(
      join(
        '/d',
        'parquet',
        'bars',
        'interval=1m',
        'symbol=AAPL',
        'date=2024-01-02',
        'part-0.parquet',
      ),
    );
    expect(streamFilePath('/d', { symbol: 'BRK.B', type: 'quotes' }, '2024-01-02')).toBe(
      join('/d', 'parquet', 'quotes', 'symbol=BRK.B', 'date=2024-01-02', 'part-0.parquet'),
    );
    expect(streamDir('/d', { symbol: 'BTC-USDT', type: 'ticks' })).toBe(
      join('/d', 'parquet', 'ticks', 'symbol=BTC-USDT'),
    );
    expect(parquetRoot('/d')).toBe(join('/d', 'parquet'));
  });

  it('writes symbols verbatim: no symbol character is one Hive escapes', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-';
    for (const c of alphabet) expect(HIVE_ESCAPED).not.toContain(c);
    expect(streamDir('/d', { symbol: 'BRK.B', type: 'quotes' })).toContain('symbol=BRK.B');
  });

  it('refuses bad symbols, intervals and dates', () => {
    expect(() => streamFilePath('/d', { symbol: 'AA_PL', type: 'ticks' }, '2024-01-02')).toThrow(
      DataError,
    );
    expect(() => streamFilePath('/d', { symbol: '../x', type: 'ticks' }, '2024-01-02')).toThrow(
      /Invalid symbol/,
    );
    expect(() => streamFilePath('/d', { symbol: 'A=B', type: 'ticks' }, '2024-01-02')).toThrow(
      /Invalid symbol/,
    );
    expect(() =>
      streamFilePath('/d', { symbol: 'AAPL', type: 'bars', interval: '5m' as never }, '2024-01-02'),
    ).toThrow(/1s and 1m/);
    expect(() => streamFilePath('/d', AAPL_1M, '2024-02-30')).toThrow(/not a calendar date/);
    expect(() => streamFilePath('/d', AAPL_1M, '2024-13-45')).toThrow(/not a calendar date/);
  });

  it('lists a stream by date range, sorted, ignoring other symbols and names', async () => {
    const base = join(dir, 'parquet', 'bars', 'interval=1m', 'symbol=AAPL');
    const put = async (rel: string) => {
      await mkdir(join(base, rel, '..'), { recursive: true });
      await writeFile(join(base, rel), '');
    };
    for (const d of ['2024-01-05', '2024-01-02', '2024-01-03', '2024-01-04']) {
      await put(`date=${d}/part-0.parquet`);
    }
    await put('date=notadate/part-0.parquet');
    await put('day=2024-01-07/part-0.parquet');
    await mkdir(join(dir, 'parquet', 'bars', 'interval=1m', 'symbol=AAPL.X', 'date=2024-01-03'), {
      recursive: true,
    });
    await writeFile(
      join(
        dir,
        'parquet',
        'bars',
        'interval=1m',
        'symbol=AAPL.X',
        'date=2024-01-03',
        'part-0.parquet',
      ),
      '',
    );

    const all = await listStreamFiles(dir, AAPL_1M);
    expect(all.map((f) => f.date)).toEqual([
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
    ]);
    expect(all[0].path).toBe(join(base, 'date=2024-01-02', 'part-0.parquet'));
    expect(all.every((f) => !f.notAFile)).toBe(true);

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

  it('flags a partition without a readable part file as a lost day', async () => {
    const folder = streamFilePath(dir, AAPL_1M, '2024-01-02');
    await mkdir(folder, { recursive: true }); // a folder with the file's name
    const emptied = streamFilePath(dir, AAPL_1M, '2024-01-03');
    await mkdir(join(emptied, '..'), { recursive: true }); // the file deleted, its folder left
    const tmpOnly = streamFilePath(dir, AAPL_1M, '2024-01-04');
    await mkdir(join(tmpOnly, '..'), { recursive: true });
    await writeFile(`${tmpOnly}.tmp`, ''); // a writer's temporary file only
    const fileAsFolder = join(streamDir(dir, AAPL_1M), 'date=2024-01-05');
    await writeFile(fileAsFolder, ''); // a file with the partition folder's name
    expect(await listStreamFiles(dir, AAPL_1M)).toEqual([
      { path: folder, date: '2024-01-02', notAFile: true },
      { path: emptied, date: '2024-01-03', notAFile: true, missing: true },
      { path: tmpOnly, date: '2024-01-04', notAFile: true, missing: true },
      {
        path: join(fileAsFolder, 'part-0.parquet'),
        date: '2024-01-05',
        notAFile: true,
        missing: true,
      },
    ]);
    expect(notAFileError((await listStreamFiles(dir, AAPL_1M))[1]!).message).toBe(
      `${emptied} is missing from its partition folder: the data of 2024-01-03 is missing; ` +
        'restore the file, or run with --skip-invalid to go on without that day',
    );
  });

  it('treats a missing directory as no files and an inverted range as an error', async () => {
    expect(await listStreamFiles(dir, { symbol: 'MSFT', type: 'quotes' })).toEqual([]);
    await expect(
      listStreamFiles(dir, AAPL_1M, { start_date: '2024-01-05', end_date: '2024-01-02' }),
    ).rejects.toThrow(/after end_date/);
  });

  it('parses partition paths back into keys, and nothing else', () => {
    expect(
      parsePartitionPath('bars', 'interval=1s/symbol=BRK.B/date=2024-03-04/part-0.parquet'),
    ).toEqual({ symbol: 'BRK.B', kind: 'bars', interval: '1s', date: '2024-03-04' });
    expect(parsePartitionPath('quotes', 'symbol=BTC-USDT/date=2024-03-04/part-0.parquet')).toEqual({
      symbol: 'BTC-USDT',
      kind: 'quotes',
      date: '2024-03-04',
    });
    for (const [kind, rel] of [
      ['bars', 'interval=5m/symbol=AAPL/date=2024-03-04/part-0.parquet'],
      ['bars', 'symbol=AAPL/date=2024-03-04/part-0.parquet'],
      ['quotes', 'symbol=aapl/date=2024-03-04/part-0.parquet'],
      ['quotes', 'symbol=AAPL/date=2024-3-4/part-0.parquet'],
      ['quotes', 'symbol=AAPL/date=2024-03-04/part-1.parquet'],
      ['quotes', 'AAPL_quotes_2024-03-04.parquet'],
      ['ticks', 'sym=AAPL/date=2024-03-04/part-0.parquet'],
    ] as const) {
      expect(parsePartitionPath(kind, rel), rel).toBeNull();
    }
  });

  it('lists every partition of the store by path alone', async () => {
    const files = [
      streamFilePath(dir, AAPL_1M, '2024-01-02'),
      streamFilePath(dir, { symbol: 'BRK.B', type: 'bars', interval: '1s' }, '2024-01-03'),
      streamFilePath(dir, { symbol: 'BTC-USDT', type: 'quotes' }, '2024-01-04'),
      streamFilePath(dir, { symbol: 'ES', type: 'ticks' }, '2024-01-05'),
    ];
    for (const file of files) {
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, '');
    }
    // Old flat names, stray files where folders belong, and other tools' folders: passed over.
    await mkdir(join(dir, 'parquet', 'bars', '1m'), { recursive: true });
    await writeFile(join(dir, 'parquet', 'bars', '1m', 'AAPL_1m_2024-01-02.parquet'), '');
    await writeFile(join(dir, 'parquet', 'quotes', 'AAPL_quotes_2024-01-02.parquet'), '');
    await writeFile(join(dir, 'parquet', 'quotes', 'symbol=AAPL'), '');
    await mkdir(join(dir, 'parquet', 'ticks', 'symbol=ES', 'day=2024-01-05'), { recursive: true });
    const listed = (await listStoreFiles(dir)).sort((a, b) => (a.path < b.path ? -1 : 1));
    expect(listed).toEqual(
      [
        { path: files[0], symbol: 'AAPL', kind: 'bars', interval: '1m', date: '2024-01-02' },
        { path: files[1], symbol: 'BRK.B', kind: 'bars', interval: '1s', date: '2024-01-03' },
        { path: files[2], symbol: 'BTC-USDT', kind: 'quotes', date: '2024-01-04' },
        { path: files[3], symbol: 'ES', kind: 'ticks', date: '2024-01-05' },
      ].sort((a, b) => (a.path < b.path ? -1 : 1)),
    );
  });
});
