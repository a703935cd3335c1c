/**
 * Parquet fixtures for the storage tests, written with hyparquet-writer (and parquet-wasm for
 * ZSTD and pyarrow-like OPTIONAL columns) into a throwaway data directory.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import {
  Field,
  Float64,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  TimestampMillisecond,
  makeData,
  tableToIPC,
  Table as ArrowTable,
} from 'apache-arrow';
import type { CompressionCodec, SchemaElement } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import {
  Compression,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet,
} from 'parquet-wasm';
import type { StreamBatch, StreamKey } from '../../src/shared/stream-cursor';
import {
  openStreamFile,
  readSlabs,
  type DecodedSlab,
} from '../../src/main/storage/parquet/parquet-file-reader';
import type { SlabCache } from '../../src/main/storage/parquet/slab-cache';
import { STREAM_FIELDS } from '../../src/shared/stream-types';
import { streamFilePath } from '../../src/main/storage/parquet/parquet-layout';

export type TimestampKind = 'MILLIS' | 'MICROS' | 'NANOS' | 'INT64_MS' | 'STRING';
export type ValueKind = 'DOUBLE' | 'FLOAT' | 'INT32' | 'INT64' | 'STRING';

/** Column data by name: `timestamp` in epoch ms, then the stream's fields. `null` is a null. */
export type Columns = Record<string, (number | null)[]>;

export interface FixtureOptions {
  timestamp?: TimestampKind;
  /** Per-column type; DOUBLE by default. */
  types?: Record<string, ValueKind>;
  codec?: CompressionCodec;
  rowGroupSize?: number;
  /** OPTIONAL columns (needed for nulls). */
  nullable?: boolean;
}

export async function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tapedeck-parquet-'));
}

export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Writes `columns` as the stream file of `key` on `date`; returns its path. */
export async function writeStreamFile(
  dataDir: string,
  key: StreamKey,
  date: string,
  columns: Columns,
  options: FixtureOptions = {},
): Promise<string> {
  const path = streamFilePath(dataDir, key, date);
  await mkdir(dirname(path), { recursive: true });
  writeParquetColumns(path, columns, options);
  return path;
}

/** Writes any columns (possibly not a valid stream) to `path` with hyparquet-writer. */
export function writeParquetColumns(
  path: string,
  columns: Columns,
  options: FixtureOptions = {},
): void {
  const repetition = options.nullable ? 'OPTIONAL' : 'REQUIRED';
  const names = Object.keys(columns);
  const schema: SchemaElement[] = [{ name: 'root', num_children: names.length }];
  const columnData = names.map((name) => {
    const raw = columns[name];
    if (name === 'timestamp') {
      const kind = options.timestamp ?? 'MILLIS';
      schema.push({ name, repetition_type: repetition, ...timestampElement(kind) });
      return { name, data: raw.map((v) => timestampValue(kind, v)) };
    }
    const kind = options.types?.[name] ?? 'DOUBLE';
    schema.push({ name, repetition_type: repetition, ...valueElement(kind) });
    return { name, data: raw.map((v) => numberValue(kind, v)) };
  });
  parquetWriteFile({
    filename: path,
    // hyparquet-writer pins an older hyparquet whose SchemaElement type lacks newer enum members.
    schema: schema as Parameters<typeof parquetWriteFile>[0]['schema'],
    columnData,
    codec: options.codec ?? 'SNAPPY',
    rowGroupSize: options.rowGroupSize ?? 100_000,
    compressors: {
      GZIP: (bytes: Uint8Array) => gzipSync(bytes),
      BROTLI: (bytes: Uint8Array) => brotliCompressSync(bytes),
    },
  });
}

/**
 * Writes a stream file the way pyarrow would: arrow-rs writer, OPTIONAL columns, dictionary
 * pages, ZSTD. Timestamps are TIMESTAMP(MILLIS); `volume`/`size` columns are INT64.
 */
export async function writeArrowStreamFile(
  dataDir: string,
  key: StreamKey,
  date: string,
  columns: Columns,
  rowGroupSize = 1000,
): Promise<string> {
  const path = streamFilePath(dataDir, key, date);
  await mkdir(dirname(path), { recursive: true });
  const length = columns.timestamp.length;
  const integer = (name: string) => name === 'volume' || name.endsWith('size');
  const fields = [
    new Field('timestamp', new TimestampMillisecond(), true),
    ...STREAM_FIELDS[key.type].map(
      (name) => new Field(name, integer(name) ? new Int64() : new Float64(), true),
    ),
  ];
  const children = [
    makeData({
      type: new TimestampMillisecond(),
      length,
      data: BigInt64Array.from(columns.timestamp, (v) => BigInt(v ?? 0)),
    }),
    ...STREAM_FIELDS[key.type].map((name) =>
      integer(name)
        ? makeData({
            type: new Int64(),
            length,
            data: BigInt64Array.from(columns[name], (v) => BigInt(v ?? 0)),
          })
        : makeData({ type: new Float64(), length, data: Float64Array.from(columns[name], Number) }),
    ),
  ];
  const batch = new RecordBatch(
    new Schema(fields),
    makeData({ type: new Struct(fields), length, children }),
  );
  const props = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setMaxRowGroupSize(rowGroupSize)
    .build();
  const ipc = tableToIPC(new ArrowTable([batch]), 'stream');
  writeFileSync(path, writeParquet(WasmTable.fromIPCStream(ipc), props));
  return path;
}

