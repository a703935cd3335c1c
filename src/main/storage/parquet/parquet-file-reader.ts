/**
 * One parquet file of a stream: its footer is read and checked up front (cheap, no data), then
 * its rows are decoded a slab at a time — a row group, or part of an oversized one — so memory
 * stays bounded whatever the file size. Every failure becomes a DataError naming the file.
 */
import { isMainThread } from 'node:worker_threads';
import type { FileMetaData } from 'hyparquet';
import { DataError, type StreamBatch } from '../../../shared/stream-cursor';
import type { StreamType } from '../../../shared/stream-types';
import { openFileBuffer, readFooterMetadata, type FileBuffer } from './file-buffer';
import type { StreamFile } from './parquet-layout';
import { groupCrcHolds, readSeal, SEAL_KEYS } from './file-seal';
import { decodeRowGroup, type SlabMemory } from './row-group-decoder';
import { ChunkBoundsError, decodingChunk, extractRowGroup } from './row-group-file';
import { resolveStreamColumns, type StreamColumns } from './stream-columns';

/**
 * Rows decoded at once. A 64k-row group (a common writer default) is one slab; larger groups
 * are cut into slabs of about this size (~12 MB of Float64 columns for bars).
 */
export const DEFAULT_SLAB_ROWS = 262_144;

export interface OpenedStreamFile extends StreamFile {
  /** Rows in the file, from its footer. */
  rows: number;
  metadata: FileMetaData;
  columns: StreamColumns;
}

/**
 * A file a preflight has just read and checked, known by its place and rows: the reader worker
 * reads its footer when the file's turn comes, so a session open reads each footer once and
 * no thread holds a thousand footers for the whole session.
 */
export interface CheckedStreamFile extends StreamFile {
  rows: number;
  metadata?: undefined;
}

/** What a reader may be handed for a stream: files opened, or checked by a preflight. */
export type StreamFileToRead = OpenedStreamFile | CheckedStreamFile;

/** A stream's rows in all, and in its fullest file (a day), from the files' footers. */
export function rowCounts(files: readonly { rows: number }[]): {
  totalRows: number;
  largestDayRows: number;
} {
  let totalRows = 0;
  let largestDayRows = 0;
  for (const { rows } of files) {
    totalRows += rows;
    if (rows > largestDayRows) largestDayRows = rows;
  }
  return { totalRows, largestDayRows };
}

export interface DecodedSlab {
  /** 0-based index in the file of the slab's first row. */
  firstRow: number;
  batch: StreamBatch;
  /**
   * The file's seal vouches for these rows and their bytes are as written (file-seal.ts): they
   * passed the row rules then, so only their order after the rows before them needs a look.
   */
  vouched: boolean;
}

/**
 * Reads and checks a file's footer and schema; through `open`, a buffer the caller opened
 * and closes (to read more of the file), else the file's own.
 */
export async function openStreamFile(
  file: StreamFile,
  type: StreamType,
  open?: FileBuffer,
): Promise<OpenedStreamFile> {
  const buffer = open ?? (await openStreamBuffer(file.path));
  try {
    const metadata = await readFooter(buffer, file.path);
    const columns = resolveStreamColumns(metadata, type, file.path);
    return { ...file, rows: Number(metadata.num_rows), metadata, columns };
  } finally {
    if (!open) await buffer.close();
  }
}

/**
 * The footer as a cursor keeps it until its file's turn: what decoding needs (row groups, chunk
 * places and codecs, the seal), without statistics or other metadata. A session of a thousand
 * day files holds a thousand footers from its open to its end, on each thread that reads them.
 */
export function forReading(file: OpenedStreamFile): OpenedStreamFile {
  const { metadata } = file;
  return {
    ...file,
    metadata: {
      version: metadata.version,
      schema: metadata.schema,
      num_rows: metadata.num_rows,
      row_groups: metadata.row_groups.map((group) => ({
        num_rows: group.num_rows,
        total_byte_size: group.total_byte_size,
        columns: group.columns.map(decodingChunk),
      })),
      key_value_metadata: (metadata.key_value_metadata ?? []).filter((kv) => SEAL_KEYS.has(kv.key)),
      created_by: metadata.created_by,
      metadata_length: metadata.metadata_length,
    },
  };
}

/**
 * The file's rows in order, a slab at a time, each slab's columns in memory from `memoryFor`.
 * Ending the iteration early (return()) closes the file handle.
 */
