import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMarketDb } from '../../src/main/storage/sqlite/market-db';
import {
  LATEST_VERSION,
  MIGRATIONS,
  currentVersion,
  migrate,
  tableExists,
  type Migration,
} from '../../src/main/storage/sqlite/schema';
import { SqliteStreamSource } from '../../src/main/storage/sqlite/sqlite-source';
import { DataError } from '../../src/shared/stream-cursor';
import { fingerprint, makeTempDir, removeTempDir } from './sqlite-helpers';

/** The plan's MarketData table, as another tool would have created it. */
const FOREIGN_DDL = `CREATE TABLE market_data (
  symbol TEXT NOT NULL, timestamp INTEGER NOT NULL, interval TEXT NOT NULL DEFAULT '1m',
  open REAL, high REAL, low REAL, close REAL, volume REAL,
  PRIMARY KEY (symbol, interval, timestamp))`;

const T0 = Date.UTC(2024, 0, 2, 14, 30);

describe('sqlite schema and migrations', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir();
    file = join(dir, 'market.db');
  });
  afterEach(() => removeTempDir(dir));

  function foreignDb(ddl = FOREIGN_DDL, rows = 3): void {
    const db = new Database(file);
    db.exec(ddl);
    const insert = db.prepare(
      `INSERT INTO market_data (symbol, timestamp, interval, open, high, low, close, volume) VALUES (?, ?, '1m', ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < rows; i++) insert.run('AAPL', T0 + i * 60_000, 10, 11, 9, 10.5, 100 + i);
    db.close();
  }

  function dump(): unknown[] {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT * FROM market_data ORDER BY symbol, interval, timestamp').all();
    } finally {
      db.close();
    }
  }

  it('creates the tables, indexes, WAL mode and version table in a new database', () => {
    const store = openMarketDb(file, { write: true });
    const { db } = store;
    expect(store.migration).toEqual({ version: LATEST_VERSION, applied: [1], adopted: false });
    for (const table of ['market_data', 'quotes', 'ticks', 'schema_version']) {
      expect(tableExists(db, table)).toBe(true);
    }
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`)
      .pluck()
      .all();
    expect(indexes).toEqual(
      expect.arrayContaining(['quotes_symbol_timestamp', 'ticks_symbol_timestamp']),
    );
    const pk = db
      .prepare(`SELECT name FROM pragma_table_info('market_data') WHERE pk > 0 ORDER BY pk`)
      .pluck()
      .all();
    expect(pk).toEqual(['symbol', 'interval', 'timestamp']);
    const dflt = db
      .prepare(`SELECT dflt_value FROM pragma_table_info('market_data') WHERE name = 'interval'`)
      .pluck()
      .get();
    expect(dflt).toBe("'1m'");
    store.close();
  });

  it('migrates once: reopening applies nothing and takes no write lock', () => {
    openMarketDb(file, { write: true }).close();
    const store = openMarketDb(file, { write: true });
    expect(store.migration).toEqual({ version: LATEST_VERSION, applied: [], adopted: false });
    expect(currentVersion(store.db)).toBe(LATEST_VERSION);
    store.close();
  });

  it('adopts a database another tool wrote in the market_data schema, data untouched', () => {
    foreignDb();
    const before = dump();
    expect(before).toHaveLength(3);
    const store = openMarketDb(file, { write: true });
    expect(store.migration).toMatchObject({ adopted: true, applied: [1], version: 1 });
    const note = store.db.prepare('SELECT description FROM schema_version').pluck().get();
    expect(note).toContain('adopted');
    expect(tableExists(store.db, 'quotes')).toBe(true);
    store.close();
    expect(dump()).toEqual(before);
  });

  it('reads an un-adopted foreign database without adding anything to it', async () => {
    foreignDb();
    const print = fingerprint(file);
    const source = new SqliteStreamSource(file);
    const cursor = await source.open({ symbol: 'AAPL', type: 'bars', interval: '1m' }, {});
    expect(cursor.totalRows).toBe(3);
    // No quotes table: a clear "no data" naming what is missing, not an SQL error.
    await expect(source.open({ symbol: 'AAPL', type: 'quotes' }, {})).rejects.toThrow(
      `No AAPL quotes in ${file}: it has no quotes table.`,
    );
    source.close();
    expect(fingerprint(file)).toBe(print);
    const db = new Database(file, { readonly: true });
    expect(tableExists(db, 'schema_version')).toBe(false);
    db.close();
  });

  it('refuses to adopt a market_data table of another shape, leaving it untouched', () => {
    foreignDb(FOREIGN_DDL.replace('timestamp INTEGER', 'timestamp TEXT'));
    const print = fingerprint(file);
    const error = (() => {
      try {
        openMarketDb(file, { write: true });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toContain(`${file} has a market_data table that is not`);
    expect((error as Error).message).toContain('timestamp is TEXT, expected INTEGER');
    const db = new Database(file, { readonly: true });
    expect(tableExists(db, 'schema_version')).toBe(false);
    db.close();
    expect(fingerprint(file)).toBe(print);
  });

  it('refuses to write to a database from a newer schema version', () => {
    openMarketDb(file, { write: true }).close();
    const db = new Database(file);
    db.prepare(`INSERT INTO schema_version VALUES (?, 'from the future', 0)`).run(
      LATEST_VERSION + 1,
    );
    db.close();
    expect(() => openMarketDb(file, { write: true })).toThrow(
      /schema version 2, newer than this build knows \(1\); refusing to write/,
    );
  });

  it('applies only pending migrations, in order, and rolls a failed run back', () => {
    const db = new Database(file);
    const log: number[] = [];
    const v2: Migration = {
      version: 2,
      description: 'extra',
      up: (d) => {
        log.push(2);
        d.exec('CREATE TABLE extra (x)');
      },
    };
    const v3: Migration = {
      version: 3,
      description: 'more',
      up: (d) => {
        log.push(3);
        d.exec('ALTER TABLE extra ADD COLUMN y');
      },
    };
    expect(migrate(db, file, MIGRATIONS).applied).toEqual([1]);
    expect(migrate(db, file, [...MIGRATIONS, v2, v3]).applied).toEqual([2, 3]);
    expect(log).toEqual([2, 3]);
    expect(currentVersion(db)).toBe(3);

    const broken: Migration = {
      version: 4,
      description: 'half done',
      up: (d) => {
        d.exec('CREATE TABLE partial (x)');
        throw new Error('boom');
      },
    };
    const v5: Migration = { version: 5, description: 'after', up: () => {} };
    expect(() => migrate(db, file, [...MIGRATIONS, v2, v3, v5, broken])).toThrow(
      'Migrations out of order: version 4 after 5.',
    );
    expect(() => migrate(db, file, [...MIGRATIONS, v2, v3, broken, v5])).toThrow('boom');
    expect(currentVersion(db)).toBe(3);
    expect(tableExists(db, 'partial')).toBe(false);
    db.close();
  });
});
