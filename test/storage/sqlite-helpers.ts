/**
 * Helpers for the SQLite store tests: throwaway databases filled through the repository, file
 * fingerprints (to prove a failure changed nothing), and running a child process as an
 * unprivileged user (root ignores file permissions, so read-only cases need one).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MarketDataRepository } from '../../src/main/storage/sqlite/market-data-repository';
import { openMarketDb, type MarketDb } from '../../src/main/storage/sqlite/market-db';
import type { Columns } from './fixtures';

export function makeTempDir(prefix = 'tapedeck-sqlite-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // Reachable by the unprivileged child of the read-only tests.
  chmodSync(dir, 0o755);
  return dir;
}

export function removeTempDir(dir: string): void {
  // A test may have left it read-only.
  if (existsSync(dir)) chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
}

/** Opens (creating) a writable database and its repository; close with `store.close()`. */
export function writableDb(file: string): { store: MarketDb; repo: MarketDataRepository } {
  const store = openMarketDb(file, { write: true, busyTimeoutMs: 200 });
  return { store, repo: new MarketDataRepository(store) };
}

/** Fixture columns (nullable) as the repository's column maps. */
export function asBarColumns(c: Columns) {
  return {
    timestamp: c.timestamp as number[],
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
  };
}

export function asQuoteColumns(c: Columns) {
  return {
    timestamp: c.timestamp as number[],
    bid: c.bid,
    ask: c.ask,
    bid_size: c.bid_size,
    ask_size: c.ask_size,
  };
}

export function asTickColumns(c: Columns) {
  return { timestamp: c.timestamp as number[], price: c.price, size: c.size };
}

/** A database file filled with `fill`, closed again. */
export function buildDb(
  file: string,
  fill: (repo: MarketDataRepository, store: MarketDb) => void,
): string {
  const { store, repo } = writableDb(file);
  try {
    fill(repo, store);
  } finally {
    store.close();
  }
  return file;
}

/**
 * Hash of a database's content: the file and any frames in its -wal, so "nothing changed" covers
 * uncommitted writes too. An empty -wal (a reader may leave one behind) holds nothing.
 */
export function fingerprint(file: string): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(file));
  const wal = `${file}-wal`;
  hash.update(existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0));
  return hash.digest('hex');
}

const TSX = resolve('node_modules/.bin/tsx');

/**
 * Runs a TypeScript file as a user that file permissions apply to: `nobody` when the tests run
 * as root, else the current user. Undefined when root cannot switch user (no CAP_SETUID).
 */
export function runUnprivileged(
  script: string,
  args: string[],
): { status: number | null; stdout: string; stderr: string } | undefined {
  const asRoot = process.getuid?.() === 0;
  const options: SpawnSyncOptions = {
    encoding: 'utf8',
    env: { ...process.env, HOME: tmpdir(), FORCE_COLOR: '0' },
    timeout: 60_000,
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  };
  const result = spawnSync(TSX, [resolve(script), ...args], options);
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'EPERM') return undefined;
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}