export async function* readSlabs(
  file: OpenedStreamFile,
  slabRows: number = DEFAULT_SLAB_ROWS,
  memoryFor?: SlabMemory,
): AsyncGenerator<DecodedSlab, void, undefined> {
  const buffer = await openStreamBuffer(file.path);
  let space: Uint8Array | undefined;
  const room = (needed: number): Uint8Array => {
    space ??= spareSpace.pop();
    // A little headroom, so day files of slightly different sizes share one buffer.
    if (!space || space.length < needed) space = new Uint8Array(Math.ceil(needed * 1.25));
    return space;
  };
  try {
    const { metadata, columns } = file;
    const seal = readSeal(metadata);
    const sealed = seal?.rowsChecked === true && seal.groupCrcs !== null ? seal : null;
    let groupStart = 0;
    for (let group = 0; group < metadata.row_groups.length; group++) {
      const groupRows = Number(metadata.row_groups[group].num_rows);
      if (groupRows === 0) continue;
      const firstRow = groupStart;
      const inspect = sealed
        ? (chunks: readonly Uint8Array[]) => {
            if (!groupCrcHolds(sealed, group, chunks))
              throw changedGroup(file.path, group, firstRow);
          }
        : undefined;
      const bytes = await guard(file.path, group, groupStart, () =>
        extractRowGroup(buffer, metadata, group, columns.names, columns.elements, inspect, room),
      );
      // Even slabs: a 300k-row group becomes two of 150k rather than 262k + 38k.
      const slabs = Math.ceil(groupRows / slabRows);
      const size = Math.ceil(groupRows / slabs);
      for (let offset = 0; offset < groupRows; offset += size) {
        const limit = Math.min(size, groupRows - offset);
        const batch = await guard(file.path, group, groupStart + offset, () =>
          decodeRowGroup(bytes, columns, offset, limit, memoryFor),
        );
        // The decoder copied what it needed: the space goes back before the last slab is
        // handed out, so a reader waiting at a yield holds none.
        if (offset + size >= groupRows) space = giveBack(space);
        yield { firstRow: groupStart + offset, batch, vouched: sealed !== null };
      }
      groupStart += groupRows;
    }
  } finally {
    giveBack(space);
    await buffer.close();
  }
}

/**
 * Memory row groups are read and rebuilt in, reused by every reader on this thread: as many
 * buffers as were in use at once (readers reading asynchronously interleave, one per stream
 * at most), each as large as the largest row group it held.
 */
const spareSpace: Uint8Array[] = [];
const MAX_SPARE_SPACES = 64;

function giveBack(space: Uint8Array | undefined): undefined {
  if (space && spareSpace.length < MAX_SPARE_SPACES) spareSpace.push(space);
  return undefined;
}

function changedGroup(path: string, group: number, firstRow: number): DataError {
  return new DataError(
    `${path}: row group ${group} (from row ${firstRow + 1}) changed after it was written ` +
      '(the CRC in its footer no longer matches); restore the file or import that day again',
    path,
    firstRow + 1,
  );
}

/** The file's buffer, its open failure as a DataError naming it. */
export async function openStreamBuffer(path: string): Promise<FileBuffer> {
  try {
    // Off the main thread nothing waits on the reads but the reader itself.
    return await openFileBuffer(path, { sync: !isMainThread });
  } catch (err) {
    throw new DataError(`${path}: cannot open (${message(err)})`, path);
  }
}

async function readFooter(buffer: FileBuffer, path: string): Promise<FileMetaData> {
  // hyparquet's own message for a tiny file is a DataView range error; say what it means.
  if (buffer.byteLength < 12) {
    throw new DataError(
      `${path}: not a parquet file (${buffer.byteLength} bytes; too short for a footer)`,
      path,
    );
  }
  let metadata: FileMetaData;
  try {
    metadata = await readFooterMetadata(buffer);
  } catch (err) {
    throw new DataError(`${path}: not a readable parquet file (${message(err)})`, path);
  }
  const groupRows = metadata.row_groups.reduce((sum, g) => sum + Number(g.num_rows), 0);
  if (groupRows !== Number(metadata.num_rows)) {
    throw new DataError(
      `${path}: corrupt parquet footer (row groups hold ${groupRows} rows, file claims ${metadata.num_rows})`,
      path,
    );
  }
  return metadata;
}

/** Runs one read or decode step, turning whatever it throws into a DataError at that row. */
async function guard<T>(
  path: string,
  group: number,
  firstRow: number,
  step: () => T | Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof DataError) throw err;
    const what =
      err instanceof ChunkBoundsError ? 'corrupt parquet footer' : 'corrupt parquet data';
    throw new DataError(
      `${path}: ${what} in row group ${group} (from row ${firstRow + 1}): ${message(err)}`,
      path,
      firstRow + 1,
    );
  }
}

function message(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // A Rust panic inside parquet-wasm surfaces as WebAssembly's RuntimeError "unreachable".
  return err.name === 'RuntimeError' ? `decoder aborted (${err.message})` : err.message;
}
