import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Dictionary,
  Field,
  Float64,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Table as ArrowTable,
  TimestampMillisecond,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
} from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import type { TimeUnit } from 'hyparquet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCData } from '../../src/main/storage/parquet/arrow-c-data';
import { timestampsToMs, valuesToFloat64 } from '../../src/main/storage/parquet/arrow-to-float64';
import { readWithWasm, readWithWasmFfi } from '../../src/main/storage/parquet/parquet-wasm';
import { decodeRowGroup } from '../../src/main/storage/parquet/row-group-decoder';
import {
  bars,
  makeDataDir,
  removeDataDir,
  withCell,
  writeArrowStreamFile,
  writeParquetColumns,
  type Columns,
  type FixtureOptions,
} from './fixtures';

const NAMES = ['timestamp', 'open', 'high', 'low', 'close', 'volume'];
const BARS = { symbol: 'AAPL', type: 'bars' as const, interval: '1m' as const };

/** The columns through the C data path, or null when it declines. */
function viaCData(bytes: Uint8Array, unit: TimeUnit, offset: number, limit: number) {
  const out = NAMES.map(() => new Float64Array(limit));
  const options = { batchSize: limit, offset, limit };
  const ok = readWithWasmFfi(bytes, options, (memory, batches) =>
    readCData(memory, batches, NAMES, unit, out, limit),
  );
  return ok ? out : null;
}

/** The same rows through Arrow IPC and apache-arrow: the independent path. */
function viaIpc(bytes: Uint8Array, unit: TimeUnit, offset: number, limit: number) {
  const table = tableFromIPC(readWithWasm(bytes, { batchSize: limit, offset, limit }));
  return NAMES.map((name, i) =>
    i === 0 ? timestampsToMs(table.getChild(name)!, unit) : valuesToFloat64(table.getChild(name)!),
  );
}

function viaIpcColumns(bytes: Uint8Array, names: string[], rows: number) {
  const table = tableFromIPC(readWithWasm(bytes, { batchSize: rows, offset: 0, limit: rows }));
  return names.map((name, i) =>
    i === 0
      ? timestampsToMs(table.getChild(name)!, 'MILLIS')
      : valuesToFloat64(table.getChild(name)!),
  );
}

/** A file whose `open` column is dictionary-typed: indexes into 100.5, 101.25, 99.75. */
function dictionaryFile(length: number): Uint8Array {
  const type = new Dictionary(new Float64(), new Int32());
  const fields = [
    new Field('timestamp', new TimestampMillisecond(), false),
    new Field('open', type, false),
  ];
  const children = [
    makeData({
      type: new TimestampMillisecond(),
      length,
      data: BigInt64Array.from({ length }, (_, i) => BigInt(1_704_205_800_000 + i * 1000)),
    }),
    makeData({
      type,
      length,
      data: Int32Array.from({ length }, (_, i) => i % 3),
      dictionary: makeVector(Float64Array.of(100.5, 101.25, 99.75)),
    }),
  ];
  const batch = new RecordBatch(
    new Schema(fields),
    makeData({ type: new Struct(fields), length, children }),
  );
  const ipc = tableToIPC(new ArrowTable([batch]), 'stream');
  return writeParquet(WasmTable.fromIPCStream(ipc));
}

