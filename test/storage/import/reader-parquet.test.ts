import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openImportReader,
  previewFile,
  type ImportProgress,
} from '../../../src/main/storage/import';
import {
  DOUBLE,
  INT64,
  STRING,
  drain,
  makeTempDir,
  readError,
  removeTempDir,
  timestampElement,
  writeParquet,
  type ParquetColumn,
} from './reader-fixtures';

const T = Date.UTC(2024, 2, 4, 14, 30); // 09:30 New York
const SEC = 1000;

function barColumns(n: number, step: number) {
  const open = Array.from({ length: n }, (_, i) => 100 + i);
  return {
    open: { element: DOUBLE, data: open },
    high: { element: DOUBLE, data: open.map((o) => o + 2) },
    low: { element: DOUBLE, data: open.map((o) => o - 1) },
    close: { element: DOUBLE, data: open.map((o) => o + 1) },
    volume: { element: INT64, data: open.map((_, i) => BigInt(i * 10)) },
    times: Array.from({ length: n }, (_, i) => T + i * step),
  };
}

describe('generic parquet reader', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it.each([
    ['MILLIS', 1n, 0n],
    ['MICROS', 1000n, 999n],
    ['NANOS', 1_000_000n, 999_999n],
  ] as const)('reads TIMESTAMP(%s), dropping sub-millisecond parts', async (unit, scale, extra) => {
    const { times, ...values } = barColumns(5, SEC);
    const file = writeParquet(join(dir, 'AAPL_1s.parquet'), {
      ts_event: {
        element: timestampElement(unit),
        data: times.map((t) => BigInt(t) * scale + extra),
      },
      ...values,
    });
    const preview = await previewFile(file);
    expect(preview.format).toBe('parquet');
    expect(preview.timestampUnitNote).toBe('typed TIMESTAMP column');
    expect(preview.symbols[0]).toMatchObject({ symbol: 'AAPL', interval: '1s', rows: 5 });
    const aapl = (await drain(file)).symbols.get('AAPL')!;
    expect(aapl.timestamp).toEqual(times);
    expect(aapl.values[4]).toEqual([0, 10, 20, 30, 40]);
  });

  it('reads a zone-less TIMESTAMP as wall-clock time in the given zone', async () => {
    const { times, ...values } = barColumns(3, 60 * SEC);
    const wall = times.map((t) => t - 5 * 3_600_000); // 09:30 written as if UTC
    const file = writeParquet(join(dir, 'SPY.parquet'), {
      timestamp: { element: timestampElement('MILLIS', false), data: wall.map(BigInt) },
      ...values,
    });
    expect((await drain(file, { tz: 'America/New_York' })).symbols.get('SPY')!.timestamp).toEqual(
      times,
    );
    expect((await drain(file)).symbols.get('SPY')!.timestamp).toEqual(wall);
  });

  it.each([
    ['ns', INT64, (t: number) => BigInt(t) * 1_000_000n + 123_456n, 'ns, from magnitude 1.7e18'],
    ['us', INT64, (t: number) => BigInt(t) * 1000n, 'us, from magnitude 1.7e15'],
    ['ms', INT64, (t: number) => BigInt(t), 'ms, from magnitude 1.7e12'],
    ['s', DOUBLE, (t: number) => t / 1000, 's, from magnitude 1.7e9'],
  ] as const)('reads epoch %s numbers, unit from magnitude', async (_u, element, encode, note) => {
    const { times, ...values } = barColumns(4, SEC);
    const file = writeParquet(join(dir, 'QQQ.parquet'), {
      t: { element, data: times.map((t) => (encode as (ms: number) => unknown)(t)) },
      ...values,
    });
    const preview = await previewFile(file);
    expect(preview.timestampUnitNote).toBe(note);
    expect((await drain(file)).symbols.get('QQQ')!.timestamp).toEqual(times);
  });

  it('reads ISO text timestamps', async () => {
    const { times, ...values } = barColumns(3, 60 * SEC);
    const file = writeParquet(join(dir, 'IWM.parquet'), {
      datetime: { element: STRING, data: times.map((t) => new Date(t).toISOString()) },
      ...values,
    });
    expect((await drain(file)).symbols.get('IWM')!.timestamp).toEqual(times);
  });

  it('reads a Brotli, pandas-shaped quote file with a symbol column (ask before bid)', async () => {
    const n = 6;
    const file = writeParquet(
      join(dir, 'quotes.parquet'),
      {
        timestamp: {
          element: timestampElement('MILLIS'),
          data: Array.from({ length: n }, (_, i) => BigInt(T + Math.floor(i / 2) * 10)),
        },
        symbol: {
          element: STRING,
          data: Array.from({ length: n }, (_, i) => (i % 2 ? 'ETH/USDT' : 'BTC/USDT')),
        },
        ask_size: { element: DOUBLE, data: [1, 2, 3, 4, 5, 6] },
        ask: { element: DOUBLE, data: [101, 201, 102, 202, 103, 203] },
        bid_size: { element: DOUBLE, data: [6, 5, 4, 3, 2, 1] },
        bid: { element: DOUBLE, data: [100, 200, 101, 201, 104, 202] },
      },
      { codec: 'BROTLI' },
    );
    const preview = await previewFile(file);
    expect(preview.notes![0]).toMatch(/^parquet, 1 row group\(s\), BROTLI/);
    expect(preview.mapping).toMatchObject({ kind: 'quotes', symbol: 'symbol' });
    expect(preview.symbols.map((s) => [s.symbol, s.kind, s.rows])).toEqual([
      ['BTC-USDT', 'quotes', 3],
      ['ETH-USDT', 'quotes', 3],
    ]);
    expect(preview.counts.crossedQuotes).toBe(1);
    const btc = (await drain(file)).symbols.get('BTC-USDT')!;
    expect(btc.timestamp).toEqual([T, T + 10, T + 20]);
    expect(btc.values).toEqual([
      [100, 101, 104],
      [101, 102, 103],
      [6, 4, 2],
      [1, 3, 5],
    ]);
  });

  it('reads DECIMAL prices, as SQL exports write them', async () => {
    const decimal = (type: 'INT32' | 'INT64', precision: number, scale: number) =>
      ({
        type,
        converted_type: 'DECIMAL',
        scale,
        precision,
        logical_type: { type: 'DECIMAL', precision, scale },
      }) as ParquetColumn['element'];
    const file = writeParquet(join(dir, 'IBM.parquet'), {
      ts: { element: timestampElement('MILLIS'), data: [0, 1].map((i) => BigInt(T + i * SEC)) },
      // Raw integers 1234567 and 1234500 at scale 4: 123.4567 and 123.45.
      price: { element: decimal('INT64', 18, 4), data: [1234567n, 1234500n] },
      size: { element: decimal('INT32', 9, 0), data: [100, 25] },
    });
    const preview = await previewFile(file);
    expect(preview.mapping).toMatchObject({
      kind: 'ticks',
      fields: { price: 'price', size: 'size' },
    });
    expect((await drain(file)).symbols.get('IBM')!.values).toEqual([
      [123.4567, 123.45],
      [100, 25],
    ]);
  });

  it('reports nulls as problems with their row', async () => {
    const { times, ...values } = barColumns(4, SEC);
    const optional = { ...DOUBLE, repetition_type: 'OPTIONAL' as const };
    const file = writeParquet(join(dir, 'NVDA.parquet'), {
      timestamp: { element: timestampElement('MILLIS'), data: times.map(BigInt) },
      ...values,
      close: { element: optional, data: [101, null, 103, 104] },
    });
    const preview = await previewFile(file);
    expect(preview.problems).toEqual([
      expect.objectContaining({
        row: 2,
        field: 'close',
        value: 'null',
        message: 'close "null" is not a number',
      }),
    ]);
    expect((await readError(file)).problems).toHaveLength(1);
  });

  it('refuses rows whose symbol is null', async () => {
    const file = writeParquet(join(dir, 'trades.parquet'), {
      ts: { element: timestampElement('MILLIS'), data: [0, 1, 2].map((i) => BigInt(T + i)) },
      ticker: { element: { ...STRING, repetition_type: 'OPTIONAL' }, data: ['SPY', null, 'SPY'] },
      price: { element: DOUBLE, data: [1, 2, 3] },
    });
    const preview = await previewFile(file);
    expect(preview.problems).toEqual([
      expect.objectContaining({ row: 2, field: 'ticker', message: 'the symbol is missing' }),
      expect.objectContaining({ message: 'no size column: imported as 0', severity: 'warning' }),
    ]);
    expect(preview.symbols.map((s) => [s.symbol, s.rows])).toEqual([['SPY', 2]]);
  });

  it('streams row groups in bounded chunks with progress', async () => {
    const n = 70_000;
    const { times, ...values } = barColumns(n, SEC);
    // Every bar valid: high = open + 2 stays above close = open + 1.
    const file = writeParquet(
      join(dir, 'TSLA.parquet'),
      { timestamp: { element: timestampElement('MILLIS'), data: times.map(BigInt) }, ...values },
      { rowGroupSize: 20_000 },
    );
    const reader = await openImportReader(file);
    const progress: ImportProgress[] = [];
    const lengths: number[] = [];
    let last = -Infinity;
    for await (const chunk of reader.read({}, (p) => progress.push(p))) {
      lengths.push(chunk.length);
      expect(chunk.timestamp[0]).toBeGreaterThan(last);
      last = chunk.timestamp[chunk.length - 1];
    }
    expect(lengths).toEqual([65_536, n - 65_536]);
    expect(progress.map((p) => Math.round(p.percent))).toEqual([29, 57, 86, 100, 100]);
    expect(progress.at(-1)).toMatchObject({ rows: n, file });
  });

  it('refuses a corrupt file, naming it', async () => {
    const { times, ...values } = barColumns(50, SEC);
    const file = writeParquet(join(dir, 'AMD.parquet'), {
      timestamp: { element: timestampElement('MILLIS'), data: times.map(BigInt) },
      ...values,
    });
    const bytes = await readFile(file);
    const cut = join(dir, 'CUT.parquet');
    await writeFile(cut, bytes.subarray(0, bytes.length - 40));
    await expect(openImportReader(cut)).rejects.toThrow(
      /CUT\.parquet: not a readable parquet file/,
    );
    const scrambled = Buffer.from(bytes);
    for (let i = 200; i < 400; i++) scrambled[i] = (scrambled[i] * 7 + 13) & 0xff;
    const bad = join(dir, 'BAD.parquet');
    await writeFile(bad, scrambled);
    const error = await readError(bad);
    expect(error.message).toContain(`${bad}:`);
  });
});
