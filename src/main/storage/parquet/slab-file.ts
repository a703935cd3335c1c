/**
 * Decoded slabs in a file of raw columns, for processes that would otherwise each decode the
 * same parquet files: a sweep's parent writes the window once, every worker reads it. Reading is
 * one read of the file and a Float64Array view per column, with no parsing or copying per
 * value; sending the same slabs over IPC cost each worker about as much CPU as a tenth of a
 * decode in message reassembly and deserialization.
 *
 * Layout: "TDSL", a uint32 (little endian) header length, the header (JSON), zero padding to a
 * multiple of 8, then each slab's columns (timestamp first) as little-endian float64, in header
 * order. A file that does not read as one yields nothing: its reader decodes the parquet files.
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { KeptFile } from './slab-cache';

const MAGIC = 'TDSL';

interface SlabHeader {
  firstRow: number;
  vouched: boolean;
  length: number;
  /** Columns stored, the timestamp included. */
  columns: number;
  /** Byte offset of the first column from the start of the data area. */
  at: number;
}

interface FileHeader {
  path: string;
  slabRows: number;
  stamp: string;
  slabs: SlabHeader[];
}

/** Writes `files` to `path` (created or replaced). */
export function writeSlabFile(path: string, files: readonly KeptFile[]): void {
  let at = 0;
  const headers: FileHeader[] = files.map((file) => ({
    path: file.path,
    slabRows: file.slabRows,
    stamp: file.stamp,
    slabs: file.slabs.map(({ firstRow, vouched, batch }) => {
      const slab = {
        firstRow,
        vouched,
        length: batch.length,
        columns: 1 + batch.values.length,
        at,
      };
      at += slab.length * slab.columns * 8;
      return slab;
    }),
  }));
  const json = Buffer.from(JSON.stringify(headers));
  const start = Buffer.alloc(align8(8 + json.length));
  start.write(MAGIC, 0, 'latin1');
  start.writeUInt32LE(json.length, 4);
  json.copy(start, 8);
  const fd = openSync(path, 'w');
  try {
    writeAll(fd, start);
    for (const file of files) {
      for (const { batch } of file.slabs) {
        for (const column of [batch.timestamp, ...batch.values]) {
          writeAll(fd, new Uint8Array(column.buffer, column.byteOffset, batch.length * 8));
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

/** The files in a slab file; empty when it is missing, cut short or not one. */
export function readSlabFile(path: string): KeptFile[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return [];
  }
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) return [];
  const jsonEnd = 8 + bytes.readUInt32LE(4);
  if (jsonEnd > bytes.length) return [];
  let headers: FileHeader[];
  try {
    headers = JSON.parse(bytes.toString('utf8', 8, jsonEnd)) as FileHeader[];
  } catch {
    return [];
  }
  const dataStart = align8(jsonEnd);
  // Float64Array views need an 8-aligned offset into their ArrayBuffer.
  const data =
    (bytes.byteOffset + dataStart) % 8 === 0 ? bytes : Buffer.from(new Uint8Array(bytes));
  const base = data.byteOffset + dataStart;
  const end = data.byteOffset + data.length;
  try {
    return headers.map((file) => ({
      path: file.path,
      slabRows: file.slabRows,
      stamp: file.stamp,
      slabs: file.slabs.map((slab) => {
        if (base + slab.at + slab.length * slab.columns * 8 > end) throw new RangeError('short');
        const column = (i: number): Float64Array =>
          new Float64Array(data.buffer, base + slab.at + i * slab.length * 8, slab.length);
        const values = Array.from({ length: slab.columns - 1 }, (_, i) => column(i + 1));
        return {
          firstRow: slab.firstRow,
          vouched: slab.vouched,
          batch: { length: slab.length, timestamp: column(0), values },
        };
      }),
    }));
  } catch {
    return [];
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) {
    done += writeSync(fd, bytes, done, bytes.length - done);
  }
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
