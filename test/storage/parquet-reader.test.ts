import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParquetStreamSource } from '../../src/main/storage/parquet/parquet-source';
import { DataError, type StreamKey } from '../../src/shared/stream-cursor';
import {
  bars,
  drain,
  makeDataDir,
  quotes,
  removeDataDir,
  ticks,
  writeArrowStreamFile,
  writeStreamFile,
  type Columns,
  type TimestampKind,
} from './fixtures';

const BARS: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1m' };
const QUOTES: StreamKey = { symbol: 'BRK.B', type: 'quotes' };
const TICKS: StreamKey = { symbol: 'BTC-USD', type: 'ticks' };
const DAY = 86_400_000;

function expectColumns(drained: Awaited<ReturnType<typeof drain>>, columns: Columns): void {
  const [, ...fields] = Object.keys(columns);
  expect(drained.timestamp).toEqual(columns.timestamp);
  fields.forEach((name, k) => expect(drained.values[k], name).toEqual(columns[name]));
}

describe('ParquetStreamSource', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeDataDir();
  });
  afterEach(() => removeDataDir(dir));

  it.each<TimestampKind>(['MILLIS', 'MICROS', 'NANOS', 'INT64_MS'])(
    'reads %s timestamps as epoch milliseconds',
    async (timestamp) => {
      const data = bars(50);
      await writeStreamFile(dir, BARS, '2024-01-02', data, { timestamp });
      const cursor = await new ParquetStreamSource(dir).open(BARS, {});
      expect(cursor.totalRows).toBe(50);
      expectColumns(await drain(cursor), data);
    },
  );

  it('reads FLOAT, INT32 and INT64 value columns as numbers', async () => {
    const data = bars(40);
    // Values FLOAT can hold exactly, so the comparison is exact.
    await writeStreamFile(dir, BARS, '2024-01-02', data, {
      types: { open: 'FLOAT', high: 'FLOAT', low: 'FLOAT', close: 'FLOAT', volume: 'INT64' },
    });
    const q = quotes(30);
    await writeStreamFile(dir, QUOTES, '2024-01-02', q, {
      types: { bid_size: 'INT32', ask_size: 'INT64' },
    });
    expectColumns(await drain(await new ParquetStreamSource(dir).open(BARS, {})), data);
    expectColumns(await drain(await new ParquetStreamSource(dir).open(QUOTES, {})), q);
  });

  it.each(['SNAPPY', 'GZIP', 'BROTLI', 'UNCOMPRESSED'] as const)(
    'decodes %s pages',
    async (codec) => {
      const data = ticks(3000);
      await writeStreamFile(dir, TICKS, '2024-01-02', data, { codec, rowGroupSize: 1000 });
      expectColumns(await drain(await new ParquetStreamSource(dir).open(TICKS, {})), data);
    },
  );

  it('decodes ZSTD files with OPTIONAL dictionary columns (arrow-rs / pyarrow style)', async () => {
    const data = bars(2500);
    await writeArrowStreamFile(dir, BARS, '2024-01-02', data, 1000);
    const cursor = await new ParquetStreamSource(dir).open(BARS, {});
    expect(cursor.totalRows).toBe(2500);
    expectColumns(await drain(cursor, 700), data);
  });

  it('reads several days in date order across row groups, in chunks of at most maxRows', async () => {
    // Written out of order; read back in date order.
    const days = ['2024-01-04', '2024-01-02', '2024-01-03'];
    const dayStart = (date: string) => Date.parse(`${date}T14:30:00Z`);
    const expected: Columns = { timestamp: [], open: [], high: [], low: [], close: [], volume: [] };
    for (const date of [...days].sort()) {
      const data = bars(1234, dayStart(date));
      for (const name of Object.keys(expected)) expected[name].push(...data[name]);
    }
    for (const date of days) {
      await writeStreamFile(dir, BARS, date, bars(1234, dayStart(date)), { rowGroupSize: 500 });
    }
    // A slab smaller than a row group exercises decoding part of a group.
    for (const slabRows of [undefined, 300]) {
      const cursor = await new ParquetStreamSource(dir, { slabRows }).open(BARS, {});
      expect(cursor.totalRows).toBe(3 * 1234);
      const drained = await drain(cursor, 333);
      expect(Math.max(...drained.batchSizes)).toBeLessThanOrEqual(333);
      expect(drained.batchSizes.every((n) => n > 0)).toBe(true);
      expectColumns(drained, expected);
      expect(await cursor.next(10)).toBeNull();
    }
  });

  it('returns batches with exact-length columns and the stream key', async () => {
    await writeStreamFile(dir, QUOTES, '2024-01-02', quotes(10));
    const cursor = await new ParquetStreamSource(dir).open(QUOTES, {});
    expect(cursor).toMatchObject({ symbol: 'BRK.B', type: 'quotes' });
    const batch = (await cursor.next(4))!;
    expect(batch.length).toBe(4);
    expect(batch.timestamp).toBeInstanceOf(Float64Array);
    expect(batch.timestamp.length).toBe(4);
    expect(batch.values).toHaveLength(4);
    for (const column of batch.values) expect(column.length).toBe(4);
    await cursor.close();
    expect(await cursor.next(4)).toBeNull();
    await expect(cursor.next(0)).rejects.toThrow(RangeError);
  });

  it('filters files by the inclusive date range', async () => {
    for (let d = 2; d <= 6; d++) {
      const date = `2024-01-0${d}`;
      await writeStreamFile(dir, TICKS, date, ticks(10, Date.UTC(2024, 0, d, 15)));
    }
    const cursor = await new ParquetStreamSource(dir).open(TICKS, {
      start_date: '2024-01-03',
      end_date: '2024-01-05',
    });
    expect(cursor.files.map((f) => f.date)).toEqual(['2024-01-03', '2024-01-04', '2024-01-05']);
    const { timestamp } = await drain(cursor);
    expect(timestamp).toHaveLength(30);
    expect(timestamp[0]).toBe(Date.UTC(2024, 0, 3, 15));
    expect(timestamp.at(-1)! - timestamp[0]).toBeLessThan(3 * DAY);
  });

  it('refuses a stream with no files, naming the pattern, symbol and dates', async () => {
    await writeStreamFile(dir, BARS, '2024-01-02', bars(5));
    const source = new ParquetStreamSource(dir);
    const range = { start_date: '2024-02-01', end_date: '2024-02-29' };
    const err = await source.open(BARS, range).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toContain('AAPL');
    expect((err as Error).message).toContain('2024-02-01 to 2024-02-29');
    expect((err as Error).message).toMatch(
      /parquet[/\\]bars[/\\]interval=1m[/\\]symbol=AAPL[/\\]date=YYYY-MM-DD[/\\]part-0\.parquet/,
    );
    await expect(source.open({ symbol: 'MSFT', type: 'quotes' }, {})).rejects.toThrow(
      /No quotes data for MSFT from any date/,
    );
  });
});
