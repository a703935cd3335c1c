/**
 * Decoded slabs of parquet files kept in memory, for a process that reads the same days again
 * and again: a sweep worker runs one backtest after another over the same window, and each
 * opened session reads every file twice (the preflight, then the cursor). Decoding is most of
 * that reading, so a file is decoded once while its size and modification time stay the same.
 *
 * Readers share the kept columns (a copy per read cost more than a warm run's decoding saved):
 * nothing writes into a decoded slab, and the row validator compacts skipped rows into a copy.
 */
import { statSync } from 'node:fs';
import type { StreamBatch } from '../../../shared/stream-cursor';
import {
  DEFAULT_SLAB_ROWS,
  readSlabs,
  type DecodedSlab,
  type OpenedStreamFile,
} from './parquet-file-reader';

interface Entry {
  /** `size:mtime` of the file when its decoding started. */
  stamp: string;
  slabs: DecodedSlab[];
  bytes: number;
}

/**
 * One file's kept slabs as they travel to another process (structured clone): a sweep's parent
 * decodes the window once and hands it to each worker, which would otherwise decode it itself.
 */
export interface KeptFile {
  path: string;
  slabRows: number;
  /** `size:mtime` of the file when it was decoded. */
  stamp: string;
  slabs: DecodedSlab[];
}

/** Default budget of one cache: a few weeks of a handful of 1 s bar and quote streams. */
export const DEFAULT_SLAB_CACHE_BYTES = 512 * 1024 * 1024;

export class SlabCache {
  /** In order of last use, oldest first. */
  private readonly entries = new Map<string, Entry>();
  private held = 0;

  constructor(readonly maxBytes: number = DEFAULT_SLAB_CACHE_BYTES) {}

  /** Bytes of decoded columns held. */
  get bytes(): number {
    return this.held;
  }

  /**
   * The slabs of `path` (cut `slabRows` at a time): copies of the kept ones while the file is
   * unchanged, else those `decode` yields, kept once it has yielded them all. A decode that
   * fails or is stopped early keeps nothing, so its failure repeats on the next read.
   */
  async *read(
    path: string,
    slabRows: number,
    decode: () => AsyncGenerator<DecodedSlab, void, undefined>,
  ): AsyncGenerator<DecodedSlab, void, undefined> {
    const key = `${slabRows}:${path}`;
    // Stamped before decoding: a file changed while it is read is decoded again next time.
    const stamp = fileStamp(path);
    const known = this.entries.get(key);
    if (known && known.stamp === stamp && stamp !== null) {
      this.entries.delete(key);
      this.entries.set(key, known);
      for (const { firstRow, batch, vouched } of known.slabs) {
        // A batch of its own: the validator may swap in compacted copies of its columns.
        yield { firstRow, batch: { ...batch, values: [...batch.values] }, vouched };
      }
      return;
    }
    if (known) this.drop(key, known);
    const slabs: DecodedSlab[] = [];
    for await (const slab of decode()) {
      // Compact, and taken before the reader can swap the batch's columns.
      const kept = copyOf(slab.batch);
      slabs.push({ firstRow: slab.firstRow, batch: kept, vouched: slab.vouched });
      yield slab;
    }
    if (stamp !== null) this.keep(key, stamp, slabs);
  }

  /** The files kept, oldest use first, for another process's adopt(). */
  kept(): KeptFile[] {
    return [...this.entries].map(([key, { stamp, slabs }]) => {
      const colon = key.indexOf(':');
      return { path: key.slice(colon + 1), slabRows: Number(key.slice(0, colon)), stamp, slabs };
    });
  }

  /**
   * Takes files another process decoded, each only while it is the file this process would
   * read (same size and modification time now): a file changed since is decoded here as usual.
   * Returns how many were taken.
   */
  adopt(files: readonly KeptFile[]): number {
    let taken = 0;
    for (const file of files) {
      const stamp = fileStamp(file.path);
      if (stamp === null || stamp !== file.stamp) continue;
      this.keep(`${file.slabRows}:${file.path}`, stamp, file.slabs);
      taken++;
    }
    return taken;
  }

  private keep(key: string, stamp: string, slabs: DecodedSlab[]): void {
    const bytes = slabs.reduce((sum, slab) => sum + batchBytes(slab.batch), 0);
    if (bytes > this.maxBytes) return;
    // Another reader of the same file may have finished first.
    const twin = this.entries.get(key);
    if (twin) this.drop(key, twin);
    this.entries.set(key, { stamp, slabs, bytes });
    this.held += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.maxBytes) break;
      this.drop(oldest, entry);
    }
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.held -= entry.bytes;
  }
}

/** The file's slabs, through the cache when there is one. */
export function slabsOf(
  file: OpenedStreamFile,
  slabRows: number = DEFAULT_SLAB_ROWS,
  cache?: SlabCache,
): AsyncGenerator<DecodedSlab, void, undefined> {
  return cache
    ? cache.read(file.path, slabRows, () => readSlabs(file, slabRows))
    : readSlabs(file, slabRows);
}

function fileStamp(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

/** A compact copy (decoded columns can be views into a larger decode buffer). */
function copyOf(batch: StreamBatch): StreamBatch {
  return {
    length: batch.length,
    timestamp: batch.timestamp.slice(0, batch.length),
    values: batch.values.map((column) => column.slice(0, batch.length)),
  };
}

function batchBytes(batch: StreamBatch): number {
  return batch.values.reduce((sum, column) => sum + column.byteLength, batch.timestamp.byteLength);
}
