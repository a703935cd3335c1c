/**
 * One import at a time per data directory: `<data>/.import.lock` holds the importing process's
 * pid and a token of this acquisition. A lock whose process is gone (killed mid-import) is
 * stale and taken over; recovery of its staging directory then runs under the new holder.
 *
 * Why it is built this way (a tight race of competing processes found each weakness):
 * - The lock appears with its content already in it: written to a private file first, then
 *   hard-linked to the lock's name, which fails if a lock exists. A competitor never reads an
 *   empty lock and mistakes it for a stale one.
 * - Staleness is judged only on a readable pid that is not alive; anything else is busy.
 * - Taking a stale lock over happens under a second, short-lived lock (`.import.lock.takeover`),
 *   so two processes cannot both remove it and each install their own.
 * - release() removes the lock only while it still holds our token.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = '.import.lock';
const TAKEOVER_SUFFIX = '.takeover';

export class ImportBusyError extends Error {
  override name = 'ImportBusyError';
}

export interface ImportLock {
  release(): void;
}

export function acquireImportLock(dataDir: string): ImportLock {
  const file = path.join(dataDir, LOCK_FILE);
  const content = `${process.pid} ${randomBytes(8).toString('hex')}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createWith(file, content)) {
      return { release: () => removeIfContent(file, content) };
    }
    const text = readOrNull(file);
    if (text === null) continue; // released meanwhile: try again
    const holder = holderPid(text);
    if (holder === process.pid) {
      throw new ImportBusyError(`${dataDir}: an import is already running in this process.`);
    }
    if (holder === null || isAlive(holder)) {
      throw new ImportBusyError(
        `${dataDir}: another import (${holder === null ? 'unknown process' : `process ${holder}`}) ` +
          `is writing to this data directory; wait for it to finish (or remove ${file} if no ` +
          'import is running).',
      );
    }
    takeOverStale(file, holder);
  }
  throw new ImportBusyError(`${dataDir}: could not take the import lock ${file}.`);
}

/** Creates `file` holding `content`, atomically; false when a file of that name exists. */
function createWith(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(tmp, content, { flag: 'wx' });
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Removes the lock of dead process `pid`, if it is still that one, under the takeover lock. */
function takeOverStale(file: string, pid: number): void {
  const guard = `${file}${TAKEOVER_SUFFIX}`;
  const mine = `${process.pid} ${randomBytes(8).toString('hex')}`;
  if (!createWith(guard, mine)) {
    const other = holderPid(readOrNull(guard));
    // A takeover whose process died mid-way: clear it; the next attempt takes over afresh.
    if (other !== null && other !== process.pid && !isAlive(other)) removeIfContent(guard, null);
    return;
  }
  try {
    // Under the guard nobody else removes the lock, and a live holder never leaves one with a
    // dead pid, so if it still names `pid` it is the same stale lock.
    if (holderPid(readOrNull(file)) === pid) fs.rmSync(file, { force: true });
  } finally {
    removeIfContent(guard, mine);
  }
}

/**
 * Removes `file` if it holds `content` (any content when null): it is renamed aside first and
 * checked there, and put back if it turned out to be someone else's.
 */
function removeIfContent(file: string, content: string | null): void {
  if (content !== null && readOrNull(file) !== content) return;
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.old`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return;
  }
  const found = readOrNull(aside);
  const ours = content === null ? !isAlive(holderPid(found) ?? -1) : found === content;
  if (!ours) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // a new lock was made meanwhile: it stands
    }
  }
  fs.rmSync(aside, { force: true });
}

function holderPid(content: string | null): number | null {
  const pid = Number((content ?? '').trim().split(/\s+/)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
