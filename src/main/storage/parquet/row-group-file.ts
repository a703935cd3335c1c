/**
 * Cuts one row group out of a parquet file as a small, self-contained parquet file holding only
 * the columns a stream needs.
 *
 * Why: parquet-wasm decodes fastest (see bench/parquet-reader.ts), but only its synchronous
 * `readParquet(bytes)` fails cleanly on corrupt pages; its streaming, range-reading API panics
 * inside a microtask, which surfaces as an uncaught RuntimeError and a promise that never
 * settles. `readParquet` wants a whole file in memory, so each row group is handed over as a
 * file of its own: memory stays bounded by one row group however large the source file is.
 */
import type { AsyncBuffer, ColumnChunk, FileMetaData, RowGroup, SchemaElement } from 'hyparquet';
import { canReadInto } from './file-buffer';
import { encodeFooter } from './parquet-footer';

const MAGIC = 0x31524150; // "PAR1", little endian

/** Thrown when the footer points outside the file; the caller names the file. */
export class ChunkBoundsError extends Error {}

/**
 * Reads the column chunks of `names` in row group `group` and wraps them in a new footer.
 * `names` must be flat top-level columns, `elements` their schema elements (both from
 * resolveStreamColumns).
 *
 * `space`, when given, provides the memory the file is built in (at least the size asked for),
 * and a file that can read into memory it is given (file-buffer.ts) reads each chunk in place:
 * a reader then allocates nothing per row group. Freed buffers of a few hundred KB, several per
 * day file, were what kept a long session's resident memory growing with its length.
 */
export async function extractRowGroup(
  file: AsyncBuffer,
  metadata: FileMetaData,
  group: number,
  names: readonly string[],
  elements: readonly SchemaElement[],
  /** Sees the chunks as read, in `names` order, before they are used; may throw. */
  inspect?: (chunks: readonly Uint8Array[]) => void,
  space?: (bytes: number) => Uint8Array,
): Promise<Uint8Array> {
  const rowGroup = metadata.row_groups[group];
  const footerStart = file.byteLength - metadata.metadata_length - 8;
  const chunks = names.map((name) => findChunk(rowGroup, name));
  const ranges = chunks.map((chunk) => chunkRange(chunk, footerStart));

  const places: number[] = [];
  const columns: ColumnChunk[] = [];
  let at = 4;
  chunks.forEach((chunk, i) => {
    places.push(at);
    columns.push(rebase(chunk, BigInt(at - ranges[i][0])));
    at += ranges[i][1] - ranges[i][0];
  });
  const footer = new Uint8Array(
    encodeFooter({
      version: metadata.version,
      schema: [{ name: metadata.schema[0].name, num_children: names.length }, ...elements],
      num_rows: rowGroup.num_rows,
      row_groups: [
        { columns, total_byte_size: rowGroup.total_byte_size, num_rows: rowGroup.num_rows },
      ],
      created_by: metadata.created_by,
      metadata_length: 0,
    }),
  );
  const total = at + footer.length + 4;
  const out = space ? space(total).subarray(0, total) : new Uint8Array(total);
  const views = ranges.map(([start, end], i) => out.subarray(places[i], places[i] + end - start));
  const read = await Promise.all(ranges.map(([start], i) => readRange(file, start, views[i])));
  inspect?.(views);
  read.forEach((bytes, i) => {
    if (bytes !== views[i].length) {
      throw new ChunkBoundsError(`column "${names[i]}" in row group ${group} is truncated`);
    }
  });
  const edges = new DataView(out.buffer, out.byteOffset, total);
  edges.setUint32(0, MAGIC, true);
  out.set(footer, at);
  edges.setUint32(total - 4, MAGIC, true);
  return out;
}

/** Reads `into.length` bytes from `start` into `into`; returns how many there were. */
async function readRange(file: AsyncBuffer, start: number, into: Uint8Array): Promise<number> {
  if (canReadInto(file)) return file.readInto(into, start);
  const bytes = new Uint8Array(await file.slice(start, start + into.length));
  into.set(bytes.subarray(0, into.length));
  return bytes.length;
}

/** Where column `name`'s chunk of `rowGroup` lies in the file, for a file still being written. */
export function chunkSpan(rowGroup: RowGroup, name: string): [number, number] {
  return chunkRange(findChunk(rowGroup, name), Number.MAX_SAFE_INTEGER);
}

function findChunk(rowGroup: RowGroup, name: string): ColumnChunk {
  const chunk = rowGroup.columns.find(
    (c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name,
  );
  if (!chunk) throw new ChunkBoundsError(`row group has no column chunk for "${name}"`);
  return chunk;
}

/** Byte range of a column chunk: its dictionary page (when present) through its last page. */
function chunkRange(chunk: ColumnChunk, footerStart: number): [number, number] {
  const meta = chunk.meta_data!;
  const data = Number(meta.data_page_offset);
  const dict = meta.dictionary_page_offset === undefined ? 0 : Number(meta.dictionary_page_offset);
  // Some writers store 0 for "no dictionary"; a dictionary always precedes the data pages.
  const start = dict > 0 && dict < data ? dict : data;
  const end = start + Number(meta.total_compressed_size);
  if (!(start >= 4 && end > start && end <= footerStart)) {
    throw new ChunkBoundsError(
      `column "${meta.path_in_schema.join('.')}" claims bytes ${start}-${end}, outside the data area (4-${footerStart})`,
    );
  }
  return [start, end];
}

/** A chunk's metadata with only what decoding it needs (see rebase). */
export function decodingChunk(chunk: ColumnChunk): ColumnChunk {
  return chunk.meta_data ? rebase(chunk, 0n) : chunk;
}

/**
 * The chunk's metadata at its new offset. Indexes, bloom filters and statistics point elsewhere
 * in the old file (or are not needed to decode), so they are dropped.
 */
function rebase(chunk: ColumnChunk, shift: bigint): ColumnChunk {
  const meta = chunk.meta_data!;
  const dict = meta.dictionary_page_offset;
  const hasDict = dict !== undefined && dict > 0n && dict < meta.data_page_offset;
  return {
    file_offset: (hasDict ? dict : meta.data_page_offset) + shift,
    meta_data: {
      type: meta.type,
      encodings: meta.encodings,
      path_in_schema: meta.path_in_schema,
      codec: meta.codec,
      num_values: meta.num_values,
      total_uncompressed_size: meta.total_uncompressed_size,
      total_compressed_size: meta.total_compressed_size,
      data_page_offset: meta.data_page_offset + shift,
      dictionary_page_offset: hasDict ? dict + shift : undefined,
      encoding_stats: meta.encoding_stats,
    },
  };
}
