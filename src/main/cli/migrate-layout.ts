/**
 * `npm run catalog -- migrate [--data <dir>]`: moves a parquet store from the old flat layout
 * to Hive-style partitions, in place and all or nothing, with a progress bar on a terminal.
 * Exit codes: 0 migrated (or nothing to do); 1 failed (the store is as it was, or finished on
 * the next open by the migration journal); 2 no such data directory, or a store that cannot be
 * migrated as it is (nothing changed).
 */
import { existsSync } from 'node:fs';
import { Presets, SingleBar } from 'cli-progress';
import {
  migrateLayout,
  MigrationError,
  type MigrationProgress,
} from '../storage/migration/layout-migration';
import { ImportBusyError } from '../storage/import/import-lock';

export async function runMigrate(dataDir: string): Promise<number> {
  if (!existsSync(dataDir)) {
    process.stderr.write(`No data directory at ${dataDir}.\n`);
    return 2;
  }
  const bar = progressBar();
  try {
    const result = await migrateLayout(dataDir, { onProgress: bar.update });
    bar.stop();
    if (result.moved + result.duplicates === 0) {
      process.stdout.write(
        `${dataDir}: the parquet store is already partitioned; nothing to do.\n`,
      );
    } else {
      const duplicates =
        result.duplicates > 0 ? ` (${result.duplicates} already there with the same bytes)` : '';
      process.stdout.write(
        `${dataDir}: migrated ${result.moved + result.duplicates} file(s) to the partitioned ` +
          `layout${duplicates}.\n`,
      );
    }
    return 0;
  } catch (error) {
    bar.stop();
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`migrate failed: ${message}\n`);
    return error instanceof MigrationError || error instanceof ImportBusyError ? 2 : 1;
  }
}

/** Two passes (link, then remove the old names) on one bar; nothing when piped. */
function progressBar(): { update(p: MigrationProgress): void; stop(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: 'migrate |{bar}| {percentage}% | {value}/{total} | {phase}', stream: process.stderr },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const value = p.phase === 'linking' ? p.done : p.total + p.done;
      if (!started) {
        bar.start(p.total * 2, value, { phase: p.phase });
        started = true;
      } else bar.update(value, { phase: p.phase });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
