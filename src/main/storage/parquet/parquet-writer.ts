/**
 * Writes one stream's columns to a canonical parquet file (hyparquet-writer underneath).
 *
 * Columns per stream type (where the files go is parquet-layout's):
 *   bars     timestamp, open, high, low, close, volume
 *   quotes   timestamp, bid, ask, bid_size, ask_size
 *   ticks    timestamp, price, size
 * `timestamp` is INT64 TIMESTAMP(MILLIS, UTC); every value column is a REQUIRED DOUBLE.
 *
 * Files are written to a temporary name in the target directory and renamed into place only
 * once complete and fsynced, so a crash or an exception never leaves a half-written file under
 * the canonical name.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet-writer';
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';

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
 * Writes one stream's columns to `file` atomically. Synchronous (hyparquet-writer is); about a
 * second per million bar rows. Throws before creating anything when the columns are malformed.
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
  const named = [
    { name: 'timestamp', data: columns.timestamp.subarray(0, rows) },
    ...fields.map((name, i) => ({ name, data: columns.values[i].subarray(0, rows) })),
  ];
  return writeParquetColumns(file, named, settings);
}

/**
 * Lower level: `timestamp` (epoch ms) first, then DOUBLE columns, written atomically. Only the
 * checks hyparquet-writer itself makes apply here, so a malformed column fails mid-write.
 */
export function writeParquetColumns(
  file: string,
  columns: { name: string; data: Float64Array }[],
  settings: ParquetWriteSettings = {},
): ParquetWriteResult {
  const rowGroupSize = settings.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new Error(`rowGroupSize must be a positive whole number (got ${rowGroupSize})`);
  }
  const compression = settings.compression ?? 'snappy';
  const codec = codecFor(compression);
  const compressors = compression === 'zstd' ? { ZSTD: zstdCompressor() } : undefined;

  const schema: SchemaElement[] = [
    { name: 'schema', num_children: columns.length },
    ...columns.map(({ name }): SchemaElement =>
      name === 'timestamp'
        ? {
            name,
            type: 'INT64',
            repetition_type: 'REQUIRED',
            converted_type: 'TIMESTAMP_MILLIS',
            logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
          }
        : { name, type: 'DOUBLE', repetition_type: 'REQUIRED' },
    ),
  ];
  const columnData = columns.map(({ name, data }) =>
    name === 'timestamp'
      ? // Timestamps are nearly evenly spaced: delta packing stores them in a few bits each.
        { name, data, encoding: 'DELTA_BINARY_PACKED' as const }
      : { name, data },
  );
  const kvMetadata = settings.metadata
    ? Object.entries(settings.metadata).map(([key, value]) => ({ key, value }))
    : undefined;

  const rows = columns[0]?.data.length ?? 0;
  const bytes = withAtomicFile(file, (fd) => {
    const writer = new FdWriter(fd);
    parquetWrite({
      writer,
      columnData,
      schema,
      codec,
      compressors,
      rowGroupSize,
      kvMetadata,
      createdBy: CREATED_BY,
    });
    return fs.fstatSync(fd).size;
  });
  return { path: file, rows, bytes };
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

/** A ByteWriter that spills to an open file descriptor every few megabytes. */
class FdWriter extends ByteWriter {
  private static readonly CHUNK = 4 * 1024 * 1024;

  constructor(private readonly fd: number) {
    super(FdWriter.CHUNK * 2);
  }

  override ensure(size: number): void {
    if (this.index > FdWriter.CHUNK) this.spill();
    super.ensure(size);
  }

  override finish(): void {
    this.spill();
  }

  override getBuffer(): ArrayBuffer {
    throw new Error('FdWriter writes to a file; there is no buffer to return');
  }

  override getBytes(): Uint8Array<ArrayBuffer> {
    throw new Error('FdWriter writes to a file; there are no bytes to return');
  }

  private spill(): void {
    let done = 0;
    while (done < this.index) {
      done += fs.writeSync(this.fd, new Uint8Array(this.buffer, done, this.index - done));
    }
    this.index = 0;
  }
}

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

function codecFor(compression: ParquetCompression): 'SNAPPY' | 'ZSTD' | 'UNCOMPRESSED' {
  switch (compression) {
    case 'snappy':
      return 'SNAPPY';
    case 'uncompressed':
      return 'UNCOMPRESSED';
    case 'zstd':
      if (!zstdAvailable()) {
        throw new Error(
          `zstd compression needs Node >= 22.15 (this is ${process.version}); use snappy instead`,
        );
      }
      return 'ZSTD';
    default:
      throw new Error(`Unknown parquet compression "${String(compression)}"`);
  }
}

function zstdCompressor(): (input: Uint8Array) => Uint8Array {
  const compress = (zlib as unknown as { zstdCompressSync: (b: Uint8Array) => Buffer })
    .zstdCompressSync;
  return (input) => {
    const out = compress(input);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  };
}
