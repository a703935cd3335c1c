/**
 * Damaged and unwritable stores against the real CLI: an import into a corrupt market.db is
 * refused (exit 1, the file and SQLite's words named) with every file left as it was, and a
 * backtest that only reads a WAL database leaves no -wal or -shm file behind.
 */
import Database from 'better-sqlite3';
import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readdirSync,
  statSync,
  writeSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../cli-runner';
import { asBarColumns, buildDb, makeTempDir, removeTempDir } from '../storage/sqlite-helpers';
import { bars } from '../storage/fixtures';
import { hashDir, Tally } from './hostile-helpers';

const importCli = cliRunner('import');
const backtest = cliRunner('backtest');
const tally = new Tally('cli-stores');
const dirs: string[] = [];
afterAll(() => {
  tally.write();
  for (const dir of dirs) removeTempDir(dir);
});

const open = (date: string) => Date.parse(`${date}T14:30:00Z`);

function dataDir(): string {
  const dir = makeTempDir('tapedeck-hostile-stores-');
  dirs.push(dir);
  const data = join(dir, 'data');
  buildDb(join(data, 'market.db'), (repo) => {
    for (const date of ['2024-01-02', '2024-01-03', '2024-01-04']) {
      repo.insertBars('AAPL', '1s', asBarColumns(bars(23_400, open(date), 1000)));
    }
  });
  return data;
}

function csv(dir: string): string {
  const file = join(dir, 'MSFT_1m.csv');
  const start = Date.parse('2024-01-03T14:30:00Z');
  const rows = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < 30; i++) {
    rows.push(`${new Date(start + i * 60_000).toISOString()},10,11,9,10.5,${100 + i}`);
  }
  writeFileSync(file, `${rows.join('\n')}\n`);
  return file;
}

describe('a corrupt market.db', { timeout: 120_000 }, () => {
  it('is refused by an import into sqlite or both, naming the file and SQLite, changing nothing', async () => {
    const data = dataDir();
    const db = join(data, 'market.db');
    const size = statSync(db).size;
    const fd = openSync(db, 'r+');
    writeSync(fd, randomBytes(4096), 0, 4096, Math.floor(size / 2 / 4096) * 4096);
    closeSync(fd);
    // The premise: SQLite itself finds the file damaged.
    // (on a copy: a read-only connection would leave -wal and -shm files next to the original)
    const copy = join(data, '..', 'probe.db');
    copyFileSync(db, copy);
    const probe = new Database(copy, { readonly: true });
    let said: string;
    try {
      said = (probe.pragma('quick_check') as Array<{ quick_check: string }>)[0]!.quick_check;
    } catch (error) {
      said = (error as Error).message;
    }
    probe.close();
    expect(said).not.toBe('ok');

    const source = csv(join(data, '..'));
    const before = hashDir(data);
    for (const to of ['sqlite', 'both']) {
      const result = await importCli([source, '--data', data, '--to', to]);
      const unchanged = hashDir(data) === before;
      const named =
        result.stderr.includes(db) && /damaged|malformed|not a database/.test(result.stderr);
      tally.record({ refused: result.code === 1 && named, dataChanged: !unchanged });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toContain(db);
      expect(result.stderr).toMatch(/damaged|malformed/);
      expect(unchanged).toBe(true);
      expect(readdirSync(data).sort()).toEqual(['market.db']);
    }
  });
});

describe('reading a WAL database', { timeout: 120_000 }, () => {
  it('a backtest leaves no -wal or -shm file where there was none', async () => {
    const data = dataDir();
    expect(readdirSync(data)).toEqual(['market.db']);
    const config = join(data, '..', 'read.json');
    writeFileSync(
      config,
      JSON.stringify({
        session_name: 'read',
        data_streams: [{ type: 'bars', symbol: 'AAPL', interval: '1s' }],
        backtest_config: { start_date: '2024-01-03', end_date: '2024-01-03' },
        data_source: { type: 'sqlite' },
      }),
    );
    const before = hashDir(data);
    const result = await backtest(['--config', config, '--data', data, '--speed', '0']);
    expect(result.code, result.stderr).toBe(0);
    const left = readdirSync(data);
    tally.record({ refused: true, dataChanged: hashDir(data) !== before });
    expect(left).toEqual(['market.db']);
    expect(existsSync(join(data, 'market.db-wal'))).toBe(false);
  });
});
