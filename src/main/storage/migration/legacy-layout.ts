/**
 * The flat layout stores had before Hive-style partitions, read only to migrate them:
 *
 *   <data>/parquet/bars/<1s|1m>/<SYMBOL>_<interval>_<YYYY-MM-DD>.parquet
 *   <data>/parquet/quotes/<SYMBOL>_quotes_<YYYY-MM-DD>.parquet
 *   <data>/parquet/ticks/<SYMBOL>_ticks_<YYYY-MM-DD>.parquet
 *
 * No name of it collides with the partitioned layout (`bars/1s` against `bars/interval=1s`, a
 * file in `quotes/` against the `symbol=` folders there), so both can sit side by side while a
 * migration links one to the other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BASE_INTERVALS } from '../../../shared/interval';
import { isValidSymbol } from '../../../shared/symbol';
import { parquetRoot, type Located } from '../parquet/parquet-layout';

const NAME = /^([A-Z0-9][A-Z0-9.-]{0,31})_(1s|1m|quotes|ticks)_(\d{4}-\d{2}-\d{2})\.parquet$/;

/** The folders old-layout files live in, each with the name tag its files carry. */
function legacyDirs(
  dataDir: string,
): { dir: string; tag: string; located: Omit<Located, 'path' | 'symbol' | 'date'> }[] {
  const root = parquetRoot(dataDir);
  return [
    ...BASE_INTERVALS.map((interval) => ({
      dir: path.join(root, 'bars', interval),
      tag: interval as string,
      located: { kind: 'bars' as const, interval },
    })),
    { dir: path.join(root, 'quotes'), tag: 'quotes', located: { kind: 'quotes' as const } },
    { dir: path.join(root, 'ticks'), tag: 'ticks', located: { kind: 'ticks' as const } },
  ];
}

/** The old-layout folders that may be left empty by a migration (the type folders stay). */
export function legacyIntervalDirs(dataDir: string): string[] {
  return BASE_INTERVALS.map((interval) => path.join(parquetRoot(dataDir), 'bars', interval));
}

/** Every old-layout partition file (regular files only), in a stable order. */
export function listLegacyFiles(dataDir: string): Located[] {
  const out: Located[] = [];
  for (const { dir, tag, located } of legacyDirs(dataDir)) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const match = NAME.exec(entry.name);
      if (!match || match[2] !== tag || !isValidSymbol(match[1])) continue;
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      out.push({ path: path.join(dir, entry.name), symbol: match[1], ...located, date: match[3] });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One old-layout file, or null: what tells a reader the store still needs migrating. */
export function firstLegacyFile(dataDir: string): string | null {
  for (const { dir, tag } of legacyDirs(dataDir)) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    const name = names.find((n) => NAME.exec(n)?.[2] === tag);
    if (name) return path.join(dir, name);
  }
  return null;
}
