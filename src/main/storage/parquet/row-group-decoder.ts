/**
 * Decodes a row-group file (see row-group-file.ts) with parquet-wasm into engine columns. The
 * columns are read out of the decoder's memory into one buffer for the whole slab (arrow-c-data
 * .ts); a column of a form that path does not read goes through Arrow IPC instead, which
 * apache-arrow reads without copying, DOUBLE columns reaching the engine as views of it.
 */
import { createRequire } from 'node:module';
import { readWithWasm, readWithWasmFfi } from './parquet-wasm';
import type { StreamBatch } from '../../../shared/stream-cursor';
import { readCData } from './arrow-c-data';
import { timestampsToMs, valuesToFloat64 } from './arrow-to-float64';
import type { StreamColumns } from './stream-columns';

/** Memory for a slab of `bytes` bytes (a reader may hand out reused buffers); at least that long. */
export type SlabMemory = (bytes: number) => ArrayBuffer;

const freshMemory: SlabMemory = (bytes) => new ArrayBuffer(bytes);

type Arrow = typeof import('apache-arrow');
let arrow: Arrow | undefined;

/**
 * apache-arrow, loaded the first time a column takes the IPC path. Most sessions never do, and
 * loading its few hundred modules cost a reader thread 0.15 s before its first preflight.
 */
function loadArrow(): Arrow {
  return (arrow ??= createRequire(import.meta.url)('apache-arrow') as Arrow);
}

/** Rows `[offset, offset + limit)` of a row-group file; errors carry parquet-wasm's message. */
export function decodeRowGroup(
  bytes: Uint8Array,
  columns: StreamColumns,
  offset: number,
  limit: number,
  memoryFor: SlabMemory = freshMemory,
): StreamBatch {
  // One record batch for the whole slice, so each column converts from a single chunk.
  const options = { batchSize: Math.max(1, limit), offset, limit };
  const slabBytes = limit * Float64Array.BYTES_PER_ELEMENT;
  const memory = memoryFor(slabBytes * columns.names.length);
  const out = columns.names.map((_, i) => new Float64Array(memory, i * slabBytes, limit));
  const read = readWithWasmFfi(bytes, options, (wasmMemory, batches) =>
    readCData(wasmMemory, batches, columns.names, columns.timestampUnit, out, limit),
  );
  if (read) return { length: limit, timestamp: out[0]!, values: out.slice(1) };

  const table = loadArrow().tableFromIPC(readWithWasm(bytes, options));
  if (table.numRows !== limit) {
    throw new Error(`decoded ${table.numRows} rows where the footer promises ${limit}`);
  }
  const [timestampName, ...valueNames] = columns.names;
  return {
    length: limit,
    timestamp: timestampsToMs(table.getChild(timestampName)!, columns.timestampUnit),
    values: valueNames.map((name) => valuesToFloat64(table.getChild(name)!)),
  };
}
