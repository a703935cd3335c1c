/**
 * Decodes a row-group file (see row-group-file.ts) with parquet-wasm into engine columns.
 * Arrow IPC is the hand-over format: parquet-wasm writes it, apache-arrow reads it without
 * copying, and DOUBLE columns reach the engine as views of that buffer.
 */
import { createRequire } from 'node:module';
import { tableFromIPC } from 'apache-arrow';
import type { StreamBatch } from '../../../shared/stream-cursor';
import { timestampsToMs, valuesToFloat64 } from './arrow-to-float64';
import type { StreamColumns } from './stream-columns';

/** Rows `[offset, offset + limit)` of a row-group file; errors carry parquet-wasm's message. */
export function decodeRowGroup(
  bytes: Uint8Array,
  columns: StreamColumns,
  offset: number,
  limit: number,
): StreamBatch {
  // One record batch for the whole slice, so each column converts from a single chunk.
  const options = { batchSize: Math.max(1, limit), offset, limit };
  const table = tableFromIPC(readWithWasm(bytes, options));
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

type ParquetWasm = typeof import('parquet-wasm');
type ReadOptions = { batchSize: number; offset: number; limit: number };

let wasm: ParquetWasm | undefined;

function readWithWasm(bytes: Uint8Array, options: ReadOptions): Uint8Array {
  wasm ??= instantiate();
  try {
    return wasm.readParquet(bytes, options).intoIPCStream();
  } catch (err) {
    // A Rust panic traps ("RuntimeError: unreachable") without unwinding the wasm stack or heap.
    // The instance keeps working for a while, then fails on good files (seen after ~500 traps),
    // so the next decode gets a new instance.
    if (err instanceof Error && err.name === 'RuntimeError') wasm = undefined;
    throw err;
  }
}

/**
 * A private instance of parquet-wasm: its Node build instantiates the wasm when the module is
 * loaded, so loading it outside the module cache (and through a throwaway require, whose module
 * tree would otherwise keep old instances alive) is how a fresh one is made.
 */
function instantiate(): ParquetWasm {
  const load = createRequire(import.meta.url);
  const path = load.resolve('parquet-wasm');
  const loaded = load(path) as ParquetWasm;
  delete load.cache[path];
  return loaded;
}
