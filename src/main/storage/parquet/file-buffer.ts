/**
 * A hyparquet AsyncBuffer over an open file handle, so a reader fetches only the byte ranges it
 * decodes (footer, then one row group's column chunks) instead of loading whole files.
 *
 * `sync` reads with blocking calls: for a thread that does nothing but read, such as the
 * parquet reader worker, where a thousand day files cost a second of promise and thread-pool
 * round trips asynchronously. The main thread keeps the asynchronous reads, which never stall
 * its event loop on a slow disk.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import {
  parquetMetadata,
  parquetMetadataAsync,
  type AsyncBuffer,
  type FileMetaData,
} from 'hyparquet';

export interface FileBuffer extends AsyncBuffer {
  /** Reads bytes from `position` into `target`, as many as fit; returns how many it read. */
  readInto(target: Uint8Array, position: number): number | Promise<number>;
  close(): Promise<void>;
}

export function canReadInto(buffer: AsyncBuffer): buffer is FileBuffer {
  return typeof (buffer as Partial<FileBuffer>).readInto === 'function';
}

export async function openFileBuffer(
  path: string,
  options: { sync?: boolean } = {},
): Promise<FileBuffer> {
  if (options.sync) return new SyncBuffer(path);
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return new HandleBuffer(handle, size);
  } catch (err) {
    await handle.close();
    throw err;
  }
}

class HandleBuffer implements FileBuffer {
  private closed = false;

  constructor(
    private readonly handle: FileHandle,
    readonly byteLength: number,
  ) {}

  async slice(start: number, end?: number): Promise<ArrayBuffer> {
    const stop = Math.min(end ?? this.byteLength, this.byteLength);
    // A fresh ArrayBuffer per slice: hyparquet keeps views into it, so pooled Buffers would
    // alias one another.
    const out = new Uint8Array(Math.max(0, stop - start));
    const filled = await this.readInto(out, start);
    // The file shrank under us; hyparquet reports the short buffer as a corrupt file.
    return filled === out.length ? out.buffer : out.buffer.slice(0, filled);
  }

  async readInto(target: Uint8Array, position: number): Promise<number> {
    let filled = 0;
    while (filled < target.length) {
      const { bytesRead } = await this.handle.read(
        target,
        filled,
        target.length - filled,
        position + filled,
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}

class SyncBuffer implements FileBuffer {
  private fd: number | null;
  readonly byteLength: number;

  constructor(path: string) {
    const fd = openSync(path, 'r');
    try {
      this.byteLength = fstatSync(fd).size;
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    this.fd = fd;
  }

  slice(start: number, end?: number): ArrayBuffer {
    const stop = Math.min(end ?? this.byteLength, this.byteLength);
    const out = new Uint8Array(Math.max(0, stop - start));
    const filled = this.readInto(out, start);
    return filled === out.length ? out.buffer : out.buffer.slice(0, filled);
  }

  readInto(target: Uint8Array, position: number): number {
    if (this.fd === null) throw new Error('the file is closed');
    let filled = 0;
    while (filled < target.length) {
      const bytesRead = readSync(
        this.fd,
        target,
        filled,
        target.length - filled,
        position + filled,
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled;
  }

  close(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    return Promise.resolve();
  }
}

const PAR1 = 0x31524150;

/**
 * A file's footer, read at its own size: the length first, then exactly the footer. A reader
 * guessing a size (hyparquet's 512 KB default, or 64 KB) allocates that much per file, and a
 * session open reading a thousand footers leaves a thousand such buffers to the garbage
 * collector; freed mid-sized buffers then stay resident in the allocator's per-thread arenas,
 * which made a 20-day session's memory about 100 MB larger than a 5-day one's. Anything that is
 * not a parquet footer goes to hyparquet, for its checks and messages.
 */
export async function readFooterMetadata(buffer: AsyncBuffer): Promise<FileMetaData> {
  const size = buffer.byteLength;
  if (size >= 12) {
    const tail = new DataView(await buffer.slice(size - 8, size));
    const length = tail.getUint32(0, true);
    if (tail.getUint32(4, true) === PAR1 && length + 12 <= size) {
      return parquetMetadata(await buffer.slice(size - 8 - length, size));
    }
  }
  return parquetMetadataAsync(buffer, { initialFetchSize: 8 });
}
