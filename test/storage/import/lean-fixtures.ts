/**
 * Small LEAN zips written by the tests themselves (fflate zipSync), laid out as LEAN lays out
 * its data folder, with the line-end quirks real files have.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type {
  ImportChunk,
  ImportOptions,
  ImportReader,
} from '../../../src/main/storage/import/import-types';

export interface LeanZipOptions {
  /** Line ends (default LF). */
  crlf?: boolean;
  /** Whether the last row ends with a line end (default false, as in most LEAN files). */
  trailingNewline?: boolean;
}

/** Writes `<root>/<relativePath>` holding one CSV `innerName` with `rows`; returns its path. */
export function writeLeanZip(
  root: string,
  relativePath: string,
  innerName: string,
  rows: string[],
  options: LeanZipOptions = {},
): string {
  const eol = options.crlf ? '\r\n' : '\n';
  const text = rows.join(eol) + (options.trailingNewline ? eol : '');
  const file = join(root, relativePath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, zipSync({ [innerName]: strToU8(text) }));
  return file;
}

/** Milliseconds since midnight for `HH:MM[:SS]`. */
export function msOfDay(clock: string): number {
  const [h, m, s = '0'] = clock.split(':');
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}

/** Every row a reader yields, concatenated into plain arrays. */
export async function readAll(
  reader: ImportReader,
  options: ImportOptions = {},
): Promise<{ chunks: ImportChunk[]; timestamp: number[]; values: number[][] }> {
  const chunks: ImportChunk[] = [];
  const timestamp: number[] = [];
  let values: number[][] = [];
  for await (const chunk of reader.read(options)) {
    chunks.push(chunk);
    if (values.length === 0) values = chunk.values.map(() => []);
    timestamp.push(...chunk.timestamp.subarray(0, chunk.length));
    chunk.values.forEach((col, k) => values[k]!.push(...col.subarray(0, chunk.length)));
  }
  return { chunks, timestamp, values };
}

/** A temporary directory removed by the returned cleanup. */
export function tempRoot(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
