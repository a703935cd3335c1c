/**
 * The migration from the flat layout to Hive-style partitions: a round trip gives back the
 * partitioned store byte for byte; a failure or a kill at any point leaves one whole layout
 * (old before the commit point, new after it); stores it cannot migrate as they are are refused
 * untouched; and every reader refuses an old-layout store with the command that migrates it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataStore } from '../../src/main/host/data-store';
import { DataCatalog } from '../../src/main/storage/catalog/data-catalog';
import { commitImport } from '../../src/main/storage/import/import-commit';
import { acquireImportLock, ImportBusyError } from '../../src/main/storage/import/import-lock';
import { ImportError } from '../../src/main/storage/import/import-types';
import {
  journalPath,
  migrateLayout,
  MigrationError,
  type MigrationProgress,
} from '../../src/main/storage/migration/layout-migration';
import { checkParquetStore } from '../../src/main/storage/migration/store-check';
import { demoSessionConfig } from '../../src/main/storage/demo-data';
import { parseSessionConfig } from '../../src/shared/session-config';
import { barTimes, chunksOf, iterate, snapshot } from './import/commit-helpers';
import { DemoStores, legacyName } from './legacy-store';

const CHILD = path.resolve('test/storage/migration-crash-child.ts');
const DEMO_FILES = 10;

let stores: DemoStores;
let partitioned: Record<string, string>;
let legacy: Record<string, string>;

beforeAll(() => {
  stores = new DemoStores();
  partitioned = parquetOf(stores.partitioned);
  legacy = parquetOf(stores.legacyCopy());
});
afterAll(() => stores.remove());

function parquetOf(dir: string): Record<string, string> {
  return snapshot(path.join(dir, 'parquet'));
}

function crash(dir: string, phase: 'link' | 'remove', index: number): void {
  const child = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dir, phase, String(index)], {
    encoding: 'utf8',
  });
  expect(child.signal, child.stderr).toBe('SIGKILL');
}

describe('layout migration', { timeout: 60_000 }, () => {
  it('the legacy fixture is the demo data under the old names, and nothing else', () => {
    const names = Object.keys(legacy).filter((n) => legacy[n] !== 'dir');
    expect(names).toHaveLength(DEMO_FILES);
    const renamed = Object.keys(partitioned)
      .filter((n) => partitioned[n] !== 'dir')
      .map((n) => legacyName(`parquet/${n}`)!.slice('parquet/'.length));
    expect(names.sort()).toEqual(renamed.sort());
  });

  it('round trip: an old-layout store becomes the partitioned store byte for byte', async () => {
    const dir = stores.legacyCopy();
    const progress: MigrationProgress[] = [];
    const result = await migrateLayout(dir, { onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ moved: DEMO_FILES, duplicates: 0 });
    // Same files, same bytes, and no old folder or journal left behind.
    expect(parquetOf(dir)).toEqual(partitioned);
    expect(progress.filter((p) => p.phase === 'linking').map((p) => p.done)).toEqual(
      Array.from({ length: DEMO_FILES }, (_, i) => i + 1),
    );
    expect(progress.at(-1)).toEqual({ phase: 'removing', done: DEMO_FILES, total: DEMO_FILES });
    const migrated = await new DataCatalog(dir).list();
    const original = await new DataCatalog(stores.partitioned).list();
    expect(migrated.problems).toEqual([]);
    expect(migrated.entries).toEqual(original.entries);
    expect(migrated.entries).toHaveLength(DEMO_FILES);
  });

  it('a partitioned store is left alone', async () => {
    const dir = stores.partitionedCopy();
    expect(await migrateLayout(dir)).toEqual({ moved: 0, duplicates: 0 });
    expect(parquetOf(dir)).toEqual(partitioned);
  });

  it('a failure while linking puts the old layout back exactly', async () => {
    for (const at of [0, 4, DEMO_FILES - 1]) {
      const dir = stores.legacyCopy();
      const failing = migrateLayout(dir, {
        faults: {
          beforeLink: (i) => {
            if (i === at) throw new Error(`injected before link ${i}`);
          },
        },
      });
      await expect(failing).rejects.toThrow(`injected before link ${at}`);
      expect(parquetOf(dir)).toEqual(legacy);
    }
    const dir = stores.legacyCopy();
    const afterAll = migrateLayout(dir, {
      faults: {
        afterLinked: () => {
          throw new Error('injected after the last link');
        },
      },
    });
    await expect(afterAll).rejects.toThrow('after the last link');
    expect(parquetOf(dir)).toEqual(legacy);
  });

  it('a failure after the commit point is finished by the next reader', async () => {
    const dir = stores.legacyCopy();
    const failing = migrateLayout(dir, {
      faults: {
        beforeRemove: (i) => {
          if (i === 3) throw new Error('injected before removal 3');
        },
      },
    });
    await expect(failing).rejects.toThrow('injected before removal 3');
    expect(fs.existsSync(journalPath(dir))).toBe(true);
    const listed = await new DataCatalog(dir).list();
    expect(listed.problems).toEqual([]);
    expect(listed.entries).toHaveLength(DEMO_FILES);
    expect(parquetOf(dir)).toEqual(partitioned);
  });

  it('killed while linking: the next reader rolls back to the whole old layout', () => {
    for (const at of [0, 6]) {
      const dir = stores.legacyCopy();
      crash(dir, 'link', at);
      expect(fs.existsSync(journalPath(dir))).toBe(true);
      const check = checkParquetStore(dir);
      expect(check).toMatchObject({ ok: false });
      expect(!check.ok && check.problem).toContain('npm run catalog -- migrate');
      expect(parquetOf(dir)).toEqual(legacy);
    }
  });

  it('killed while removing old names: the next reader rolls forward to the new layout', async () => {
    for (const at of [0, 5]) {
      const dir = stores.legacyCopy();
      crash(dir, 'remove', at);
      expect(checkParquetStore(dir)).toEqual({ ok: true });
      expect(parquetOf(dir)).toEqual(partitioned);
    }
    // And a migration run again after a kill simply finishes.
    const dir = stores.legacyCopy();
    crash(dir, 'link', 3);
    expect(await migrateLayout(dir)).toEqual({ moved: DEMO_FILES, duplicates: 0 });
    expect(parquetOf(dir)).toEqual(partitioned);
  });

  it('a day in both layouts with the same bytes is a duplicate; with different bytes, a refusal', async () => {
    const dir = stores.legacyCopy();
    const day = 'bars/interval=1s/symbol=AAPL/date=2024-03-04/part-0.parquet';
    const target = path.join(dir, 'parquet', day);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(stores.partitioned, 'parquet', day), target);
    expect(await migrateLayout(dir)).toEqual({ moved: DEMO_FILES - 1, duplicates: 1 });
    expect(parquetOf(dir)).toEqual(partitioned);

    const conflicted = stores.legacyCopy();
    const other = path.join(conflicted, 'parquet', day);
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(other, 'not the same day');
    const before = parquetOf(conflicted);
    const refused = migrateLayout(conflicted);
    await expect(refused).rejects.toThrow(MigrationError);
    await expect(refused).rejects.toThrow(
      path.join(conflicted, 'parquet', 'bars', '1s', 'AAPL_1s_2024-03-04.parquet'),
    );
    expect(parquetOf(conflicted)).toEqual(before);
  });

  it('waits for no one: a running import or migration makes it refuse, and readers too', async () => {
    const dir = stores.legacyCopy();
    const lock = acquireImportLock(dir);
    try {
      await expect(migrateLayout(dir)).rejects.toThrow(ImportBusyError);
      fs.writeFileSync(
        journalPath(dir),
        JSON.stringify({ version: 1, phase: 'linking', moves: [] }),
      );
      const check = checkParquetStore(dir);
      expect(!check.ok && check.problem).toMatch(/being migrated right now/);
    } finally {
      lock.release();
    }
    expect(checkParquetStore(dir)).toMatchObject({ ok: false }); // settled, still old layout
    expect(fs.existsSync(journalPath(dir))).toBe(false);
  });

  it('a damaged journal is reported, and nothing is deleted on a guess', () => {
    const dir = stores.legacyCopy();
    fs.writeFileSync(journalPath(dir), '{"version":1,"pha');
    const before = parquetOf(dir);
    const check = checkParquetStore(dir);
    expect(!check.ok && check.problem).toContain(journalPath(dir));
    expect(!check.ok && check.problem).toContain('cannot be read');
    expect(parquetOf(dir)).toEqual(before);
  });
});

describe('an old-layout store is refused by every reader, with the way out', () => {
  it('sessions, the catalog and imports name the migrate command and change nothing', async () => {
    const dir = stores.legacyCopy();
    const hint = `npm run catalog -- migrate --data ${JSON.stringify(dir)}`;
    const parsed = parseSessionConfig(demoSessionConfig());
    if (!parsed.ok) throw new Error('demo config invalid');
    const opened = createDataStore(parsed.config, dir);
    expect(opened.ok).toBe(false);
    expect(!opened.ok && opened.problems[0]).toContain(hint);
    expect(!opened.ok && opened.problems[0]).toMatch(/AAPL_1s_2024-03-0[45]\.parquet/);

    const listed = await new DataCatalog(dir).list();
    expect(listed.entries).toEqual([]);
    expect(listed.problems[0]).toContain(hint);

    const chunks = chunksOf({ symbol: 'MSFT', timestamps: barTimes('2024-03-06', 9, 30, 10) });
    const imported = commitImport(iterate(chunks), { dataDir: dir, to: 'parquet' });
    await expect(imported).rejects.toThrow(ImportError);
    await expect(imported).rejects.toThrow(hint);
    expect(parquetOf(dir)).toEqual(legacy);
  });
});
