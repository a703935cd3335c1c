/**
 * Moves an old flat-layout parquet store to the Hive-style partitioned layout, in place and
 * all or nothing. Files are never rewritten: each one gets its new name as a hard link (a copy
 * where the filesystem has none), so the bytes, footers and mtimes stay as they were.
 *
 *   1. under the import lock, finish any interrupted import, and plan: old path → new path
 *      (a new path already holding the same bytes makes that move a duplicate; different bytes
 *      refuse the whole migration before anything changes);
 *   2. write the journal `<data>/parquet/.layout-migration.json` (phase "linking");
 *   3. link every old file to its new path, fsync the new folders;
 *   4. rewrite the journal with phase "committed": the point of no return;
 *   5. remove the old names, then the journal.
 *
 * THE RULE for a crash at any instant: until step 4 the old layout is complete and recovery
 * removes the new links (roll back); from step 4 the new layout is complete and recovery
 * removes the old names (roll forward). Readers settle a journal before reading (store-check),
 * so they see one whole layout, never a mix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parquetRoot, streamFilePath, streamKey } from '../parquet/parquet-layout';
import { acquireImportLock } from '../import/import-lock';
import { sqliteUserVersion } from '../import/sqlite-commit';
import { fsyncDir, recoverStaging, removeIfEmpty } from '../import/staging';
import { legacyIntervalDirs, listLegacyFiles } from './legacy-layout';

export const JOURNAL_FILE = '.layout-migration.json';

interface Move {
  /** Old path, relative to the parquet root. */
  from: string;
  /** New path, relative to the parquet root. */
  to: string;
  /** The new path already held these bytes: only the old name goes. */
  duplicate?: true;
}

interface Journal {
  version: 1;
  phase: 'linking' | 'committed';
  moves: Move[];
}

export interface MigrationProgress {
  phase: 'linking' | 'removing';
  done: number;
  total: number;
}

/** Test hooks: throw from one to simulate a crash at that point. */
export interface MigrationFaults {
  beforeLink?(index: number): void;
  afterLinked?(): void;
  beforeRemove?(index: number): void;
}

export interface MigrationOptions {
  onProgress?: (p: MigrationProgress) => void;
  faults?: MigrationFaults;
}

export interface MigrationResult {
  /** Files given their partitioned name. */
  moved: number;
  /** Old files whose partition already held the same bytes. */
  duplicates: number;
}

/** Raised when the store cannot be migrated as it is; nothing was changed. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function journalPath(dataDir: string): string {
  return path.join(parquetRoot(dataDir), JOURNAL_FILE);
}

/**
 * Migrates `dataDir`'s parquet store; a store already partitioned is a no-op (moved 0). A
 * failure part-way rolls back before returning when it can, and is left to THE RULE otherwise.
 */
export async function migrateLayout(
  dataDir: string,
  options: MigrationOptions = {},
): Promise<MigrationResult> {
  const data = path.resolve(dataDir);
  const lock = acquireImportLock(data);
  try {
    recoverStaging(data, sqliteUserVersion);
    settleJournal(data);
    const moves = planMoves(data);
    if (moves.length === 0) return { moved: 0, duplicates: 0 };
    const journal: Journal = { version: 1, phase: 'linking', moves };
    writeJournal(data, journal);
    try {
      await linkAll(data, moves, options);
      options.faults?.afterLinked?.();
    } catch (error) {
      rollBack(data, journal);
      fs.rmSync(journalPath(data));
      throw error;
    }
    writeJournal(data, { ...journal, phase: 'committed' });
    await removeOld(data, moves, options);
    fs.rmSync(journalPath(data));
    fsyncDir(parquetRoot(data));
    const duplicates = moves.filter((m) => m.duplicate).length;
    return { moved: moves.length - duplicates, duplicates };
  } finally {
    lock.release();
  }
}

/**
 * Finishes or undoes a migration a crash interrupted, by THE RULE; true when there was one.
 * Call it holding the import lock.
 */
export function settleJournal(dataDir: string): boolean {
  const file = journalPath(dataDir);
  if (!fs.existsSync(file)) return false;
  let journal: Journal;
  try {
    journal = JSON.parse(fs.readFileSync(file, 'utf8')) as Journal;
  } catch (error) {
    // Written by rename, so never torn: an unreadable journal was damaged from outside, and
    // guessing its phase could delete the only copy of a day.
    throw new MigrationError(
      `${file}: the layout migration journal cannot be read (${(error as Error).message}); ` +
        'check which layout holds every file, then remove the journal',
    );
  }
  if (journal.phase === 'committed') {
    for (const move of journal.moves) fs.rmSync(abs(dataDir, move.from), { force: true });
    removeEmptyLegacyDirs(dataDir);
  } else {
    rollBack(dataDir, journal);
  }
  fs.rmSync(file);
  fsyncDir(parquetRoot(dataDir));
  return true;
}

