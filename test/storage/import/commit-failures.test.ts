/**
 * All or nothing: a failure injected at every stage of a commit, a cancel, and a crash (a
 * staging directory left behind) leave both stores byte-identical to before, or finish the
 * import when it had passed its point of no return.
 */
import { copyFileSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  commitImport,
  ImportCancelled,
  PartialCommitError,
  type CommitOptions,
} from '../../../src/main/storage/import/import-commit';
import { ImportError, type ImportChunk } from '../../../src/main/storage/import/import-types';
import { sqliteUserVersion } from '../../../src/main/storage/import/sqlite-commit';
import { Staging } from '../../../src/main/storage/import/staging';
import { streamFilePath } from '../../../src/main/storage/parquet/parquet-layout';
import { openMarketDb } from '../../../src/main/storage/sqlite/market-db';
import { MarketDataRepository } from '../../../src/main/storage/sqlite/market-data-repository';
import type { ImportTarget } from '../../../src/shared/import-contract';
import { makeDataDir, removeDataDir } from '../fixtures';
import { barTimes, chunksOf, iterate, snapshot } from './commit-helpers';

let dir: string;
beforeEach(async () => {
  dir = await makeDataDir();
});
afterEach(async () => removeDataDir(dir));

/** Two days of AAPL plus a day of MSFT, stored in both stores: the "before". */
async function seed(): Promise<void> {
  const chunks = [
    ...chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 9, 30, 600) }),
    ...chunksOf({ symbol: 'MSFT', timestamps: barTimes('2024-03-04', 9, 30, 300) }),
    ...chunksOf({ symbol: 'AAPL', kind: 'quotes', timestamps: barTimes('2024-03-04', 9, 30, 50) }),
  ];
  await commitImport(iterate(chunks), { dataDir: dir, to: 'both' });
}

/** An import that overlaps the seed (replacing rows) and adds new days and files. */
function overlapping(): ImportChunk[] {
  return [
    ...chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 9, 35, 600), priceOffset: 9 }),
    ...chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-05', 9, 30, 600) }),
    ...chunksOf({ symbol: 'TSLA', timestamps: barTimes('2024-03-06', 9, 30, 600) }),
    ...chunksOf({ symbol: 'AAPL', kind: 'quotes', timestamps: barTimes('2024-03-04', 9, 30, 20) }),
  ];
}

const TARGETS: ImportTarget[] = ['parquet', 'sqlite', 'both'];

function run(to: ImportTarget, extra: Partial<CommitOptions> = {}) {
  return commitImport(iterate(overlapping()), { dataDir: dir, to, ...extra });
}

