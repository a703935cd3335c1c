/**
 * Writes one finished partition in the canonical schema (parquet-writer.ts's: timestamp
 * INT64 TIMESTAMP(MILLIS, UTC), then REQUIRED DOUBLE fields in STREAM_FIELDS order), through
 * parquet-wasm: an import writes hundreds of partitions, and with these settings the Rust
 * writer takes about a quarter of hyparquet-writer's time per partition. Timestamps are delta-packed (nearly even
 * spacing); values are PLAIN with SNAPPY pages: dictionary pages would make a 1s-bar day about
 * 1.6x smaller (about 190 KB instead of 300 KB) but take twice as long to write. Statistics on,
 * so the catalog reads first/last from the footer. Not fsynced here: the staging manifest
 * fsyncs every part at once, so the disk writes back while later partitions are encoded.
 */
import fs from 'node:fs';
import {
  Field,
  Float64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table as ArrowTable,
  tableToIPC,
  TimestampMillisecond,
} from 'apache-arrow';
import {
  Compression,
  Encoding,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet,
} from 'parquet-wasm';
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';
import { DEFAULT_ROW_GROUP_SIZE } from '../parquet/parquet-writer';
import type { PartitionRows } from './partition-spool';

export function writePartitionFile(
  file: string,
  kind: StreamType,
  rows: PartitionRows,
  metadata: Record<string, string>,
): number {
  const n = rows.length;
  const fields = [
    new Field('timestamp', new TimestampMillisecond('UTC'), false),
    ...STREAM_FIELDS[kind].map((name) => new Field(name, new Float64(), false)),
  ];
  const schema = new Schema(fields);
  const stamps = int64Column(rows.timestamp, n);
  const children = [
    makeData({ type: fields[0].type as TimestampMillisecond, data: stamps, length: n }),
    ...rows.values.map((column) =>
      makeData({ type: new Float64(), data: column.subarray(0, n), length: n }),
    ),
  ];
  const struct = makeData({ type: new Struct(fields), length: n, nullCount: 0, children });
  const table = new ArrowTable(schema, [new RecordBatch(schema, struct)]);
  const properties = new WriterPropertiesBuilder()
    .setCompression(Compression.SNAPPY)
    .setMaxRowGroupSize(DEFAULT_ROW_GROUP_SIZE)
    .setDictionaryEnabled(false)
    .setColumnEncoding('timestamp', Encoding.DELTA_BINARY_PACKED)
    .setKeyValueMetadata(new Map(Object.entries(metadata)))
    .setCreatedBy('tapedeck')
    .build();
  const bytes = writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), properties);
  const fd = fs.openSync(file, 'wx');
  try {
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
  } finally {
    fs.closeSync(fd);
  }
  return bytes.length;
}

/**
 * Whole epoch ms as INT64 without a BigInt per row: the two 32-bit halves are written into
 * the same memory (little-endian, as typed arrays are on every platform Node runs on).
 */
function int64Column(ms: Float64Array, n: number): BigInt64Array {
  const words = new Uint32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const t = ms[i];
    const high = Math.floor(t / 4_294_967_296);
    words[2 * i] = t - high * 4_294_967_296;
    words[2 * i + 1] = high;
  }
  return new BigInt64Array(words.buffer);
}
