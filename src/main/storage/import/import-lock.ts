/**
 * One import at a time per data directory: `<data>/.import.lock` holds the importing process's
 * pid. A lock whose process is gone (killed mid-import) is stale and taken over; recovery of
 * its staging directory then runs under the new holder.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = '.import.lock';

export class ImportBusyError extends Error {
  override name = 'ImportBusyError';
}

export interface ImportLock {
  release(): void;
}

export function acquireImportLock(dataDir: string): ImportLock {
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return { release: () => fs.rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readOrEmpty(file));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new ImportBusyError(
          `${dataDir}: another import (process ${holder}) is writing to this data directory; ` +
            `wait for it to finish (or remove ${file} if no import is running).`,
        );
      }
      if (holder === process.pid) {
        throw new ImportBusyError(`${dataDir}: an import is already running in this process.`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new ImportBusyError(`${dataDir}: could not take the import lock ${file}.`);
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
