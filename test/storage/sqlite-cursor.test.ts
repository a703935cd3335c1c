import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStreamSource } from '../../src/main/storage/sqlite/sqlite-source';
import { rangeBounds } from '../../src/main/storage/sqlite/stream-query';
import { DataError, type StreamKey } from '../../src/shared/stream-cursor';
import { STREAM_FIELDS } from '../../src/shared/stream-types';
import { bars, drain, quotes, ticks, type Columns } from './fixtures';
import {
  asBarColumns,
  asQuoteColumns,
  asTickColumns,
  buildDb,
  makeTempDir,
  removeTempDir,
} from './sqlite-helpers';

const BARS: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1m' };
const QUOTES: StreamKey = { symbol: 'BRK.B', type: 'quotes' };
const TICKS: StreamKey = { symbol: 'ES-1', type: 'ticks' };
const DAY = 86_400_000;
const dayOpen = (date: string) => Date.parse(`${date}T14:30:00Z`);

function expectColumns(key: StreamKey, got: Awaited<ReturnType<typeof drain>>, want: Columns) {
  expect(got.timestamp).toEqual(want.timestamp);
  STREAM_FIELDS[key.type].forEach((field, k) => expect(got.values[k]).toEqual(want[field]));
}

describe('SqliteStreamSource cursors', () => {
  let dir: string;
  let file: string;
  let source: SqliteStreamSource;
  beforeEach(() => {
    dir = makeTempDir();
    file = join(dir, 'market.db');
    source = new SqliteStreamSource(file, { chunkRows: 1000 });
  });
  afterEach(() => {
    source.close();
    removeTempDir(dir);
  });

  it('reads bars in chunks of at most maxRows whose concatenation is the inserted data', async () => {
    const data = bars(2345);
    buildDb(file, (repo) => {
      repo.insertBars('AAPL', '1m', asBarColumns(data));
      repo.insertBars('AAPL', '1s', asBarColumns(bars(10)));
      repo.insertBars('MSFT', '1m', asBarColumns(bars(10)));
    });
    for (const maxRows of [1, 7, 333, 1000, 5000]) {
      const cursor = await source.open(BARS, {});
      expect(cursor).toMatchObject({ symbol: 'AAPL', type: 'bars', interval: '1m' });
      expect(cursor.totalRows).toBe(2345);
      const got = await drain(cursor, maxRows);
      // chunkRows (1000) also bounds a batch.
      expect(Math.max(...got.batchSizes)).toBe(Math.min(maxRows, 1000));
      expect(got.batchSizes.every((n) => n > 0)).toBe(true);
      expectColumns(BARS, got, data);
      expect(await cursor.next(10)).toBeNull();
    }
  });

  it('returns Float64Array columns of exactly the batch length, in STREAM_FIELDS order', async () => {
    buildDb(file, (repo) => repo.insertQuotes('BRK.B', asQuoteColumns(quotes(10))));
    const cursor = await source.open(QUOTES, {});
    const batch = (await cursor.next(4))!;
    expect(batch.length).toBe(4);
    expect(batch.timestamp).toBeInstanceOf(Float64Array);
    expect(batch.values).toHaveLength(4);
    for (const column of [batch.timestamp, ...batch.values]) {
      expect(column).toBeInstanceOf(Float64Array);
      expect(column.length).toBe(4);
    }
    expect(batch.values[0][0]).toBe(quotes(10).bid[0]);
    await cursor.close();
    expect(await cursor.next(4)).toBeNull();
    await expect(cursor.next(0)).rejects.toThrow(RangeError);
  });

  it('pages quotes and ticks sharing a timestamp without losing or repeating a row', async () => {
    const q = quotes(1001);
    const t = ticks(999);
    buildDb(file, (repo) => {
      repo.insertQuotes('BRK.B', asQuoteColumns(q));
      repo.insertTicks('ES-1', asTickColumns(t));
      repo.insertTicks('OTHER', asTickColumns(ticks(5)));
    });
    // maxRows 1 and 2 put page boundaries inside runs of equal timestamps.
    for (const maxRows of [1, 2, 3, 500]) {
      expectColumns(QUOTES, await drain(await source.open(QUOTES, {}), maxRows), q);
      expectColumns(TICKS, await drain(await source.open(TICKS, {}), maxRows), t);
    }
  });

  it('orders quotes by time, and by input order within one instant', async () => {
    buildDb(file, (repo) =>
      repo.insertQuotes('BRK.B', {
        timestamp: [30, 10, 20, 10, 30],
        bid: [1, 2, 3, 4, 5],
        ask: [9, 9, 9, 9, 9],
        bid_size: [1, 1, 1, 1, 1],
        ask_size: [1, 1, 1, 1, 1],
      }),
    );
    const got = await drain(await source.open(QUOTES, {}), 1);
    expect(got.timestamp).toEqual([10, 10, 20, 30, 30]);
    expect(got.values[0]).toEqual([2, 4, 3, 1, 5]);
  });

  it('selects exchange-local dates, inclusive, across a DST change', async () => {
    // 2024-03-10 is the spring-forward Sunday in New York.
    const dates = ['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11', '2024-03-12'];
    buildDb(file, (repo) => {
      for (const date of dates) {
        // The first bar of each day at 00:00 New York, the last at 23:59.
        const midnight = rangeBounds({ start_date: date }).lo;
        const next = rangeBounds({ end_date: date }).hi;
        repo.insertBars('AAPL', '1m', asBarColumns(bars(1, midnight)));
        repo.insertBars('AAPL', '1m', asBarColumns(bars(1, next - 60_000)));
      }
    });
    const range = { start_date: '2024-03-09', end_date: '2024-03-11' };
    const bounds = rangeBounds(range);
    expect(new Date(bounds.lo).toISOString()).toBe('2024-03-09T05:00:00.000Z');
    expect(new Date(bounds.hi).toISOString()).toBe('2024-03-12T04:00:00.000Z');
    const got = await drain(await source.open(BARS, range));
    expect(got.timestamp.map((t) => new Date(t).toISOString())).toEqual([
      '2024-03-09T05:00:00.000Z',
      '2024-03-10T04:59:00.000Z',
      '2024-03-10T05:00:00.000Z',
      '2024-03-11T03:59:00.000Z',
      '2024-03-11T04:00:00.000Z',
      '2024-03-12T03:59:00.000Z',
    ]);
  });

  it('reads several days of 1s bars with both bounds open', async () => {
    const one = bars(500, dayOpen('2024-01-02'), 1000);
    const two = bars(500, dayOpen('2024-01-03'), 1000);
    buildDb(file, (repo) => {
      repo.insertBars('AAPL', '1s', asBarColumns(two));
      repo.insertBars('AAPL', '1s', asBarColumns(one));
    });
    const key: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1s' };
    const got = await drain(await source.open(key, { start_date: '2024-01-03' }));
    expect(got.timestamp).toEqual(two.timestamp);
    const all = await drain(await source.open(key, {}));
    expect(all.timestamp).toHaveLength(1000);
    expect(all.timestamp.at(-1)! - all.timestamp[0]).toBeLessThan(2 * DAY);
  });

  it('refuses a stream with no data, naming the database, the query and what is there', async () => {
    buildDb(file, (repo) => repo.insertBars('AAPL', '1m', asBarColumns(bars(5))));
    const error = await source
      .open(BARS, { start_date: '2024-02-01', end_date: '2024-02-29' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    const message = (error as Error).message;
    expect(message).toContain(`No AAPL 1m bars from 2024-02-01 to 2024-02-29 in ${file}`);
    expect(message).toContain(
      "SELECT COUNT(*) FROM market_data WHERE symbol = 'AAPL' AND interval = '1m' AND timestamp >= 1706763600000 AND timestamp < 1709269200000 counted 0 rows",
    );
    expect(message).toContain('Its AAPL 1m bars run from 2024-01-02T14:30:00.000Z to');
    const none = await source.open({ ...BARS, symbol: 'NVDA' }, {}).catch((e: Error) => e);
    expect((none as Error).message).toContain('The database has no NVDA 1m bars at all.');
  });

  it('refuses bad keys and ranges clearly', async () => {
    buildDb(file, () => {});
    await expect(source.open({ ...BARS, interval: '5m' as never }, {})).rejects.toThrow(
      'Bar streams come from 1s or 1m bars only, not "5m"',
    );
    await expect(source.open({ ...BARS, symbol: 'a_b' }, {})).rejects.toThrow('Invalid symbol');
    await expect(source.open(BARS, { start_date: '2024-02-30' })).rejects.toThrow(
      'start_date "2024-02-30" is not a calendar date',
    );
    await expect(
      source.open(BARS, { start_date: '2024-03-02', end_date: '2024-03-01' }),
    ).rejects.toThrow('start_date 2024-03-02 is after end_date 2024-03-01');
  });
});