function timestampElement(kind: TimestampKind): Partial<SchemaElement> {
  switch (kind) {
    case 'INT64_MS':
      return { type: 'INT64' };
    case 'STRING':
      return { type: 'BYTE_ARRAY', converted_type: 'UTF8' };
    default:
      return {
        type: 'INT64',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: kind },
      };
  }
}

function timestampValue(kind: TimestampKind, ms: number | null): bigint | string | null {
  if (ms === null) return null;
  if (kind === 'STRING') return new Date(ms).toISOString();
  const whole = BigInt(Math.floor(ms));
  // Sub-millisecond parts are written too, to check they are dropped, not rounded up.
  if (kind === 'MICROS') return whole * 1000n + 999n;
  if (kind === 'NANOS') return whole * 1_000_000n + 999_999n;
  return whole;
}

function valueElement(kind: ValueKind): Partial<SchemaElement> {
  return kind === 'STRING' ? { type: 'BYTE_ARRAY', converted_type: 'UTF8' } : { type: kind };
}

function numberValue(kind: ValueKind, value: number | null): number | bigint | string | null {
  if (value === null) return null;
  if (kind === 'INT64') return BigInt(value);
  if (kind === 'STRING') return String(value);
  return value;
}

const T0 = Date.UTC(2024, 0, 2, 14, 30);

/** `n` valid one-minute bars starting at `start` (default 2024-01-02 09:30 New York). */
export function bars(n: number, start = T0, stepMs = 60_000): Columns {
  const out: Columns = { timestamp: [], open: [], high: [], low: [], close: [], volume: [] };
  for (let i = 0; i < n; i++) {
    const open = 100 + (i % 17) * 0.25;
    const close = open + ((i % 5) - 2) * 0.125;
    out.timestamp.push(start + i * stepMs);
    out.open.push(open);
    out.close.push(close);
    out.high.push(Math.max(open, close) + 0.5);
    out.low.push(Math.min(open, close) - 0.5);
    out.volume.push(1000 + i);
  }
  return out;
}

/** `n` valid quotes, two per millisecond timestamp (quotes may share one). */
export function quotes(n: number, start = T0): Columns {
  const out: Columns = { timestamp: [], bid: [], ask: [], bid_size: [], ask_size: [] };
  for (let i = 0; i < n; i++) {
    out.timestamp.push(start + Math.floor(i / 2) * 10);
    out.bid.push(50 + (i % 9) * 0.01);
    out.ask.push(50.05 + (i % 9) * 0.01);
    out.bid_size.push(100 + (i % 3));
    out.ask_size.push(200 + (i % 4));
  }
  return out;
}

/** `n` valid ticks, with a repeated timestamp every third row. */
export function ticks(n: number, start = T0): Columns {
  const out: Columns = { timestamp: [], price: [], size: [] };
  for (let i = 0; i < n; i++) {
    out.timestamp.push(start + i - Math.floor(i / 3));
    out.price.push(20 + (i % 11) * 0.01);
    out.size.push(1 + (i % 7));
  }
  return out;
}

/** A copy of `columns` with one cell replaced. */
export function withCell(
  columns: Columns,
  name: string,
  row: number,
  value: number | null,
): Columns {
  const copy: Columns = {};
  for (const [key, data] of Object.entries(columns)) copy[key] = [...data];
  copy[name][row] = value;
  return copy;
}

/** A copy of `columns` without `name`. */
export function without(columns: Columns, name: string): Columns {
  const copy = { ...columns };
  delete copy[name];
  return copy;
}

export interface Drained {
  timestamp: number[];
  values: number[][];
  batchSizes: number[];
}

/** Reads a cursor to the end, `maxRows` at a time. */
export async function drain(
  cursor: { next(maxRows: number): Promise<StreamBatch | null> },
  maxRows = 1000,
): Promise<Drained> {
  const out: Drained = { timestamp: [], values: [], batchSizes: [] };
  for (;;) {
    const batch = await cursor.next(maxRows);
    if (!batch) return out;
    out.batchSizes.push(batch.length);
    for (let i = 0; i < batch.length; i++) out.timestamp.push(batch.timestamp[i]);
    batch.values.forEach((column, k) => {
      out.values[k] ??= [];
      for (let i = 0; i < batch.length; i++) out.values[k].push(column[i]);
    });
  }
}

/**
 * Reads the bars day file at `path` through `cache`, `slabRows` at a time, counting in
 * `decodes` how often it was really decoded.
 */
export async function readThroughCache(
  cache: SlabCache,
  path: string,
  decodes: { count: number },
  slabRows: number,
  date = '2024-01-02',
): Promise<DecodedSlab[]> {
  const opened = await openStreamFile({ path, date }, 'bars');
  const slabs: DecodedSlab[] = [];
  const decode = () => {
    decodes.count++;
    return readSlabs(opened, slabRows);
  };
  for await (const slab of cache.read(path, slabRows, decode)) slabs.push(slab);
  return slabs;
}
