/**
 * Stores in the old flat layout, for the migration tests: the demo data set written once, then
 * copied and renamed to the old names. The old names are spelled out here, not taken from the
 * migration code, so the tests check it against an independent statement of the old layout.
 */
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateDemoData } from '../../src/main/storage/demo-data';

/** `parquet/bars/1s/AAPL_1s_2024-03-04.parquet` for a partitioned relative path, else null. */
export function legacyName(partitioned: string): string | null {
  const bars =
    /^parquet\/bars\/interval=(1s|1m)\/symbol=([^/]+)\/date=([\d-]+)\/part-0\.parquet$/.exec(
      partitioned,
    );
  if (bars) return `parquet/bars/${bars[1]}/${bars[2]}_${bars[1]}_${bars[3]}.parquet`;
  const other = /^parquet\/(quotes|ticks)\/symbol=([^/]+)\/date=([\d-]+)\/part-0\.parquet$/.exec(
    partitioned,
  );
  return other ? `parquet/${other[1]}/${other[2]}_${other[1]}_${other[3]}.parquet` : null;
}

export class DemoStores {
  readonly root = fs.mkdtempSync(path.join(tmpdir(), 'tapedeck-migration-'));
  /** The demo data set in the partitioned layout. */
  readonly partitioned = path.join(this.root, 'template');
  private count = 0;

  constructor() {
    generateDemoData(this.partitioned);
  }

  /** A fresh copy of the demo data in the partitioned layout. */
  partitionedCopy(): string {
    const dir = path.join(this.root, `store-${this.count++}`);
    fs.cpSync(this.partitioned, dir, { recursive: true });
    return dir;
  }

  /** A fresh copy of the demo data in the old flat layout. */
  legacyCopy(): string {
    const dir = this.partitionedCopy();
    const parquet = path.join(dir, 'parquet');
    for (const name of fs.readdirSync(parquet, { recursive: true, encoding: 'utf8' })) {
      const rel = `parquet/${name.split(path.sep).join('/')}`;
      const old = legacyName(rel);
      if (!old) continue;
      fs.mkdirSync(path.dirname(path.join(dir, old)), { recursive: true });
      fs.renameSync(path.join(dir, rel), path.join(dir, old));
    }
    for (const type of ['bars', 'quotes']) {
      for (const entry of fs
        .readdirSync(path.join(parquet, type), { encoding: 'utf8' })
        .filter((n) => n.includes('='))) {
        fs.rmSync(path.join(parquet, type, entry), { recursive: true });
      }
    }
    return dir;
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
