/**
 * Decodes a row-group file (see row-group-file.ts) with parquet-wasm into engine columns.
 * Arrow IPC is the hand-over format: parquet-wasm writes it, apache-arrow reads it without
 * copying, and DOUBLE columns reach the engine as views of that buffer.
 */
import { readWithWasm } from './parquet-wasm';
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
