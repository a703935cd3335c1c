/**
 * Rows of an import gathered per partition (symbol, stream, interval, trading date) with
 * bounded memory. Chunks arrive in any order across partitions; rows are buffered in columns
 * and, once the buffers together pass the budget, appended to one spill file per partition in
 * the staging directory. A partition is handed back whole (spill file + buffer) only when the
 * commit finalizes it, one at a time, so peak memory is the budget plus the largest partition
 * (a trading day of one stream), whatever the size of the input.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BaseInterval } from '../../../shared/interval';
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';

export interface PartitionKey {
  symbol: string;
  kind: StreamType;
  interval?: BaseInterval;
  /** Trading date on the calendar. */
  date: string;
  /** The calendar that dates the partition (not part of its id); absent: XNYS. */
  calendar?: CalendarName;
}

export interface PartitionRows {
  length: number;
  timestamp: Float64Array;
  /** In STREAM_FIELDS[kind] order. */
  values: Float64Array[];
}

/** 96 MiB of buffered columns before spilling: ~2 M bar rows. */
export const DEFAULT_SPOOL_BUDGET_BYTES = 96 * 1024 * 1024;

class PartitionBuffer {
  length = 0;
  columns: Float64Array[];
  spilledRows = 0;
  spillFile: string | null = null;

  constructor(
    readonly key: PartitionKey,
    width: number,
    rows: number,
  ) {
    // Sized for the first run: a whole day often arrives in one or two chunks.
    const size = Math.max(1024, rows);
    this.columns = Array.from({ length: width }, () => new Float64Array(size));
  }

  get bytes(): number {
    return this.columns.length * this.columns[0].length * 8;
  }

  reserve(rows: number): void {
    const need = this.length + rows;
    if (need <= this.columns[0].length) return;
    let size = this.columns[0].length;
    while (size < need) size *= 2;
    this.columns = this.columns.map((col) => {
      const grown = new Float64Array(size);
      grown.set(col.subarray(0, this.length));
      return grown;
    });
  }
}

export class PartitionSpool {
  private readonly buffers = new Map<string, PartitionBuffer>();
  private bufferedBytes = 0;
  private spillCounter = 0;

  constructor(
    private readonly spillDir: string,
    private readonly budgetBytes: number = DEFAULT_SPOOL_BUDGET_BYTES,
  ) {}

  /** Appends rows [from, to) of the columns to a partition. */
  append(
    key: PartitionKey,
    timestamp: Float64Array,
    values: Float64Array[],
    from: number,
    to: number,
  ): void {
    const id = partitionId(key);
    let buffer = this.buffers.get(id);
    if (!buffer) {
      buffer = new PartitionBuffer(key, 1 + STREAM_FIELDS[key.kind].length, to - from);
      this.buffers.set(id, buffer);
      this.bufferedBytes += buffer.bytes;
    }
    const rows = to - from;
    const before = buffer.bytes;
    buffer.reserve(rows);
    buffer.columns[0].set(timestamp.subarray(from, to), buffer.length);
    for (let k = 0; k < values.length; k++) {
      buffer.columns[k + 1].set(values[k].subarray(from, to), buffer.length);
    }
    buffer.length += rows;
    this.bufferedBytes += buffer.bytes - before;
    if (this.bufferedBytes > this.budgetBytes) this.spillAll();
  }

  /** Every partition, sorted by key, so the commit's output order is deterministic. */
  keys(): PartitionKey[] {
    return [...this.buffers.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, buffer]) => buffer.key);
  }

  /** Rows of a partition in arrival order; its memory is released from the spool. */
  take(key: PartitionKey): PartitionRows {
    const id = partitionId(key);
    const buffer = this.buffers.get(id);
    if (!buffer) return { length: 0, timestamp: new Float64Array(0), values: [] };
    this.buffers.delete(id);
    this.bufferedBytes -= buffer.bytes;
    const width = buffer.columns.length;
    const total = buffer.spilledRows + buffer.length;
    const out = Array.from({ length: width }, () => new Float64Array(total));
    let at = 0;
    if (buffer.spillFile) {
      at = readSpill(buffer.spillFile, out);
      fs.rmSync(buffer.spillFile, { force: true });
    }
    for (let k = 0; k < width; k++) out[k].set(buffer.columns[k].subarray(0, buffer.length), at);
    return { length: total, timestamp: out[0], values: out.slice(1) };
  }

  /** Removes every spill file (the staging directory goes with the commit anyway). */
  discard(): void {
    for (const buffer of this.buffers.values()) {
      if (buffer.spillFile) fs.rmSync(buffer.spillFile, { force: true });
    }
    this.buffers.clear();
    this.bufferedBytes = 0;
  }

  private spillAll(): void {
    fs.mkdirSync(this.spillDir, { recursive: true });
    for (const buffer of this.buffers.values()) {
      if (buffer.length === 0) continue;
      buffer.spillFile ??= path.join(this.spillDir, `${this.spillCounter++}.spill`);
      appendSpill(buffer.spillFile, buffer.columns, buffer.length);
      buffer.spilledRows += buffer.length;
      buffer.length = 0;
      // Start small again: a partition that stops receiving rows should not hold memory.
      buffer.columns = buffer.columns.map(() => new Float64Array(1024));
    }
    this.bufferedBytes = 0;
    for (const buffer of this.buffers.values()) this.bufferedBytes += buffer.bytes;
  }
}

export function partitionId(key: PartitionKey): string {
  return `${key.kind}|${key.interval ?? ''}|${key.symbol}|${key.date}`;
}

/** A block: row count (one float64), then each column's rows. */
function appendSpill(file: string, columns: Float64Array[], rows: number): void {
  const fd = fs.openSync(file, 'a');
  try {
    writeAll(fd, new Float64Array([rows]));
    for (const col of columns) writeAll(fd, col.subarray(0, rows));
  } finally {
    fs.closeSync(fd);
  }
}

function writeAll(fd: number, data: Float64Array): void {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  let done = 0;
  while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
}

function readSpill(file: string, out: Float64Array[]): number {
  // Read straight into an aligned Float64Array: a Buffer's offset need not be a multiple of 8.
  const size = fs.statSync(file).size;
  const floats = new Float64Array(size / 8);
  const bytes = new Uint8Array(floats.buffer);
  const fd = fs.openSync(file, 'r');
  try {
    let done = 0;
    while (done < size) {
      const n = fs.readSync(fd, bytes, done, size - done, done);
      if (n === 0) throw new Error(`${file}: spill file ended early`);
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  let pos = 0;
  let at = 0;
  while (pos < floats.length) {
    const rows = floats[pos++];
    for (const col of out) {
      col.set(floats.subarray(pos, pos + rows), at);
      pos += rows;
    }
    at += rows;
  }
  return at;
}
