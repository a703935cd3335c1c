/**
 * A sweep's first windows decoded once, by the sweep's own process while its workers start, and
 * handed to each worker with its first run. Decoding a window was a worker's costliest first
 * step after its start (loading and compiling parquet-wasm, then decoding with cold code), and
 * every worker paid it for the same files; a worker given the slabs never loads parquet-wasm.
 * What a worker is given is what its own decode would have kept (the same reader, slab size
 * and file stamp), so its rows cannot differ; a file changed since is decoded by the worker.
 */
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionConfig } from '../../shared/session-config';
import type { SweepWindow } from '../../shared/sweep-spec';
import { parquetDir } from '../host/data-store';
import { streamKeys } from '../host/session-host';
import type { OpenedStreamFile } from '../storage/parquet/parquet-file-reader';
import { ParquetStreamSource } from '../storage/parquet/parquet-source';
import { SlabCache, slabsOf, type KeptFile } from '../storage/parquet/slab-cache';
import { writeSlabFile } from '../storage/parquet/slab-file';

/**
 * The most decoded here for one sweep: a larger window is left to the workers, as before. The
 * slabs are let go once written: the app's process runs sweeps now and then, and keeping them
 * between sweeps would hold this much memory for a few hundred milliseconds saved.
 */
export const WINDOW_SLAB_BYTES = 256 * 1024 * 1024;

/**
 * The decoded files of `windows` for the parquet store `config` streams from; empty for other
 * stores, for windows over the budget, and for files that do not decode (the worker's own
 * read then reports them, as it would have anyway). Never throws.
 */
export async function decodeWindows(
  config: SessionConfig,
  dataDir: string,
  windows: readonly SweepWindow[],
  budget: number = WINDOW_SLAB_BYTES,
): Promise<KeptFile[]> {
  if (config.data_source.type !== 'parquet') return [];
  const kept = new SlabCache(budget);
  const source = new ParquetStreamSource(parquetDir(config, dataDir), { slabCache: kept });
  const files = new Map<string, OpenedStreamFile>();
  for (const window of windows) {
    for (const key of streamKeys(config)) {
      const opened = await source.openFiles(key, window).catch(() => []);
      for (const file of opened) files.set(file.path, file);
    }
  }
  // Decoded columns are Float64: rows × columns × 8 bytes, known from the footers.
  let bytes = 0;
  for (const file of files.values()) bytes += file.rows * file.columns.names.length * 8;
  if (bytes > budget) return [];
  for (const file of files.values()) {
    try {
      // Read as a session's cursor reads it, so the slabs land under the key it looks up.
      for await (const _slab of slabsOf(file, undefined, kept));
    } catch {
      // Left to the worker, whose error names the file and row.
    }
  }
  return kept.kept().filter((file) => files.has(file.path));
}

/** The distinct windows of the first `count` runs: those the workers start on. */
export function firstWindows(
  runs: readonly { window: SweepWindow }[],
  count: number,
): SweepWindow[] {
  const windows = new Map<string, SweepWindow>();
  for (const { window } of runs.slice(0, count)) {
    windows.set(`${window.start_date}/${window.end_date}`, window);
  }
  return [...windows.values()];
}

let written = 0;
const SLAB_FILE_PREFIX = 'tapedeck-sweep-';
const SLAB_FILE = /^tapedeck-sweep-(\d+)-\d+\.slabs$/;

/**
 * Deletes the slab files of sweep processes no longer running: one that died (killed, crashed)
 * before its sweep ended left its file behind. Files of live processes are theirs to remove.
 */
export function removeOrphans(dir: string = tmpdir()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const owner = SLAB_FILE.exec(name);
    if (!owner || running(Number(owner[1]))) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function running(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A slab file for this sweep's workers; `remove` deletes it once they have all started. */
export interface WindowSlabFile {
  path: string;
  remove(): void;
}

/**
 * decodeWindows written to a slab file in the temporary folder; null when there is nothing to
 * hand over or it cannot be written (each worker then decodes, as before). Never throws.
 */
export async function windowSlabFile(
  config: SessionConfig,
  dataDir: string,
  windows: readonly SweepWindow[],
): Promise<WindowSlabFile | null> {
  removeOrphans();
  const files = await decodeWindows(config, dataDir, windows).catch(() => []);
  if (files.length === 0) return null;
  const path = join(tmpdir(), `${SLAB_FILE_PREFIX}${process.pid}-${++written}.slabs`);
  const remove = (): void => rmSync(path, { force: true });
  try {
    writeSlabFile(path, files);
    return { path, remove };
  } catch {
    remove();
    return null;
  }
}
