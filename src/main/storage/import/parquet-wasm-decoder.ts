/**
 * parquet-wasm, used the way the store's reader uses it: a row-group file decoded
 * synchronously into an Arrow table, through the process's one wasm instance (which is renewed
 * after a trap; see ../parquet/parquet-wasm.ts).
 */
import { tableFromIPC, type Table } from 'apache-arrow';
import { readWithWasm } from '../parquet/parquet-wasm';

/** Rows `[offset, offset + limit)` of a parquet file held in memory. */
export function decodeParquetSlice(bytes: Uint8Array, offset: number, limit: number): Table {
  return tableFromIPC(readWithWasm(bytes, { batchSize: Math.max(1, limit), offset, limit }));
}
