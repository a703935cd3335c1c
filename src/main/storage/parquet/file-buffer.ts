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
import type { AsyncBuffer } from 'hyparquet';

/**
 * The bytes read from a file's end to find its footer. hyparquet's default (512 KB) is a whole
 * day file of 1s bars: a session open reading a thousand footers read every file whole, twice.
 * A larger footer costs a second read of the rest.
 */
export const FOOTER_FETCH_BYTES = 64 * 1024;

export interface FileBuffer extends AsyncBuffer {
  close(): Promise<void>;
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
    const length = Math.max(0, stop - start);
    // A fresh ArrayBuffer per slice: hyparquet keeps views into it, so pooled Buffers would
    // alias one another.
    const out = new ArrayBuffer(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await this.handle.read(
        new Uint8Array(out, filled),
        0,
        length - filled,
        start + filled,
      );
      // The file shrank under us; hyparquet reports the short buffer as a corrupt file.
      if (bytesRead === 0) return out.slice(0, filled);
      filled += bytesRead;
    }
    return out;
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
    if (this.fd === null) throw new Error('the file is closed');
    const stop = Math.min(end ?? this.byteLength, this.byteLength);
    const length = Math.max(0, stop - start);
    const out = new ArrayBuffer(length);
    let filled = 0;
    while (filled < length) {
      const bytesRead = readSync(
        this.fd,
        new Uint8Array(out, filled),
        0,
        length - filled,
        start + filled,
      );
      if (bytesRead === 0) return out.slice(0, filled);
      filled += bytesRead;
    }
    return out;
  }

  close(): Promise<void> {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    return Promise.resolve();
  }
}
