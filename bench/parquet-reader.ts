/**
 * Which parquet reader should the store use? Decodes the same 6-column bar file into
 * Float64Array columns with hyparquet (pure JS, a row group at a time over a file handle) and
 * with parquet-wasm (Rust → Arrow IPC → apache-arrow), and prints rows/s for each.
 *
 *   npx tsx bench/parquet-reader.ts [rows]      (default 1,200,000 rows, row groups of 65,536)
 *
 * Three files: hyparquet-writer (SNAPPY, REQUIRED, plain) and arrow-rs via parquet-wasm (ZSTD,
 * dictionary) with OPTIONAL columns, as pandas/pyarrow write them, and with REQUIRED ones.
 *
 * The store uses the last variant. parquet-wasm's streaming ParquetFile API is as fast, but a
 * corrupt page makes it panic inside a microtask: an uncaught RuntimeError and a read that never
 * settles. Only the synchronous readParquet(bytes) fails cleanly, so the store hands it one row
 * group at a time as a file of its own (src/main/storage/parquet/row-group-file.ts).
 */
import { mkdtemp, rm, stat, readFile, writeFile } from 'node:fs/promises';
import { openAsBlob } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadataAsync, parquetScan, type DecodedArray } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteFile } from 'hyparquet-writer';
import {
  Compression,
  ParquetFile,
  readParquet,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet,
} from 'parquet-wasm';
import {
  Field,
  Float64,
  RecordBatch,
  Schema,
  Struct,
  TimestampMillisecond,
  makeData,
  tableFromIPC,
  tableToIPC,
  Table as ArrowTable,
} from 'apache-arrow';
import { openFileBuffer } from '../src/main/storage/parquet/file-buffer';
import { extractRowGroup } from '../src/main/storage/parquet/row-group-file';
import { decodeRowGroup } from '../src/main/storage/parquet/row-group-decoder';
import { resolveStreamColumns } from '../src/main/storage/parquet/stream-columns';

const ROWS = Number(process.argv[2] ?? 1_200_000);
const GROUP = 65_536;
const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
const RUNS = 3;

type Columns = { timestamp: Float64Array; values: Float64Array[] };

function makeBars(rows: number): Columns {
  const timestamp = new Float64Array(rows);
  const values = FIELDS.map(() => new Float64Array(rows));
  const [open, high, low, close, volume] = values;
  let price = 100;
  const t0 = Date.UTC(2024, 0, 2, 14, 30);
  for (let i = 0; i < rows; i++) {
    timestamp[i] = t0 + i * 1000;
    const o = price;
    price = Math.max(1, price + (Math.random() - 0.5) * 0.2);
    const c = Math.round(price * 100) / 100;
    open[i] = Math.round(o * 100) / 100;
    close[i] = c;
    high[i] = Math.max(open[i], c) + 0.01;
    low[i] = Math.min(open[i], c) - 0.01;
    volume[i] = Math.floor(Math.random() * 5000);
  }
  return { timestamp, values };
}

function writeWithHyparquet(path: string, data: Columns): void {
  parquetWriteFile({
    filename: path,
    codec: 'SNAPPY',
    rowGroupSize: GROUP,
    columnData: [
      {
        name: 'timestamp',
        data: Array.from(data.timestamp, (ms) => BigInt(ms)),
        type: 'TIMESTAMP',
        nullable: false,
      },
      ...FIELDS.map((name, i) => ({
        name,
        data: data.values[i],
        type: 'DOUBLE' as const,
        nullable: false,
      })),
    ],
  });
}

/** `nullable` decides OPTIONAL (what pandas/pyarrow write) versus REQUIRED columns. */
function writeWithWasm(path: string, data: Columns, nullable: boolean): Promise<void> {
  const length = data.timestamp.length;
  const fields = [
    new Field('timestamp', new TimestampMillisecond(), nullable),
    ...FIELDS.map((name) => new Field(name, new Float64(), nullable)),
  ];
  const children = [
    makeData({
      type: new TimestampMillisecond(),
      length,
      data: BigInt64Array.from(data.timestamp, (ms) => BigInt(ms)),
    }),
    ...data.values.map((values) => makeData({ type: new Float64(), length, data: values })),
  ];
  const batch = new RecordBatch(
    new Schema(fields),
    makeData({ type: new Struct(fields), length, children }),
  );
  const ipc = tableToIPC(new ArrowTable([batch]), 'stream');
  const props = new WriterPropertiesBuilder()
    .setCompression(Compression.ZSTD)
    .setMaxRowGroupSize(GROUP)
    .build();
  return writeFile(path, writeParquet(WasmTable.fromIPCStream(ipc), props));
}

