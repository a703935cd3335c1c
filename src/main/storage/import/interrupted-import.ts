/**
 * What a reader does about an import a crash interrupted. Past its point of no return (the
 * staging manifest) an import is committed, but until its renames finish the store holds a mix
 * of new and old partitions. A reader (the catalog, a session opening) therefore first finishes
 * it by THE RULE of staging.ts, under the import lock, as the next import would; when another
 * import holds the lock and is publishing right now, the reader refuses instead of reading a mix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parquetRoot } from '../parquet/parquet-layout';
import { acquireImportLock, ImportBusyError } from './import-lock';
import { sqliteUserVersion } from './sqlite-commit';
import { hasManifest, recoverStaging, STAGING_PREFIX } from './staging';

export type SettleResult = { ok: true; rolledForward: string[] } | { ok: false; problem: string };

export function settleInterruptedImports(dataDir: string): SettleResult {
  const root = parquetRoot(dataDir);
  let staged: string[];
  try {
    staged = fs.readdirSync(root).filter((n) => n.startsWith(STAGING_PREFIX));
  } catch {
    return { ok: true, rolledForward: [] };
  }
  if (staged.length === 0) return { ok: true, rolledForward: [] };
  const committed = staged.filter((n) => hasManifest(path.join(root, n)));
  let lock;
  try {
    lock = acquireImportLock(dataDir);
  } catch (error) {
    // An import still writing its staging directory is invisible to readers: read on.
    if (committed.length === 0) return { ok: true, rolledForward: [] };
    const why =
      error instanceof ImportBusyError
        ? 'another import is moving its files into place right now; try again in a moment'
        : `an interrupted import must be finished first, and the import lock cannot be taken (${(error as Error).message})`;
    return { ok: false, problem: `${dataDir}: ${why}` };
  }
  try {
    return { ok: true, rolledForward: recoverStaging(dataDir, sqliteUserVersion).rolledForward };
  } catch (error) {
    return {
      ok: false,
      problem: `${dataDir}: an interrupted import could not be finished (${(error as Error).message}); run an import to retry`,
    };
  } finally {
    lock.release();
  }
}