describe('a failed commit leaves the stores byte-identical', () => {
  for (const to of TARGETS) {
    it(`${to}: failure mid-stream (a killed reader)`, async () => {
      await seed();
      const before = snapshot(dir);
      await expect(run(to, { faults: { failAfterRows: 1500 } })).rejects.toThrow(/injected/);
      expect(snapshot(dir)).toEqual(before);
    });

    it(`${to}: failure just before SQLite commits / the manifest is written`, async () => {
      await seed();
      const before = snapshot(dir);
      const fail = (): void => {
        throw new Error('disk gone');
      };
      await expect(run(to, { faults: { beforeSqliteCommit: fail } })).rejects.toThrow('disk gone');
      expect(snapshot(dir)).toEqual(before);
    });

    it(`${to}: cancel through an AbortSignal`, async () => {
      await seed();
      const before = snapshot(dir);
      const controller = new AbortController();
      let seen = 0;
      async function* chunks(): AsyncGenerator<ImportChunk> {
        for (const chunk of overlapping()) {
          yield chunk;
          if (++seen === 2) controller.abort();
        }
      }
      await expect(
        commitImport(chunks(), { dataDir: dir, to, signal: controller.signal }),
      ).rejects.toBeInstanceOf(ImportCancelled);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  for (const to of ['parquet', 'both'] as const) {
    it(`${to}: failure while writing the second staged partition`, async () => {
      await seed();
      const before = snapshot(dir);
      const faults = {
        beforePartition: (i: number) => {
          if (i === 1) throw new Error('ENOSPC');
        },
      };
      await expect(run(to, { faults })).rejects.toThrow('ENOSPC');
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it('both: cancel while the partitions are being written', async () => {
    await seed();
    const before = snapshot(dir);
    const controller = new AbortController();
    const faults = {
      beforePartition: (i: number) => {
        if (i === 1) controller.abort();
      },
    };
    await expect(run('both', { faults, signal: controller.signal })).rejects.toBeInstanceOf(
      ImportCancelled,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('parquet: failure between renames puts back every replaced file and removes new ones', async () => {
    await seed();
    const before = snapshot(dir);
    const faults = {
      beforeRename: (i: number) => {
        if (i === 2) throw new Error('EACCES');
      },
    };
    await expect(run('parquet', { faults })).rejects.toThrow('EACCES');
    expect(snapshot(dir)).toEqual(before);
  });

  it('both: a rename failure after SQLite committed is undone on the parquet side and said so', async () => {
    await seed();
    const parquetBefore = snapshot(join(dir, 'parquet'));
    const faults = {
      beforeRename: (i: number) => {
        if (i === 1) throw new Error('EACCES');
      },
    };
    const error = await run('both', { faults }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialCommitError);
    expect((error as Error).message).toMatch(/SQLite .* has the import.*parquet store does not/s);
    expect(snapshot(join(dir, 'parquet'))).toEqual(parquetBefore);
  });

  it('a fresh data directory stays absent after a failed first import', async () => {
    const fresh = join(dir, 'new-data');
    await expect(
      commitImport(iterate(overlapping()), {
        dataDir: fresh,
        to: 'both',
        faults: { failAfterRows: 700 },
      }),
    ).rejects.toThrow();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a chunk breaking the contract is refused with the file named, and nothing is written', async () => {
    const bad: ImportChunk = {
      ...chunksOf({ symbol: 'AAPL', timestamps: [1, 2] })[0],
      symbol: 'a_b',
    };
    const error = await commitImport(iterate([bad]), {
      dataDir: dir,
      to: 'both',
      files: ['x.csv'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).problems[0]).toMatchObject({ file: 'x.csv' });
    expect(snapshot(dir)).toEqual({});
  });
});

describe('after a crash, the next import recovers by the staging rule', () => {
  /** Runs an import that dies (by a thrown hook that also copies the staging away). */
  async function crashAt(hook: 'beforeSqliteCommit' | 'beforeRename', to: ImportTarget) {
    const saved = join(dir, '..', `${dir.split('/').pop()}-saved`);
    let stagingDir = '';
    const keep = (): void => {
      const root = join(dir, 'parquet');
      stagingDir = readdirSync(root).find((n) => n.startsWith('.staging-'))!;
      copyTree(join(root, stagingDir), saved);
      throw new Error('killed');
    };
    const faults =
      hook === 'beforeRename'
        ? { beforeRename: (i: number) => (i === 0 ? keep() : undefined) }
        : { beforeSqliteCommit: keep };
    await expect(run(to, { faults })).rejects.toThrow('killed');
    // Put the staging directory back as a kill would have left it.
    renameSync(saved, join(dir, 'parquet', stagingDir));
    return stagingDir;
  }

  it('a staging directory without a manifest is rolled back', async () => {
    await seed();
    const before = snapshot(dir);
    await crashAt('beforeSqliteCommit', 'parquet');
    expect(snapshot(dir)).not.toEqual(before);
    await commitImport(iterate([]), { dataDir: dir, to: 'parquet' });
    expect(snapshot(dir)).toEqual(before);
  });

  it('a staging directory with a manifest is rolled forward (parquet only)', async () => {
    await seed();
    await crashAt('beforeRename', 'parquet');
    await commitImport(iterate([]), { dataDir: dir, to: 'parquet' });
    const expected = await freshImportSnapshot('parquet');
    expect(snapshot(join(dir, 'parquet'))).toEqual(expected);
  });

  it('both: rolled back when SQLite never committed, so the stores still agree', async () => {
    await seed();
    const before = snapshot(dir);
    // Manifest written, then "killed" before the SQLite COMMIT: the db lacks the marker.
    const staging = new Staging(dir, 'manual');
    staging.create();
    const part = staging.addPart(
      streamFilePath(dir, { symbol: 'ZZZ', type: 'bars', interval: '1s' }, '2024-03-04'),
    );
    copyFileSync(
      streamFilePath(dir, { symbol: 'MSFT', type: 'bars', interval: '1s' }, '2024-03-04'),
      part,
    );
    const version = sqliteUserVersion(join(dir, 'market.db'))!;
    staging.writeManifest({ file: join(dir, 'market.db'), userVersion: version + 1 });
    await commitImport(iterate([]), { dataDir: dir, to: 'parquet' });
    expect(snapshot(dir)).toEqual(before);
  });

  it('both: rolled forward when SQLite committed before the kill', async () => {
    await seed();
    await crashAt('beforeRename', 'both');
    await commitImport(iterate([]), { dataDir: dir, to: 'parquet' });
    const db = openMarketDb(join(dir, 'market.db'), { write: true });
    const tsla = new MarketDataRepository(db).getBarsBySymbol('TSLA', 0, 4e12, '1s');
    db.close();
    expect(tsla).toHaveLength(600);
    const expected = await freshImportSnapshot('both');
    expect(snapshot(join(dir, 'parquet'))).toEqual(expected);
  });
});

/** The parquet store as seed + overlapping() leaves it when nothing goes wrong. */
async function freshImportSnapshot(to: ImportTarget): Promise<Record<string, string>> {
  const other = await makeDataDir();
  const saved = dir;
  try {
    dir = other;
    await seed();
    await run(to);
    return snapshot(join(other, 'parquet'));
  } finally {
    dir = saved;
    await removeDataDir(other);
  }
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const a = join(from, entry.name);
    const b = join(to, entry.name);
    if (entry.isDirectory()) copyTree(a, b);
    else copyFileSync(a, b);
  }
}
