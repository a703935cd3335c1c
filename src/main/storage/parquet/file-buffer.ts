/**
 * A hyparquet AsyncBuffer over an open file handle, so a reader fetches only the byte ranges it
 * decodes (footer, then one row group's column chunks) instead of loading whole files.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { AsyncBuffer } from 'hyparquet';

export interface FileBuffer extends AsyncBuffer {
  close(): Promise<void>;
}

export async function openFileBuffer(path: string): Promise<FileBuffer> {
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
