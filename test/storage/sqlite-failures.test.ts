/**
 * Every way the database file can be unusable: each gives an error naming the file, and none
 * changes a byte of it.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDataStore } from '../../src/main/host/data-store';
import { MarketDataRepository } from '../../src/main/storage/sqlite/market-data-repository';
import { openMarketDb } from '../../src/main/storage/sqlite/market-db';
import { SqliteBarFillSource } from '../../src/main/storage/sqlite/sqlite-fill-source';
import { SqliteStreamSource } from '../../src/main/storage/sqlite/sqlite-source';
import { parseSessionConfig } from '../../src/shared/session-config';
import { DataError, type StreamKey } from '../../src/shared/stream-cursor';
import { bars, drain } from './fixtures';
import {
  asBarColumns,
  buildDb,
  fingerprint,
  makeTempDir,
  removeTempDir,
  runUnprivileged,
} from './sqlite-helpers';

const BARS: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1m' };
const T0 = Date.UTC(2024, 0, 2, 14, 30);
const CHILD = 'test/storage/sqlite-readonly-child.ts';

function sqliteConfig(path?: string) {
  const result = parseSessionConfig({
    session_name: 'sqlite',
    data_streams: [{ type: 'bars', symbol: 'AAPL', interval: '1m' }],
    data_source: { type: 'sqlite', ...(path ? { path } : {}) },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('sqlite failure cases', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir();
    file = join(dir, 'market.db');
  });
  afterEach(() => removeTempDir(dir));

  describe('a missing database', () => {
    it('is an error for every reader, and no empty database is created', async () => {
      const expected = `No SQLite database at ${file}: the file does not exist (nothing was created).`;
      const source = new SqliteStreamSource(file);
      await expect(source.open(BARS, {})).rejects.toThrow(expected);
      const report = await source.preflight(BARS, {});
      expect(report.ok).toBe(false);
      expect(report.problems[0].message).toContain(expected);
      expect(thrown(() => openMarketDb(file))).toBeInstanceOf(DataError);
      await expect(new SqliteBarFillSource(file).fetchBars('AAPL', '1m', 0, 1)).rejects.toThrow(
        expected,
      );
      const store = createDataStore(sqliteConfig(), dir);
      expect(store).toEqual({ ok: false, problems: [expect.stringContaining(expected)] });
      expect(existsSync(file)).toBe(false);
      expect(existsSync(`${file}-wal`)).toBe(false);
    });

    it('is created when opened for writing, directories included', () => {
      const nested = join(dir, 'a', 'b', 'market.db');
      openMarketDb(nested, { write: true }).close();
      expect(existsSync(nested)).toBe(true);
    });
  });

  describe('a read-only database', () => {
    function readOnlyCase(mode: 'file' | 'dir') {
      buildDb(file, (repo) => repo.insertBars('AAPL', '1m', asBarColumns(bars(25, T0))));
      chmodSync(file, 0o444);
      // The unprivileged child may create -shm/-wal only where the directory allows it.
      chmodSync(dir, mode === 'file' ? 0o777 : 0o555);
      const print = fingerprint(file);
      const result = runUnprivileged(CHILD, [file, 'AAPL']);
      if (!result) return undefined;
      expect(result.stderr).toBe('');
      expect(fingerprint(file)).toBe(print);
      return JSON.parse(result.stdout) as Record<string, unknown>;
    }

    it('in a writable directory: reading works, writing is refused clearly', (ctx) => {
      const result = readOnlyCase('file');
      if (!result) return ctx.skip('cannot switch to an unprivileged user');
      expect(result).toMatchObject({ rows: 25, preflightOk: true, inMemoryCopy: false });
      expect(result.wrote).toBeUndefined();
      expect(result.writeError).toContain(file);
      expect(result.writeError).toMatch(/cannot write: the database is read-only/);
    });

    it('in a read-only directory: reading works, writing is refused clearly', (ctx) => {
      const result = readOnlyCase('dir');
      if (!result) return ctx.skip('cannot switch to an unprivileged user');
      // SQLite cannot create the WAL's -shm file there, so the reader uses an in-memory copy.
      expect(result).toMatchObject({ rows: 25, preflightOk: true, inMemoryCopy: true });
      expect(result.wrote).toBeUndefined();
      expect(result.writeError).toContain(file);
      expect(result.writeError).toContain(
        'cannot write: the directory holding the database is read-only',
      );
    });
  });

  describe('a locked database', () => {
    it('a write waits busy_timeout, then reports "database is locked" and writes nothing', () => {
      buildDb(file, (repo) => repo.insertBars('AAPL', '1m', asBarColumns(bars(5, T0))));
      const holder = new Database(file);
      holder.exec('BEGIN IMMEDIATE');
      const store = openMarketDb(file, { write: true, busyTimeoutMs: 150 });
      const started = Date.now();
      const error = thrown(() =>
        new MarketDataRepository(store).insertBars('AAPL', '1m', asBarColumns(bars(5, T0 + 1e7))),
      );
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect(error).toBeInstanceOf(DataError);
      expect(error.message).toBe(
        `${file} (table market_data): database is locked by another connection; gave up after ` +
          'waiting 150 ms ("database is locked", SQLITE_BUSY). Close the program holding it, or try again.',
      );
      holder.exec('ROLLBACK');
      holder.close();
      expect(new MarketDataRepository(store).getBarsBySymbol('AAPL', 0, 1e15)).toHaveLength(5);
      store.close();
    });

    it('readers report an exclusive lock clearly, and a fill retried after it is released works', async () => {
      buildDb(file, (repo) => repo.insertBars('AAPL', '1m', asBarColumns(bars(5, T0))));
      const holder = new Database(file);
      holder.pragma('locking_mode = EXCLUSIVE');
      holder.exec('BEGIN EXCLUSIVE');
      holder.exec(`UPDATE market_data SET volume = volume WHERE rowid = 1`);

      const source = new SqliteStreamSource(file, { busyTimeoutMs: 100 });
      await expect(source.open(BARS, {})).rejects.toThrow(
        new RegExp(
          `^${file}: database is locked by another connection; gave up after waiting 100 ms`,
        ),
      );
      const store = createDataStore(sqliteConfig(), dir, { busyTimeoutMs: 100 });
      expect(store.ok).toBe(false);
      expect(!store.ok && store.problems[0]).toContain('database is locked');
      const fill = new SqliteBarFillSource(file, { busyTimeoutMs: 100 });
      await expect(fill.fetchBars('AAPL', '1m', T0, T0 + 1e7)).rejects.toThrow(
        'database is locked',
      );

      holder.exec('COMMIT');
      holder.close();
      // The upkeep retries: the same source works once the lock is gone.
      expect((await fill.fetchBars('AAPL', '1m', T0, T0 + 1e7)).length).toBe(5);
      expect((await drain(await source.open(BARS, {}))).timestamp).toHaveLength(5);
      fill.close();
      source.close();
    });
  });

  describe('a corrupt file', () => {
    it('garbage bytes: "not a database", for reading and writing, file untouched', async () => {
      writeFileSync(file, Buffer.from('this is not sqlite at all\n'.repeat(400)));
      const print = fingerprint(file);
      const expected = `${file} is not a database: SQLite does not recognise its contents ("file is not a database", SQLITE_NOTADB).`;
      await expect(new SqliteStreamSource(file).open(BARS, {})).rejects.toThrow(expected);
      expect(createDataStore(sqliteConfig(), dir)).toEqual({ ok: false, problems: [expected] });
      const write = thrown(() => openMarketDb(file, { write: true }));
      expect(write).toBeInstanceOf(DataError);
      expect(write.message).toBe(expected);
      expect(fingerprint(file)).toBe(print);
      expect(existsSync(`${file}-wal`)).toBe(false);
    });

    it('damaged pages: "malformed" from preflight and the cursor, file untouched', async () => {
      buildDb(file, (repo) => repo.insertBars('AAPL', '1m', asBarColumns(bars(5000, T0))));
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.alloc(4096 * 20, 0xab), 0, 4096 * 20, 4096 * 10);
      closeSync(fd);
      const print = fingerprint(file);
      const source = new SqliteStreamSource(file);
      const expected = `${file} (table market_data): the database is malformed ("database disk image is malformed", SQLITE_CORRUPT).`;
      const report = await source.preflight(BARS, {});
      expect(report.ok).toBe(false);
      expect(report.problems[0].message).toContain(expected);
      const error = await source
        .open(BARS, {})
        .then((cursor) => drain(cursor))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DataError);
      expect((error as Error).message).toContain(expected);
      source.close();
      expect(fingerprint(file)).toBe(print);
    });

    it('a directory where the file should be', async () => {
      const path = join(dir, 'sub.db');
      chmodSync(dir, 0o755);
      writeFileSync(join(dir, 'x'), '');
      await expect(new SqliteStreamSource(dir).open(BARS, {})).rejects.toThrow(
        `${dir} is a directory, not a SQLite database file.`,
      );
      expect(existsSync(path)).toBe(false);
    });
  });
});
