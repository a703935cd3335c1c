/**
 * The append-only spool of one recorded stream: rows go to a memory buffer, and flush() writes
 * the buffer to the end of the spool file and fsyncs it. A row is durable once a flush after
 * it returned. The file is raw little-endian float64 records (timestamp, then the stream's
 * fields); a record cut short by a kill is ignored when the spool is read back.
 */
import fs from 'node:fs';
import { STREAM_FIELDS } from '../../../shared/stream-types';
import type { StreamKey } from '../../../shared/stream-cursor';
import { DataError } from '../../../shared/stream-cursor';
import type { ImportChunk } from '../import/import-types';

const INITIAL_ROWS = 1024;
/** Rows per chunk read back: bounds the memory of a roll whatever the spool's size. */
const READ_ROWS = 65_536;

export class StreamSpool {
  /** Values per record: the timestamp and the stream's fields. */
  readonly width: number;
  private buffer: Float64Array;
  private rows = 0;
  private fd: number;
  /** Rows appended since the spool was opened (flushed or not). */
  appended = 0;

  constructor(
    readonly key: StreamKey,
    readonly path: string,
  ) {
    this.width = 1 + STREAM_FIELDS[key.type].length;
    this.buffer = new Float64Array(INITIAL_ROWS * this.width);
    this.fd = fs.openSync(path, 'a');
  }

  /** Buffers one row (values in STREAM_FIELDS order); allocates only when the buffer grows. */
  append(timestamp: number, v0: number, v1: number, v2 = 0, v3 = 0, v4 = 0): void {
    // After the last seal nothing is recorded any more (the session has stopped).
    if (this.fd < 0) return;
    const w = this.width;
    if ((this.rows + 1) * w > this.buffer.length) {
      const next = new Float64Array(this.buffer.length * 2);
      next.set(this.buffer);
      this.buffer = next;
    }
    const b = this.buffer;
    const at = this.rows * w;
    b[at] = timestamp;
    b[at + 1] = v0;
    b[at + 2] = v1;
    if (w > 3) {
      b[at + 3] = v2;
      b[at + 4] = v3;
    }
    if (w > 5) b[at + 5] = v4;
    this.rows++;
    this.appended++;
  }

  /** Writes what is buffered to the file and fsyncs it. */
  flush(): void {
    if (this.rows > 0) {
      const bytes = new Uint8Array(this.buffer.buffer, 0, this.rows * this.width * 8);
      for (let done = 0; done < bytes.length;) {
        done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
      }
      this.rows = 0;
    }
    fs.fsyncSync(this.fd);
  }

  /**
   * Flushes, then moves the file to `to` and (unless `reopen` is false) starts an empty one
   * under the same name. The spool object stays the same, so whoever appends to it keeps going.
   */
  seal(to: string, reopen = true): void {
    this.flush();
    fs.closeSync(this.fd);
    this.fd = -1;
    fs.renameSync(this.path, to);
    if (reopen) this.fd = fs.openSync(this.path, 'a');
  }

  get open(): boolean {
    return this.fd >= 0;
  }
}

/**
 * A spool file's rows as import chunks of one stream, in file order. Trailing bytes that do
 * not make a whole record (a write the kill cut short) are left out.
 */
export function* readSpool(
  path: string,
  key: StreamKey,
  calendar: ImportChunk['calendar'],
): Generator<ImportChunk> {
  const fields = STREAM_FIELDS[key.type].length;
  const width = 1 + fields;
  const recordBytes = width * 8;
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const records = Math.floor(size / recordBytes);
    for (let from = 0; from < records; from += READ_ROWS) {
      const n = Math.min(READ_ROWS, records - from);
      const raw = new Float64Array(n * width);
      const bytes = new Uint8Array(raw.buffer);
      for (let done = 0; done < bytes.length;) {
        const got = fs.readSync(fd, bytes, done, bytes.length - done, from * recordBytes + done);
        if (got === 0) throw new DataError(`${path}: the spool ended early`, path);
        done += got;
      }
      const timestamp = new Float64Array(n);
      const values = Array.from({ length: fields }, () => new Float64Array(n));
      for (let i = 0; i < n; i++) {
        timestamp[i] = raw[i * width]!;
        for (let f = 0; f < fields; f++) values[f]![i] = raw[i * width + 1 + f]!;
      }
      yield {
        symbol: key.symbol,
        kind: key.type,
        ...(key.interval ? { interval: key.interval } : {}),
        length: n,
        timestamp,
        values,
        ...(calendar ? { calendar } : {}),
      };
    }
  } finally {
    fs.closeSync(fd);
  }
}
