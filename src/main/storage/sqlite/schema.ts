/**
 * The SQLite store's schema and its migrations.
 *
 *   market_data  one row per bar, keyed (symbol, interval, timestamp); timestamp is the bar
 *                START in UTC epoch ms. This is the seed plan's MarketData table, so databases
 *                other tools wrote in it are adopted rather than refused.
 *   quotes/ticks may repeat a timestamp, so an INTEGER PRIMARY KEY `seq` (the rowid) keeps
 *                input order among equal timestamps; (symbol, timestamp) is indexed.
 *   schema_version  one row per applied migration.
 *
 * Migrations only ever run on a connection opened for writing: a backtest reads whatever is
 * there and never changes a file it was only asked to read.
 */
import type Database from 'better-sqlite3';
import { DataError } from '../../../shared/stream-cursor';

export const BARS_TABLE = 'market_data';
export const QUOTES_TABLE = 'quotes';
export const TICKS_TABLE = 'ticks';
export const VERSION_TABLE = 'schema_version';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS market_data (
  symbol TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  interval TEXT NOT NULL DEFAULT '1m',
  open REAL,
  high REAL,
  low REAL,
  close REAL,
  volume REAL,
  PRIMARY KEY (symbol, interval, timestamp)
);
CREATE TABLE IF NOT EXISTS quotes (
  seq INTEGER PRIMARY KEY,
  symbol TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  bid REAL,
  ask REAL,
  bid_size REAL,
  ask_size REAL
);
CREATE INDEX IF NOT EXISTS quotes_symbol_timestamp ON quotes (symbol, timestamp);
CREATE TABLE IF NOT EXISTS ticks (
  seq INTEGER PRIMARY KEY,
  symbol TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  price REAL,
  size REAL
);
CREATE INDEX IF NOT EXISTS ticks_symbol_timestamp ON ticks (symbol, timestamp);
`;

/** In order; a version is never reused or edited once released, only followed by a new one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'market_data, quotes and ticks',
    up: (db) => db.exec(SCHEMA_V1),
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

interface ColumnSpec {
  name: string;
  type: string;
  notNull: boolean;
  /** 1-based position in the primary key, 0 when not part of it. */
  pk: number;
}

const col = (name: string, type: string, notNull = false, pk = 0): ColumnSpec => ({
  name,
  type,
  notNull,
  pk,
});

/** The tables as migration 1 creates them, for adopting and checking foreign databases. */
const TABLE_SPECS: Record<string, ColumnSpec[]> = {
  [BARS_TABLE]: [
    col('symbol', 'TEXT', true, 1),
    col('timestamp', 'INTEGER', true, 3),
    col('interval', 'TEXT', true, 2),
    ...['open', 'high', 'low', 'close', 'volume'].map((name) => col(name, 'REAL')),
  ],
  [QUOTES_TABLE]: [
    col('seq', 'INTEGER', false, 1),
    col('symbol', 'TEXT', true),
    col('timestamp', 'INTEGER', true),
    ...['bid', 'ask', 'bid_size', 'ask_size'].map((name) => col(name, 'REAL')),
  ],
  [TICKS_TABLE]: [
    col('seq', 'INTEGER', false, 1),
    col('symbol', 'TEXT', true),
    col('timestamp', 'INTEGER', true),
    col('price', 'REAL'),
    col('size', 'REAL'),
  ],
};

export interface MigrationResult {
  /** Schema version after migrating. */
  version: number;
  /** Versions applied now, in order. */
  applied: number[];
  /** The database had Tapedeck's tables but no version table, and now has one. */
  adopted: boolean;
}

/**
 * Brings the database up to the latest version. All pending migrations run in one IMMEDIATE
 * transaction: a failure leaves the file as it was, and two processes migrating at once are
 * serialised (the second finds nothing left to do).
 */
export function migrate(
  db: Database.Database,
  file: string,
  migrations: readonly Migration[] = MIGRATIONS,
): MigrationResult {
  migrations.forEach((m, i) => {
    if (i > 0 && m.version <= migrations[i - 1].version) {
      throw new Error(
        `Migrations out of order: version ${m.version} after ${migrations[i - 1].version}.`,
      );
    }
  });
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  // The common case, an up-to-date file, takes no write lock.
  if (tableExists(db, VERSION_TABLE) && currentVersion(db) === latest) {
    return { version: latest, applied: [], adopted: false };
  }
  const run = db.transaction((): MigrationResult => {
    let adopted = false;
    if (!tableExists(db, VERSION_TABLE)) {
      adopted = checkAdoptable(db, file);
      db.exec(
        `CREATE TABLE ${VERSION_TABLE} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)`,
      );
    }
    const current = currentVersion(db);
    if (current > latest) {
      throw new DataError(
        `${file} has schema version ${current}, newer than this build knows (${latest}); ` +
          'refusing to write to it. Update Tapedeck.',
        file,
      );
    }
    const record = db.prepare(
      `INSERT INTO ${VERSION_TABLE} (version, description, applied_at) VALUES (?, ?, ?)`,
    );
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      migration.up(db);
      const note = adopted && applied.length === 0 ? ' (adopted existing tables)' : '';
      record.run(migration.version, `${migration.description}${note}`, Date.now());
      applied.push(migration.version);
    }
    return { version: Math.max(current, latest), applied, adopted };
  });
  return run.immediate();
}

/** The recorded schema version; 0 without a version table or rows. */
export function currentVersion(db: Database.Database): number {
  if (!tableExists(db, VERSION_TABLE)) return 0;
  const row = db.prepare(`SELECT MAX(version) AS v FROM ${VERSION_TABLE}`).get() as {
    v: number | null;
  };
  return row.v ?? 0;
}

export function tableExists(db: Database.Database, table: string): boolean {
  return (
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !==
    undefined
  );
}

/**
 * Whether a table can be read as `table`: it exists and has the columns a reader selects.
 * Looser than adoption (types and keys are not compared), since reading changes nothing.
 * Returns a reason when it cannot.
 */
export function unreadableReason(db: Database.Database, table: string): string | undefined {
  const spec = TABLE_SPECS[table];
  if (!tableExists(db, table)) return `it has no ${table} table`;
  const have = new Set(tableInfo(db, table).map((c) => c.name.toLowerCase()));
  const missing = spec.filter((c) => !have.has(c.name)).map((c) => c.name);
  return missing.length > 0
    ? `its ${table} table lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`
    : undefined;
}

/**
 * A database without a version table may hold tables another tool wrote. Each of ours that
 * exists must match our definition exactly (columns, types, NOT NULL, key); then it is adopted
 * as is. Anything else is refused untouched: writing into a table we do not understand could
 * corrupt someone else's data. Returns whether any table was found.
 */
function checkAdoptable(db: Database.Database, file: string): boolean {
  let found = false;
  for (const [table, spec] of Object.entries(TABLE_SPECS)) {
    if (!tableExists(db, table)) continue;
    found = true;
    const differences = compareColumns(tableInfo(db, table), spec);
    if (differences.length > 0) {
      throw new DataError(
        `${file} has a ${table} table that is not Tapedeck's schema (${differences.join('; ')}); ` +
          'refusing to adopt or modify it.',
        file,
      );
    }
  }
  return found;
}

interface TableInfoRow {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

function tableInfo(db: Database.Database, table: string): TableInfoRow[] {
  const sql = `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`;
  return db.prepare(sql).all(table) as TableInfoRow[];
}

function compareColumns(actual: TableInfoRow[], spec: ColumnSpec[]): string[] {
  const byName = new Map(actual.map((c) => [c.name.toLowerCase(), c]));
  const out: string[] = [];
  for (const want of spec) {
    const have = byName.get(want.name);
    if (!have) {
      out.push(`no column ${want.name}`);
      continue;
    }
    byName.delete(want.name);
    if (have.type.toUpperCase() !== want.type) {
      out.push(`${want.name} is ${have.type || 'untyped'}, expected ${want.type}`);
    }
    if (Boolean(have.notnull) !== want.notNull) {
      out.push(`${want.name} is ${have.notnull ? '' : 'not '}NOT NULL`);
    }
    if (have.pk !== want.pk) {
      out.push(
        want.pk
          ? `${want.name} is not primary key column ${want.pk}`
          : `${want.name} is in the primary key`,
      );
    }
  }
  for (const extra of byName.keys()) out.push(`unexpected column ${extra}`);
  return out;
}
