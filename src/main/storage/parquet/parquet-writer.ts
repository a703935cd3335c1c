/**
 * The one writer of the canonical stream schema, for every file the stores hold: imported
 * partitions, demo data, recordings. Through parquet-wasm (the Rust writer): an import writes
 * hundreds of partitions, and it takes about a quarter of hyparquet-writer's time per file.
 *
 * Columns per stream type (where the files go is parquet-layout's):
 *   bars     timestamp, open, high, low, close, volume
 *   quotes   timestamp, bid, ask, bid_size, ask_size
 *   ticks    timestamp, price, size
 * `timestamp` is INT64 TIMESTAMP(MILLIS, UTC), delta-packed (nearly even spacing); every value
 * column is a REQUIRED DOUBLE, PLAIN: dictionary pages would make a 1s-bar day about 1.6x
 * smaller but take twice as long to write. Statistics on, so the catalog reads first/last from
 * the footer. Every stream file carries a seal (file-seal.ts): whether its rows passed the row
 * rules, and a CRC of its data, so a session's preflight can trust it without decoding it.
 *
 * `writeStreamParquet` writes to a temporary name in the target directory and renames it into
 * place only once complete and fsynced, so a crash or an exception never leaves a half-written
 * file under the canonical name; `writeStagedParquet` leaves that to the import's staging,
 * which fsyncs every part at once so the disk writes back while later partitions are encoded.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  Field,
  Float64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table as ArrowTable,
  tableToIPC,
  TimestampMillisecond,
} from 'apache-arrow';
import {
  Compression,
  Encoding,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet,
} from 'parquet-wasm';
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';
import { DATA_CRC_KEY, sealEntries, stampDataCrc } from './file-seal';
import { sortFooterMetadata } from './footer-metadata-order';

export type ParquetCompression = 'snappy' | 'zstd' | 'uncompressed';

export interface ParquetWriteSettings {
  /** Rows per row group (default 65,536). */
  rowGroupSize?: number;
  /**
   * Page codec (default snappy). `zstd` needs a runtime whose zlib has zstd (Node >= 22.15,
   * Electron's main process); `zstdAvailable()` says whether this one does.
   */
  compression?: ParquetCompression;
  /** Extra key/value metadata stored in the footer. Keep it deterministic. */
  metadata?: Record<string, string>;
}

/** The columns of one stream, shaped like a `StreamBatch`. */
export interface StreamColumns {
  /** Rows to write; defaults to `timestamp.length`. Every column must hold at least this many. */
  length?: number;
  /** UTC epoch milliseconds (whole numbers). */
  timestamp: Float64Array;
  /** One column per field, in `STREAM_FIELDS[type]` order. */
  values: Float64Array[];
}

export interface ParquetWriteResult {
  path: string;
  rows: number;
  bytes: number;
}

export const DEFAULT_ROW_GROUP_SIZE = 65_536;
const CREATED_BY = 'tapedeck';

export function zstdAvailable(): boolean {
  return typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';
}

/**
 * Writes one stream's columns to `file` atomically. Synchronous (the encoder is). Throws before
 * creating anything when the columns are malformed.
 */
export function writeStreamParquet(
  file: string,
  type: StreamType,
  columns: StreamColumns,
  settings: ParquetWriteSettings = {},
): ParquetWriteResult {
  const fields = STREAM_FIELDS[type];
  const rows = columns.length ?? columns.timestamp.length;
  validateColumns(file, fields, rows, columns);
  const seal = sealEntries(
    type,
    { length: rows, timestamp: columns.timestamp, values: columns.values },
    groupsOf(rows, settings.rowGroupSize),
  );
  return writeParquetColumns(file, namedColumns(type, columns, rows), {
    ...settings,
    metadata: { ...settings.metadata, ...seal },
  });
}

/**
 * Writes a partition of checked rows to a new `file` (never over an existing one), without the
 * temporary name and fsync: the import's staging does both for all its parts. Returns its bytes.
 */
export function writeStagedParquet(
  file: string,
  type: StreamType,
  columns: StreamColumns,
  metadata: Record<string, string>,
): number {
  const rows = columns.length ?? columns.timestamp.length;
  const seal = sealEntries(
    type,
    { length: rows, timestamp: columns.timestamp, values: columns.values },
    groupsOf(rows, undefined),
  );
  const bytes = encodeParquet(namedColumns(type, columns, rows), {
    metadata: { ...metadata, ...seal },
  });
  const fd = fs.openSync(file, 'wx');
  try {
    writeAll(fd, bytes);
  } finally {
    fs.closeSync(fd);
  }
  return bytes.length;
}

/**
 * Lower level: `timestamp` (epoch ms) first, then DOUBLE columns, written atomically. Only the
 * checks the encoder itself makes apply here.
 */
export function writeParquetColumns(
  file: string,
  columns: { name: string; data: Float64Array }[],
  settings: ParquetWriteSettings = {},
): ParquetWriteResult {
  const bytes = encodeParquet(columns, settings);
  withAtomicFile(file, (fd) => writeAll(fd, bytes));
  return { path: file, rows: columns[0]?.data.length ?? 0, bytes: bytes.length };
}

/** The row groups the encoder cuts `rows` rows into. */
function groupsOf(rows: number, rowGroupSize: number | undefined): number {
  return Math.ceil(rows / (rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE));
}