/** hyparquet: one row group at a time, fetched through a file handle. */
async function readHyparquet(path: string): Promise<number> {
  const file = await openFileBuffer(path);
  try {
    const metadata = await parquetMetadataAsync(file);
    const scan = await parquetScan({
      file,
      metadata,
      compressors,
      parsers: {
        timestampFromMilliseconds: (v: bigint) => Number(v),
        timestampFromMicroseconds: (v: bigint) => Number(v / 1000n),
        timestampFromNanoseconds: (v: bigint) => Number(v / 1_000_000n),
      },
    });
    let rows = 0;
    for (const { rowStart, rowEnd } of scan.ranges) {
      const cols = await Promise.all(
        ['timestamp', ...FIELDS].map((column) => scan.readColumn({ column, rowStart, rowEnd })),
      );
      const f64 = cols.map(toFloat64);
      rows += f64[0].length;
    }
    return rows;
  } finally {
    await file.close();
  }
}

function toFloat64(data: DecodedArray): Float64Array {
  if (data instanceof Float64Array) return data;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  return out;
}

/** parquet-wasm over a lazily read Blob (fs.openAsBlob): one row group per read. */
async function readWasmBlob(path: string): Promise<number> {
  const file = await ParquetFile.fromFile(await openAsBlob(path));
  try {
    const groups = file.metadata().numRowGroups();
    let rows = 0;
    for (let g = 0; g < groups; g++) {
      const table = await file.read({ rowGroups: [g], batchSize: GROUP });
      rows += arrowToFloat64(tableFromIPC(table.intoIPCStream()));
    }
    return rows;
  } finally {
    file.free();
  }
}

/**
 * What the store does: hyparquet reads the footer, each row group's column chunks become a small
 * parquet file, and parquet-wasm's synchronous reader decodes it.
 */
async function readWasmRowGroupFiles(path: string): Promise<number> {
  const file = await openFileBuffer(path);
  try {
    const metadata = await parquetMetadataAsync(file);
    const columns = resolveStreamColumns(metadata, 'bars', path);
    let rows = 0;
    for (let g = 0; g < metadata.row_groups.length; g++) {
      const bytes = await extractRowGroup(file, metadata, g, columns.names, columns.elements);
      rows += decodeRowGroup(bytes, columns, 0, Number(metadata.row_groups[g].num_rows)).length;
    }
    return rows;
  } finally {
    await file.close();
  }
}

/** parquet-wasm with the whole file in memory (an upper bound; not bounded-memory). */
async function readWasmBytes(path: string): Promise<number> {
  const bytes = new Uint8Array(await readFile(path));
  const groups = Math.ceil(ROWS / GROUP);
  let rows = 0;
  for (let g = 0; g < groups; g++) {
    const table = readParquet(bytes, { rowGroups: [g], batchSize: GROUP });
    rows += arrowToFloat64(tableFromIPC(table.intoIPCStream()));
  }
  return rows;
}

function arrowToFloat64(table: ArrowTable): number {
  const ts = table.getChild('timestamp')!;
  const t = new Float64Array(ts.length);
  let i = 0;
  for (const chunk of ts.data) {
    const raw = chunk.values as BigInt64Array;
    for (let j = 0; j < chunk.length; j++) t[i++] = Number(raw[j]);
  }
  for (const name of FIELDS) {
    const values = table.getChild(name)!.toArray() as Float64Array;
    if (!(values instanceof Float64Array)) throw new Error(`${name} not Float64`);
  }
  return t.length;
}

async function time(label: string, fn: () => Promise<number>): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    const rows = await fn();
    const ms = performance.now() - start;
    if (rows !== ROWS) throw new Error(`${label}: read ${rows} rows, expected ${ROWS}`);
    best = Math.min(best, ms);
  }
  const rate = ROWS / (best / 1000);
  console.log(
    `${label.padEnd(50)} ${best.toFixed(0).padStart(6)} ms  ${(rate / 1e6).toFixed(2)} M rows/s`,
  );
  return rate;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tapedeck-bench-'));
  try {
    const data = makeBars(ROWS);
    const hyFile = join(dir, 'hyparquet-snappy.parquet');
    const optionalFile = join(dir, 'wasm-zstd-optional.parquet');
    const requiredFile = join(dir, 'wasm-zstd-required.parquet');
    writeWithHyparquet(hyFile, data);
    await writeWithWasm(optionalFile, data, true);
    await writeWithWasm(requiredFile, data, false);
    console.log(`${ROWS} rows x 6 columns, row groups of ${GROUP}; best of ${RUNS} runs`);
    for (const [name, path] of [
      ['hyparquet-writer SNAPPY, REQUIRED, plain', hyFile],
      ['arrow-rs ZSTD, OPTIONAL, dictionary', optionalFile],
      ['arrow-rs ZSTD, REQUIRED, dictionary', requiredFile],
    ] as const) {
      const size = (await stat(path)).size;
      console.log(`\nfile: ${name} (${(size / 1e6).toFixed(1)} MB)`);
      await time('  hyparquet (file handle, row group at a time)', () => readHyparquet(path));
      await time('  parquet-wasm (openAsBlob, row group at a time)', () => readWasmBlob(path));
      await time('  parquet-wasm (whole file in memory)', () => readWasmBytes(path));
      await time('  parquet-wasm (row-group files, sync) [store]', () =>
        readWasmRowGroupFiles(path),
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