describe('Arrow C data columns out of parquet-wasm memory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeDataDir();
  });
  afterEach(() => removeDataDir(dir));

  function write(columns: Columns, options: FixtureOptions): Uint8Array {
    const path = join(dir, 'f.parquet');
    writeParquetColumns(path, columns, options);
    return readFileSync(path);
  }

  it.each<[string, FixtureOptions, TimeUnit]>([
    ['MILLIS timestamps, DOUBLE values', { timestamp: 'MILLIS' }, 'MILLIS'],
    ['MICROS timestamps', { timestamp: 'MICROS' }, 'MICROS'],
    ['NANOS timestamps', { timestamp: 'NANOS' }, 'NANOS'],
    ['untyped INT64 timestamps', { timestamp: 'INT64_MS' }, 'MILLIS'],
    [
      'FLOAT and INT32 values',
      { types: { open: 'FLOAT', high: 'FLOAT', low: 'FLOAT', close: 'FLOAT', volume: 'INT32' } },
      'MILLIS',
    ],
    ['INT64 values', { types: { volume: 'INT64' } }, 'MILLIS'],
  ])('reads %s as the IPC path does, at any offset', (_, options, unit) => {
    const bytes = write(bars(3000), { ...options, rowGroupSize: 1000 });
    for (const [offset, limit] of [
      [0, 1000],
      [1000, 1000],
      [1300, 500],
      [7, 993],
    ] as const) {
      const got = viaCData(bytes, unit, offset, limit);
      expect(got, `offset ${offset}`).not.toBeNull();
      expect(got).toEqual(viaIpc(bytes, unit, offset, limit));
    }
  });

  it('turns nulls into NaN, at bit offsets inside a byte', () => {
    let data = bars(2000);
    for (const [row, field] of [
      [0, 'open'],
      [9, 'close'],
      [1003, 'volume'],
      [1999, 'high'],
    ] as const) {
      data = withCell(data, field, row, null);
    }
    const bytes = write(data, { nullable: true, rowGroupSize: 1000 });
    const got = viaCData(bytes, 'MILLIS', 3, 1997)!;
    expect(got).not.toBeNull();
    expect(got).toEqual(viaIpc(bytes, 'MILLIS', 3, 1997));
    expect(got[1]![0]).toEqual(data.open[3]);
    expect(got[4]![9 - 3]).toBeNaN();
    expect(got[5]![1003 - 3]).toBeNaN();
    expect(got[2]![1999 - 3]).toBeNaN();
  });

  it('reads arrow-rs files (OPTIONAL, dictionary pages, ZSTD, TIMESTAMP and INT64)', async () => {
    const path = await writeArrowStreamFile(dir, BARS, '2024-01-02', bars(2500), 1000);
    const bytes = readFileSync(path);
    const got = viaCData(bytes, 'MILLIS', 1000, 1000);
    expect(got).not.toBeNull();
    expect(got).toEqual(viaIpc(bytes, 'MILLIS', 1000, 1000));
  });

  it('declines a dictionary-typed column, whose buffers hold indexes rather than values', () => {
    const length = 100;
    const bytes = dictionaryFile(length);
    const out = [new Float64Array(length), new Float64Array(length)];
    const read = readWithWasmFfi(bytes, { batchSize: length, offset: 0, limit: length }, (m, b) =>
      readCData(m, b, ['timestamp', 'open'], 'MILLIS', out, length),
    );
    expect(read).toBe(false);
    // What the decoder falls back to gives the values, not the indexes.
    const [, open] = viaIpcColumns(bytes, ['timestamp', 'open'], length);
    expect(Array.from(open!.slice(0, 4))).toEqual([100.5, 101.25, 99.75, 100.5]);
  });

  it('decodes a dictionary-typed column through the IPC path, loading apache-arrow for it', () => {
    const length = 100;
    const columns = {
      names: ['timestamp', 'open'],
      elements: [],
      timestampUnit: 'MILLIS' as const,
    };
    const batch = decodeRowGroup(dictionaryFile(length), columns, 10, 50);
    expect(batch.length).toBe(50);
    expect(batch.timestamp[0]).toBe(1_704_205_800_000 + 10 * 1000);
    // Rows 10.. of the indexes 1, 2, 0, 1, ...: the values, not the indexes.
    expect(Array.from(batch.values[0]!.slice(0, 4))).toEqual([101.25, 99.75, 100.5, 101.25]);
  });

  it('declines what it does not read, so the caller decodes another way', () => {
    const bytes = write(bars(100), {});
    const out = [new Float64Array(100), new Float64Array(100)];
    const missing = readWithWasmFfi(bytes, { batchSize: 100, offset: 0, limit: 100 }, (m, b) =>
      readCData(m, b, ['timestamp', 'no_such_column'], 'MILLIS', out, 100),
    );
    expect(missing).toBe(false);
    // A DOUBLE where the timestamp belongs: the IPC path's error, not a silent copy.
    const doubleTime = readWithWasmFfi(bytes, { batchSize: 100, offset: 0, limit: 100 }, (m, b) =>
      readCData(m, b, ['open', 'close'], 'MILLIS', out, 100),
    );
    expect(doubleTime).toBe(false);
    // Fewer rows than asked for.
    const short = readWithWasmFfi(bytes, { batchSize: 100, offset: 50, limit: 100 }, (m, b) =>
      readCData(m, b, ['timestamp', 'open'], 'MILLIS', out, 100),
    );
    expect(short).toBe(false);
  });
});
