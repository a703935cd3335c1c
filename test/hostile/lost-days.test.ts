/**
 * A partition lost from the parquet store (deleted, or a folder where the file should be)
 * between days that have data: the real backtest CLI refuses, naming the path, unless told
 * --skip-invalid. It used to drop the day silently and blame "nobody traded".
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../cli-runner';
import { makeTempDir, removeTempDir } from '../storage/sqlite-helpers';
import { hashDir, Tally } from './hostile-helpers';

const importCli = cliRunner('import');
const backtest = cliRunner('backtest');
const tally = new Tally('lost-days');
const DAYS = ['2024-03-04', '2024-03-05', '2024-03-06'];
let dir: string;
let config: string;

/** A fresh data dir with MSFT 1m bars on three days, imported by the CLI. */
async function threeDays(name: string): Promise<string> {
  const data = join(dir, name);
  const lines = ['timestamp,open,high,low,close,volume'];
  for (const day of DAYS) {
    const start = Date.parse(`${day}T14:30:00Z`);
    for (let i = 0; i < 30; i++) {
      lines.push(`${new Date(start + i * 60_000).toISOString()},10,11,9,10.5,${100 + i}`);
    }
  }
  const csv = join(dir, `${name}-MSFT_1m.csv`);
  writeFileSync(csv, `${lines.join('\n')}\n`);
  const result = await importCli([csv, '--data', data, '--symbol', 'MSFT', '--interval', '1m']);
  expect(result.code, result.stderr).toBe(0);
  return data;
}

beforeAll(() => {
  dir = makeTempDir('tapedeck-hostile-lost-');
  config = join(dir, 'msft.json');
  writeFileSync(
    config,
    JSON.stringify({
      session_name: 'msft',
      data_streams: [{ type: 'bars', symbol: 'MSFT', interval: '1m' }],
      backtest_config: { start_date: DAYS[0], end_date: DAYS[2] },
    }),
  );
});
afterAll(() => {
  tally.write();
  removeTempDir(dir);
});

const middle = (data: string): string =>
  join(data, 'parquet', 'bars', 'interval=1m', 'symbol=MSFT', `date=${DAYS[1]}`, 'part-0.parquet');

describe('a lost day file', { timeout: 120_000 }, () => {
  for (const how of ['deleted', 'a folder in its place'] as const) {
    it(`(${how}) stops the backtest naming the path, and runs with --skip-invalid`, async () => {
      const data = await threeDays(how === 'deleted' ? 'deleted' : 'folder');
      rmSync(middle(data));
      if (how !== 'deleted') mkdirSync(middle(data));
      const before = hashDir(data);
      const refused = await backtest(['--config', config, '--data', data, '--speed', '0']);
      const named = refused.stderr.includes(middle(data));
      tally.record({ refused: refused.code === 2 && named, dataChanged: hashDir(data) !== before });
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(middle(data));
      expect(refused.stderr).toMatch(/--skip-invalid/);
      const skipped = await backtest([
        '--config',
        config,
        '--data',
        data,
        '--speed',
        '0',
        '--skip-invalid',
      ]);
      expect(skipped.code, skipped.stderr).toBe(0);
      expect(hashDir(data)).toBe(before);
    });
  }
});
