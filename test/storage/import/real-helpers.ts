/**
 * What the real-data import tests share: where the vendor files are, importing them into a
 * temporary data directory through the same path the CLI takes (openImportReader, then the
 * all-or-nothing commit), replaying the result through a real headless session, and DuckDB as
 * the independent reader of the source files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { unzipSync } from 'fflate';
import { createDataStore } from '../../../src/main/host/data-store';
import { openSession, type Session } from '../../../src/main/host/session-host';
import { commitImport } from '../../../src/main/storage/import/import-commit';
import type { ImportOptions } from '../../../src/main/storage/import/import-types';
import { openImportReader } from '../../../src/main/storage/import/open-import-reader';
import type { ImportResult } from '../../../src/shared/import-contract';
import { parseSessionConfig } from '../../../src/shared/session-config';
import type { StreamType } from '../../../src/shared/stream-types';
import { outsidePath } from '../../outside-data';

/** `../shared/data/real` from the repository root, found from this file. */
export const REAL_DATA = outsidePath('real');

/** A folder under the real-data root, or null (the suite skips and says why). */
export function realFolder(name: string): string | null {
  const dir = join(REAL_DATA, name);
  return existsSync(join(dir, 'SOURCE.txt')) ? dir : null;
}

export const MISSING_REASON = `the real vendor data is not present at ${REAL_DATA}`;

const temps: string[] = [];

export function tempDir(prefix = 'tapedeck-real-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Imports each file (its own options) into the parquet store of `dataDir`, in one commit. */
export async function importFiles(
  dataDir: string,
  files: Array<{ file: string; options?: ImportOptions }>,
): Promise<ImportResult> {
  const readers = await Promise.all(files.map((f) => openImportReader(f.file)));
  async function* chunks() {
    for (const [i, reader] of readers.entries()) yield* reader.read(files[i]!.options ?? {});
  }
  return commitImport(chunks(), {
    dataDir,
    to: 'parquet',
    files: files.map((f) => f.file),
  });
}

export interface StreamSpec {
  type: StreamType;
  symbol: string;
  interval?: '1s' | '1m';
}

/** Replays the streams of `dataDir` through a headless session at full speed. */
export async function replay(
  dataDir: string,
  streams: StreamSpec[],
  calendar: 'XNYS' | '24x7' = 'XNYS',
): Promise<Session> {
  const parsed = parseSessionConfig({
    session_name: 'real-data',
    calendar,
    data_streams: streams.map((s) => (s.type === 'bars' ? s : { type: s.type, symbol: s.symbol })),
    session_data_config: { data_upkeep: { derived_intervals: ['5m', '30m'] } },
    backtest_config: { speed_multiplier: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const store = createDataStore(parsed.config, dataDir);
  if (!store.ok) throw new Error(store.problems.join('\n'));
  const session = await openSession(parsed.config, store.store, { speed: 0, fillSource: null });
  await session.coordinator.start();
  store.store.close();
  return session;
}

/** What a session holds for one stream, as plain arrays: timestamp, then each field. */
export function sessionColumns(session: Session, symbol: string, type: StreamType): number[][] {
  const data = session.sessionData.getSymbolData(symbol);
  if (!data) throw new Error(`the session holds nothing for ${symbol}`);
  // Base bars of days a bounded session released are read back through its history.
  const store =
    type === 'bars'
      ? session.history.between(symbol, data.base_interval!)
      : type === 'quotes'
        ? data.quotes
        : data.ticks;
  const n = store.length;
  return [
    Array.from(store.timestamp.subarray(0, n)),
    ...store.values.map((col) => Array.from(col.subarray(0, n))),
  ];
}

/** A LEAN zip's CSV, unzipped to a temporary file for DuckDB (which cannot read inside zips). */
export function unzipToCsv(zipFile: string, numberLines = false): string {
  const entries = Object.entries(unzipSync(readFileSync(zipFile)));
  if (entries.length !== 1) throw new Error(`${zipFile} holds ${entries.length} files`);
  let text = new TextDecoder().decode(entries[0]![1]);
  if (numberLines) {
    // DuckDB gives no source order for CSV rows; the line number keeps it.
    text = text
      .split(/\r?\n/)
      .filter((l) => l !== '')
      .map((l, i) => `${i + 1},${l}`)
      .join('\n');
  }
  const out = join(tempDir('tapedeck-csv-'), basename(entries[0]![0]));
  writeFileSync(out, text);
  return out;
}

/** Runs `query` in a fresh in-memory DuckDB and returns its rows as numbers, column-major. */
export async function duckColumns(
  query: string,
  setup: (db: DuckDBConnection) => Promise<void> = async () => {},
): Promise<number[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run(`SET TimeZone = 'UTC'`);
    await setup(db);
    const reader = await db.runAndReadAll(query);
    const rows = reader.getRows();
    const width = reader.columnCount;
    return Array.from({ length: width }, (_, k) => rows.map((r) => Number(r[k])));
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

export function sql(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** The first place two column sets differ, or null; exact comparison (Object.is). */
export function firstDifference(
  ours: number[][],
  theirs: number[][],
  names: string[],
): string | null {
  if (ours.length !== theirs.length) return `${ours.length} columns vs ${theirs.length}`;
  const rows = Math.max(...ours.map((c) => c.length), ...theirs.map((c) => c.length));
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < ours.length; k++) {
      if (!Object.is(ours[k]![i], theirs[k]![i])) {
        return `row ${i}, ${names[k]}: ours ${ours[k]![i]} vs DuckDB ${theirs[k]![i]} (${ours[0]!.length} vs ${theirs[0]!.length} rows)`;
      }
    }
  }
  return null;
}
