/**
 * The one parquet-wasm instance of the process, shared by the store's reader and the importer.
 */
import { createRequire } from 'node:module';
import type { FfiBatches } from './arrow-c-data';

type ParquetWasm = typeof import('parquet-wasm');
export type ReadOptions = { batchSize: number; offset: number; limit: number };

let wasm: ParquetWasm | undefined;

export function readWithWasm(bytes: Uint8Array, options: ReadOptions): Uint8Array {
  return withInstance((instance) => instance.readParquet(bytes, options).intoIPCStream());
}

/**
 * Decodes `bytes` and hands `read` the record batches as Arrow C data structs in the instance's
 * memory (see arrow-c-data.ts), freed once `read` returns: nothing decoded outlives the call.
 */
export function readWithWasmFfi<T>(
  bytes: Uint8Array,
  options: ReadOptions,
  read: (memory: ArrayBuffer, batches: FfiBatches) => T,
): T {
  return withInstance((instance) => {
    const batches = instance.readParquet(bytes, options).intoFFI();
    try {
      // Read after decoding: the memory may have grown, and a grown memory has a new buffer.
      return read(instance.wasmMemory().buffer as ArrayBuffer, batches);
    } finally {
      batches.free();
    }
  });
}

function withInstance<T>(use: (instance: ParquetWasm) => T): T {
  wasm ??= instantiate();
  try {
    return use(wasm);
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
