/**
 * The parquet side of an all-or-nothing import: a staging directory inside the store, a
 * manifest that marks the point of no return, and the rename phase.
 *
 *   <data>/parquet/.staging-<id>/parts/<n>.parquet   finished partition files (fsynced)
 *   <data>/parquet/.staging-<id>/spill/              the spool's spill files
 *   <data>/parquet/.staging-<id>/backup/<n>.parquet  hard links to the files being replaced
 *   <data>/parquet/.staging-<id>/manifest.json       written last, atomically
 *
 * THE RULE (for a crash at any instant): an import without a manifest never happened, and
 * recovery deletes its staging directory (roll back: no canonical file was touched, since
 * renames start only after the manifest). An import with a manifest is committed, and recovery
 * finishes its renames (roll forward: every part it names was fsynced before the manifest).
 * When the import also writes SQLite, the manifest records the database's user_version the
 * import's transaction sets; recovery rolls forward only if the database shows it (the
 * transaction committed) and rolls back otherwise, so both stores always agree.
 *
 * Readers only list canonical names, so a staging directory is never read as data; and before
 * reading they finish a committed one (interrupted-import.ts), so they never see a mix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parquetRoot } from '../parquet/parquet-layout';

export const STAGING_PREFIX = '.staging-';
const MANIFEST = 'manifest.json';

export interface ManifestEntry {
  /** The staged file, relative to the staging directory. */
  part: string;
  /** The canonical file, relative to the data directory. */
  target: string;
}

export interface Manifest {
  id: string;
  entries: ManifestEntry[];
  /** Set when SQLite is written too: the user_version its committed transaction leaves. */
  sqlite?: { file: string; userVersion: number };
}

export class Staging {
  readonly dir: string;
  readonly partsDir: string;
  readonly spillDir: string;
  private readonly entries: ManifestEntry[] = [];
  private partCounter = 0;

  constructor(
    readonly dataDir: string,
    readonly id: string = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
  ) {
    this.dir = path.join(parquetRoot(dataDir), `${STAGING_PREFIX}${id}`);
    this.partsDir = path.join(this.dir, 'parts');
    this.spillDir = path.join(this.dir, 'spill');
  }

  create(): void {
    fs.mkdirSync(this.partsDir, { recursive: true });
  }

  /** A fresh path for a staged file that will replace (or create) `target`. */
  addPart(target: string): string {
    const part = path.join('parts', `${this.partCounter++}.parquet`);
    this.entries.push({ part, target: path.relative(this.dataDir, target) });
    return path.join(this.dir, part);
  }

  /** Drops a staged part again (its partition was re-opened). */
  removePart(file: string): void {
    const index = this.entries.findIndex((e) => path.join(this.dir, e.part) === file);
    if (index >= 0) this.entries.splice(index, 1);
    fs.rmSync(file, { force: true });
  }

  get size(): number {
    return this.entries.length;
  }

  /** The point of no return for the parquet side (see THE RULE above). */
  writeManifest(sqlite?: Manifest['sqlite']): void {
    for (const entry of this.entries) fsyncFile(path.join(this.dir, entry.part));
    fsyncDir(this.partsDir);
    const manifest: Manifest = {
      id: this.id,
      entries: this.entries,
      ...(sqlite ? { sqlite } : {}),
    };
    writeFileDurably(path.join(this.dir, MANIFEST), JSON.stringify(manifest));
  }

  /**
   * Renames every staged part over its target. A failure part-way puts back every file already
   * replaced (from its hard-link backup) and removes every file created, then rethrows: the
   * store is as it was. `beforeRename` is a test hook for injected failures.
   */
  publish(beforeRename?: (index: number) => void): void {
    const done: { target: string; backup: string | null }[] = [];
    const touchedDirs = new Set<string>();
    const createdDirs: string[] = [];
    try {
      this.entries.forEach((entry, index) => {
        beforeRename?.(index);
        const target = path.join(this.dataDir, entry.target);
        const dir = path.dirname(target);
        createdDirs.push(...mkdirs(dir));
        touchedDirs.add(dir);
        let backup: string | null = null;
        if (fs.existsSync(target)) {
          backup = path.join(this.dir, 'backup', path.basename(entry.part));
          fs.mkdirSync(path.dirname(backup), { recursive: true });
          linkOrCopy(target, backup);
        }
        fs.renameSync(path.join(this.dir, entry.part), target);
        done.push({ target, backup });
      });
      for (const dir of touchedDirs) fsyncDir(dir);
    } catch (error) {
      for (const { target, backup } of done.reverse()) {
        if (backup) fs.renameSync(backup, target);
        else fs.rmSync(target, { force: true });
      }
      for (const dir of createdDirs.reverse()) removeIfEmpty(dir);
      throw error;
    }
  }

  /** Removes the staging directory (and the parquet root, when this import created it). */
  remove(createdRoot: boolean): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    if (createdRoot) removeIfEmpty(parquetRoot(this.dataDir));
  }
}

export interface RecoveryReport {
  rolledForward: string[];
  rolledBack: string[];
}

/**
 * Finishes or undoes every import a crash interrupted, by THE RULE. `sqliteUserVersion` reads
 * a database's user_version (null when the file is gone); it is passed in so this file needs
 * no database code. Call it holding the import lock.
 */
export function recoverStaging(
  dataDir: string,
  sqliteUserVersion: (file: string) => number | null,
): RecoveryReport {
  const report: RecoveryReport = { rolledForward: [], rolledBack: [] };
  const root = parquetRoot(dataDir);
  let names: string[];
  try {
    names = fs.readdirSync(root).filter((n) => n.startsWith(STAGING_PREFIX));
  } catch {
    return report;
  }
  for (const name of names) {
    const dir = path.join(root, name);
    const manifest = readManifest(path.join(dir, MANIFEST));
    const committed =
      manifest !== null &&
      (!manifest.sqlite ||
        (sqliteUserVersion(manifest.sqlite.file) ?? -1) >= manifest.sqlite.userVersion);
    if (manifest && committed) {
      for (const entry of manifest.entries) {
        const part = path.join(dir, entry.part);
        if (!fs.existsSync(part)) continue;
        const target = path.join(dataDir, entry.target);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.renameSync(part, target);
      }
      report.rolledForward.push(dir);
    } else {
      report.rolledBack.push(dir);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

/** Whether a staging directory reached its point of no return (a complete manifest). */
export function hasManifest(dir: string): boolean {
  return readManifest(path.join(dir, MANIFEST)) !== null;
}

function readManifest(file: string): Manifest | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch {
    // Absent, or torn by a crash while it was written: either way the import never committed
    // (writeFileDurably renames a complete file into place, so a torn one cannot be named so).
    return null;
  }
}

function writeFileDurably(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Directories fsync on POSIX; Windows refuses to open them, and NTFS journals renames. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort where the platform does not allow it
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function linkOrCopy(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    // Filesystems without hard links (FAT, some network shares): a copy is slower but as safe.
    fs.copyFileSync(from, to);
  }
}

/** Creates `dir` and missing parents; returns those it created, outermost first. */
function mkdirs(dir: string): string[] {
  const missing: string[] = [];
  let at = dir;
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) fs.mkdirSync(d);
  return missing;
}

export function removeIfEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty, or already gone
  }
}
