/**
 * The first bytes of a file, as importers see them: up to 64 KiB, gunzipped when the file is
 * gzip, so a detector can look at the text of a .csv.gz as easily as at a plain file's.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

export const HEAD_BYTES = 64 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function isParquet(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x41 &&
    bytes[2] === 0x52 &&
    bytes[3] === 0x31
  );
}

/** The file's first `limit` raw bytes. */
export async function readRawHead(file: string, limit: number = HEAD_BYTES): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(limit);
    let filled = 0;
    while (filled < limit) {
      const { bytesRead } = await handle.read(buffer, filled, limit - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** The first `limit` bytes of the file's content: gunzipped (as far as it goes) for gzip. */
export async function readHead(file: string, limit: number = HEAD_BYTES): Promise<Uint8Array> {
  const raw = await readRawHead(file, limit);
  if (!isGzip(raw)) return raw;
  return gunzipPrefix(file, limit);
}

/** Inflates only as much of a gzip file as `limit` output bytes need. */
async function gunzipPrefix(file: string, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const input = createReadStream(file);
    const gunzip = createGunzip();
    const done = () => {
      input.destroy();
      gunzip.destroy();
      const all = Buffer.concat(parts, size);
      resolve(new Uint8Array(all.buffer, all.byteOffset, Math.min(size, limit)));
    };
    gunzip.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      size += chunk.length;
      if (size >= limit) done();
    });
    gunzip.on('end', done);
    // A truncated or corrupt stream still yields what inflated before the damage; the reader
    // reports the damage with its row when it gets there.
    gunzip.on('error', (err) => (size > 0 ? done() : reject(err)));
    input.on('error', reject);
    input.pipe(gunzip);
  });
}