function planMoves(dataDir: string): Move[] {
  const root = parquetRoot(dataDir);
  const moves: Move[] = [];
  const conflicts: string[] = [];
  for (const file of listLegacyFiles(dataDir)) {
    const key = streamKey({ symbol: file.symbol, type: file.kind, interval: file.interval });
    const target = streamFilePath(dataDir, key, file.date);
    const move: Move = { from: path.relative(root, file.path), to: path.relative(root, target) };
    if (fs.existsSync(target)) {
      if (!sameBytes(file.path, target)) {
        conflicts.push(`${file.path} and ${target} hold different data`);
        continue;
      }
      move.duplicate = true;
    }
    moves.push(move);
  }
  if (conflicts.length > 0) {
    throw new MigrationError(
      `Nothing was migrated: ${conflicts.length} day(s) exist in both layouts with different ` +
        `data; keep one file of each pair and run the migration again:\n  ${conflicts.join('\n  ')}`,
    );
  }
  return moves;
}

async function linkAll(dataDir: string, moves: Move[], options: MigrationOptions): Promise<void> {
  // Every folder that gained an entry (a link, or a folder made for one) is fsynced before the
  // commit point, so a power cut after it cannot lose a new name.
  const root = parquetRoot(dataDir);
  const dirs = new Set<string>();
  const total = moves.length;
  for (let i = 0; i < total; i++) {
    options.faults?.beforeLink?.(i);
    const move = moves[i]!;
    if (!move.duplicate) {
      const target = abs(dataDir, move.to);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      await linkOrCopy(abs(dataDir, move.from), target);
      for (
        let dir = path.dirname(target);
        dir !== root && !dirs.has(dir);
        dir = path.dirname(dir)
      ) {
        dirs.add(dir);
      }
    }
    options.onProgress?.({ phase: 'linking', done: i + 1, total });
  }
  dirs.add(root);
  for (const dir of dirs) fsyncDir(dir);
}

async function removeOld(dataDir: string, moves: Move[], options: MigrationOptions): Promise<void> {
  const total = moves.length;
  for (let i = 0; i < total; i++) {
    options.faults?.beforeRemove?.(i);
    await fs.promises.rm(abs(dataDir, moves[i]!.from), { force: true });
    options.onProgress?.({ phase: 'removing', done: i + 1, total });
  }
  removeEmptyLegacyDirs(dataDir);
}

/** Removes every new name the migration created, and the folders left empty by that. */
function rollBack(dataDir: string, journal: Journal): void {
  const root = parquetRoot(dataDir);
  for (const move of journal.moves) {
    if (move.duplicate) continue;
    const target = abs(dataDir, move.to);
    fs.rmSync(target, { force: true });
    // date=…, symbol=…, interval=… for bars: up to (not including) the type's dataset.
    for (let dir = path.dirname(target); path.dirname(dir) !== root; dir = path.dirname(dir)) {
      removeIfEmpty(dir);
    }
  }
}

function removeEmptyLegacyDirs(dataDir: string): void {
  for (const dir of legacyIntervalDirs(dataDir)) removeIfEmpty(dir);
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await fs.promises.link(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
    // Filesystems without hard links (FAT, some network shares): a durable copy, same mtime,
    // since the fill source tells changed files by it.
    await fs.promises.copyFile(from, to);
    const info = await fs.promises.stat(from);
    await fs.promises.utimes(to, info.atime, info.mtime);
    const handle = await fs.promises.open(to, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

function sameBytes(a: string, b: string): boolean {
  const sa = fs.statSync(a);
  const sb = fs.statSync(b);
  if (!sb.isFile() || sa.size !== sb.size) return false;
  if (sa.ino === sb.ino && sa.dev === sb.dev) return true;
  return fs.readFileSync(a).equals(fs.readFileSync(b));
}

function abs(dataDir: string, relative: string): string {
  return path.join(parquetRoot(dataDir), relative);
}

function writeJournal(dataDir: string, journal: Journal): void {
  const file = journalPath(dataDir);
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, JSON.stringify(journal));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}
