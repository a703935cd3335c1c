/**
 * What every reader of a parquet store does before reading: finish an import or a layout
 * migration a crash interrupted (each by its own rule, under the import lock), then make sure
 * the store is in the partitioned layout. A store still in the old flat layout is refused with
 * the command that migrates it, rather than migrated on open: a data directory may be shared by
 * several machines and versions, and moving every file is a decision for its owner, not a side
 * effect of opening a session.
 */
import fs from 'node:fs';
import { settleInterruptedImports } from '../import/interrupted-import';
import { acquireImportLock, ImportBusyError } from '../import/import-lock';
import { firstLegacyFile } from './legacy-layout';
import { journalPath, settleJournal } from './layout-migration';

export type StoreCheck = { ok: true } | { ok: false; problem: string };

/** The command that migrates `dataDir`, for messages. */
export function migrateCommand(dataDir: string): string {
  return `npm run catalog -- migrate --data ${JSON.stringify(dataDir)}`;
}

/** What is wrong with an old-layout store and how to fix it, or null when it has no old file. */
export function legacyLayoutProblem(dataDir: string): string | null {
  const file = firstLegacyFile(dataDir);
  if (!file) return null;
  return (
    `the parquet store is in the old flat layout (${file}); this version reads ` +
    `Hive-style partitions (bars/interval=…/symbol=…/date=…/part-0.parquet). Migrate it in ` +
    `place, all or nothing, with: ${migrateCommand(dataDir)}`
  );
}

export function checkParquetStore(dataDir: string): StoreCheck {
  const settled = settleInterruptedImports(dataDir);
  if (!settled.ok) return { ok: false, problem: settled.problem };
  const migration = settleInterruptedMigration(dataDir);
  if (!migration.ok) return migration;
  const legacy = legacyLayoutProblem(dataDir);
  return legacy ? { ok: false, problem: `${dataDir}: ${legacy}` } : { ok: true };
}

/** A journal left by a migration: settled under the lock, or refused while one is running. */
export function settleInterruptedMigration(dataDir: string): StoreCheck {
  if (!fs.existsSync(journalPath(dataDir))) return { ok: true };
  let lock;
  try {
    lock = acquireImportLock(dataDir);
  } catch (error) {
    const why =
      error instanceof ImportBusyError
        ? 'its parquet layout is being migrated right now; try again when the migration ends'
        : `an interrupted layout migration must be finished first, and the import lock cannot be taken (${(error as Error).message})`;
    return { ok: false, problem: `${dataDir}: ${why}` };
  }
  try {
    settleJournal(dataDir);
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  } finally {
    lock.release();
  }
}
