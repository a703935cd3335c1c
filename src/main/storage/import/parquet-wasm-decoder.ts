/**
 * parquet-wasm, used the way the store's reader uses it (see ../parquet/row-group-decoder.ts):
 * a row-group file decoded synchronously into an Arrow table, and a fresh wasm instance after a
 * trap, because a panicked instance degrades and later fails on good files.
 */
import { createRequire } from 'node:module';
import { tableFromIPC, type Table } from 'apache-arrow';

type ParquetWasm = typeof import('parquet-wasm');

let wasm: ParquetWasm | undefined;

/** Rows `[offset, offset + limit)` of a parquet file held in memory. */
export function decodeParquetSlice(bytes: Uint8Array, offset: number, limit: number): Table {
  wasm ??= instantiate();
  try {
    const ipc = wasm
      .readParquet(bytes, { batchSize: Math.max(1, limit), offset, limit })
      .intoIPCStream();
    return tableFromIPC(ipc);
  } catch (err) {
    if (err instanceof Error && err.name === 'RuntimeError') wasm = undefined;
    throw err;
  }
}

function instantiate(): ParquetWasm {
  const load = createRequire(import.meta.url);
  const path = load.resolve('parquet-wasm');
  const loaded = load(path) as ParquetWasm;
  delete load.cache[path];
  return loaded;
}
