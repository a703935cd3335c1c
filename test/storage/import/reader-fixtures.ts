/**
 * Fixtures for the import reader tests: CSV (plain and gzip) and parquet files the tests write
 * themselves into a throwaway directory, and helpers to drain a reader into plain arrays.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { SchemaElement } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import {
  ImportError,
  openImportReader,
  type ImportChunk,
  type ImportOptions,
  type ReaderContext,
} from '../../../src/main/storage/import';

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tapedeck-import-'));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function writeCsv(dir: string, name: string, lines: string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, lines.join('\n') + '\n');
  return file;
}

export async function writeGzipCsv(dir: string, name: string, lines: string[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, gzipSync(Buffer.from(lines.join('\n') + '\n')));
  return file;
}

export interface ParquetColumn {
  element: Omit<SchemaElement, 'name'>;
  data: unknown[];
}

/** Writes columns with explicit schema elements (REQUIRED unless given). */
export function writeParquet(
  file: string,
  columns: Record<string, ParquetColumn>,
  options: { codec?: 'SNAPPY' | 'BROTLI' | 'GZIP' | 'UNCOMPRESSED'; rowGroupSize?: number } = {},
): string {
  const names = Object.keys(columns);
  const schema: SchemaElement[] = [
    { name: 'root', num_children: names.length },
    ...names.map((name) => ({
      name,
      repetition_type: 'REQUIRED' as const,
      ...columns[name].element,
    })),
  ];
  parquetWriteFile({
    filename: file,
    schema: schema as Parameters<typeof parquetWriteFile>[0]['schema'],
    columnData: names.map((name) => ({ name, data: columns[name].data })),
    codec: options.codec ?? 'SNAPPY',
    rowGroupSize: options.rowGroupSize ?? 100_000,
    compressors: {
      GZIP: (bytes: Uint8Array) => gzipSync(bytes),
      BROTLI: (bytes: Uint8Array) => brotliCompressSync(bytes),
    },
  });
  return file;
}

export const DOUBLE = { type: 'DOUBLE' } as const;
export const STRING = { type: 'BYTE_ARRAY', converted_type: 'UTF8' } as const;
export const INT64 = { type: 'INT64' } as const;
export function timestampElement(
  unit: 'MILLIS' | 'MICROS' | 'NANOS',
  isAdjustedToUTC = true,
): Omit<SchemaElement, 'name'> {
  return { type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC, unit } };
}

export interface Drained {
  chunks: ImportChunk[];
  /** Per symbol: timestamps and the value columns, concatenated. */
  symbols: Map<string, { timestamp: number[]; values: number[][] }>;
}

export async function drain(
  file: string,
  options: ImportOptions = {},
  context: ReaderContext = {},
): Promise<Drained> {
  const reader = await openImportReader(file, context);
  const chunks: ImportChunk[] = [];
  for await (const chunk of reader.read(options)) chunks.push(chunk);
  const symbols = new Map<string, { timestamp: number[]; values: number[][] }>();
  for (const chunk of chunks) {
    let s = symbols.get(chunk.symbol);
    if (!s) {
      s = { timestamp: [], values: chunk.values.map(() => []) };
      symbols.set(chunk.symbol, s);
    }
    s.timestamp.push(...chunk.timestamp.subarray(0, chunk.length));
    chunk.values.forEach((v, k) => s.values[k].push(...v.subarray(0, chunk.length)));
  }
  return { chunks, symbols };
}

/** The ImportError a read rejects with (fails the test if it resolves). */
export async function readError(
  file: string,
  options: ImportOptions = {},
  context: ReaderContext = {},
): Promise<ImportError> {
  try {
    await drain(file, options, context);
  } catch (err) {
    if (err instanceof ImportError) return err;
    throw err;
  }
  throw new Error(`expected ${file} to be refused`);
}

/** `n` valid CSV bar lines from `start` (UTC ms), `stepMs` apart, ISO timestamps. */
export function barLines(n: number, start: number, stepMs: number, format = isoSeconds): string[] {
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < n; i++) {
    const open = 100 + i * 0.5;
    lines.push(
      `${format(start + i * stepMs)},${open},${open + 1},${open - 1},${open + 0.25},${10 + i}`,
    );
  }
  return lines;
}

/** `2024-03-04 14:30:00` (naive, from UTC ms). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