function namedColumns(
  type: StreamType,
  columns: StreamColumns,
  rows: number,
): { name: string; data: Float64Array }[] {
  return [
    { name: 'timestamp', data: columns.timestamp.subarray(0, rows) },
    ...STREAM_FIELDS[type].map((name, i) => ({ name, data: columns.values[i].subarray(0, rows) })),
  ];
}

/** The file's bytes: the columns as one Arrow table, handed to the Rust writer. */
function encodeParquet(
  columns: { name: string; data: Float64Array }[],
  settings: ParquetWriteSettings,
): Uint8Array {
  const rowGroupSize = settings.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new Error(`rowGroupSize must be a positive whole number (got ${rowGroupSize})`);
  }
  const compression = codecFor(settings.compression ?? 'snappy');
  const n = columns[0]?.data.length ?? 0;
  for (const { name, data } of columns) {
    if (data.length !== n) {
      throw new Error(
        `column "${name}" has ${data.length} rows where the first has ${n}: every column must have the same length`,
      );
    }
  }
  const fields = columns.map(({ name }) =>
    name === 'timestamp'
      ? new Field(name, new TimestampMillisecond('UTC'), false)
      : new Field(name, new Float64(), false),
  );
  // Arrow's IPC stream mangles two columns over one buffer: a repeated one is copied.
  const buffers = new Set<ArrayBufferLike>();
  const children = columns.map(({ name, data }, i) => {
    if (name === 'timestamp') {
      const type = fields[i].type as TimestampMillisecond;
      return makeData({ type, data: int64Column(data), length: n });
    }
    const own = buffers.has(data.buffer) ? data.slice() : data;
    buffers.add(data.buffer);
    return makeData({ type: new Float64(), data: own, length: n });
  });
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: n, nullCount: 0, children });
  const table = new ArrowTable(schema, [new RecordBatch(schema, struct)]);
  let properties = new WriterPropertiesBuilder()
    .setCompression(compression)
    .setMaxRowGroupSize(rowGroupSize)
    .setDictionaryEnabled(false)
    .setCreatedBy(CREATED_BY);
  if (columns.some((c) => c.name === 'timestamp')) {
    properties = properties.setColumnEncoding('timestamp', Encoding.DELTA_BINARY_PACKED);
  }
  if (settings.metadata) {
    properties = properties.setKeyValueMetadata(new Map(Object.entries(settings.metadata)));
  }
  const bytes = writeParquet(
    WasmTable.fromIPCStream(tableToIPC(table, 'stream')),
    properties.build(),
  );
  sortFooterMetadata(bytes);
  if (settings.metadata?.[DATA_CRC_KEY] !== undefined) {
    stampDataCrc(
      bytes,
      columns.map((c) => c.name),
    );
  }
  return bytes;
}

/**
 * Whole epoch ms as INT64 without a BigInt per row: the two 32-bit halves are written into
 * the same memory (little-endian, as typed arrays are on every platform Node runs on).
 */
function int64Column(ms: Float64Array): BigInt64Array {
  const n = ms.length;
  const words = new Uint32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const t = ms[i];
    const high = Math.floor(t / 4_294_967_296);
    words[2 * i] = t - high * 4_294_967_296;
    words[2 * i + 1] = high;
  }
  return new BigInt64Array(words.buffer);
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * Runs `write` against a fresh temporary file next to `file`, then fsyncs and renames it over
 * `file`. If `write` throws, the temporary file is removed and `file` is left as it was.
 */
export function withAtomicFile<T>(file: string, write: (fd: number) => T): T {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${tmpCounter++}.tmp`);
  const fd = fs.openSync(tmp, 'wx');
  let closed = false;
  try {
    const result = write(fd);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    closed = true;
    fs.renameSync(tmp, file);
    return result;
  } catch (error) {
    if (!closed) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed or unusable; the unlink below is what matters
      }
    }
    fs.rmSync(tmp, { force: true });
    throw error;
  }
}

let tmpCounter = 0;

function validateColumns(
  file: string,
  fields: readonly string[],
  rows: number,
  columns: StreamColumns,
): void {
  const where = `Cannot write ${path.basename(file)}`;
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`${where}: bad row count ${rows}`);
  if (columns.values.length !== fields.length) {
    throw new Error(
      `${where}: expected ${fields.length} value columns (${fields.join(', ')}), got ${columns.values.length}`,
    );
  }
  if (columns.timestamp.length < rows) {
    throw new Error(`${where}: timestamp has ${columns.timestamp.length} rows, expected ${rows}`);
  }
  columns.values.forEach((col, i) => {
    if (col.length < rows) {
      throw new Error(`${where}: ${fields[i]} has ${col.length} rows, expected ${rows}`);
    }
  });
  const ts = columns.timestamp;
  for (let i = 0; i < rows; i++) {
    const t = ts[i];
    if (!Number.isSafeInteger(t)) {
      throw new Error(`${where}: timestamp at row ${i} is not a whole epoch millisecond (${t})`);
    }
  }
}

function codecFor(compression: ParquetCompression): Compression {
  switch (compression) {
    case 'snappy':
      return Compression.SNAPPY;
    case 'uncompressed':
      return Compression.UNCOMPRESSED;
    case 'zstd':
      if (!zstdAvailable()) {
        throw new Error(
          `zstd compression needs Node >= 22.15 (this is ${process.version}); use snappy instead`,
        );
      }
      return Compression.ZSTD;
    default:
      throw new Error(`Unknown parquet compression "${String(compression)}"`);
  }
}
