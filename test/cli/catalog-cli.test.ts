import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../cli-runner';
import { snapshot } from '../storage/import/commit-helpers';
import { DemoStores } from '../storage/legacy-store';
import { generateDemoData } from '../../src/main/storage/demo-data';
import type { CatalogEntry } from '../../src/shared/import-contract';

const catalog = cliRunner('catalog');
const backtest = cliRunner('backtest');

let dir: string;
let data: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-catalog-cli-'));
  data = join(dir, 'data');
  generateDemoData(data);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run catalog', { timeout: 120_000 }, () => {
  it('--json lists one entry per demo file, with quality reflecting the deliberate gaps', async () => {
    const result = await catalog(['--data', data, '--json']);
    expect(result.code).toBe(0);
    const entries = JSON.parse(result.stdout) as CatalogEntry[];
    const files = readdirSync(join(data, 'parquet'), { recursive: true, encoding: 'utf8' }).filter(
      (name) => name.endsWith('part-0.parquet'),
    ).length;
    expect(entries).toHaveLength(files);
    const aapl = entries.find(
      (e) => e.symbol === 'AAPL' && e.kind === 'bars' && e.date === '2024-03-04',
    )!;
    // 10:15:00-10:16:59 missing: 120 of 23,400 seconds.
    expect(aapl).toMatchObject({ interval: '1s', store: 'parquet', rows: 23_400 - 120 });
    expect(aapl.quality).toBe(99.49);
    expect(aapl.first).toBe('2024-03-04T14:30:00.000Z');
    const rivn = entries.find(
      (e) => e.symbol === 'RIVN' && e.kind === 'bars' && e.date === '2024-03-05',
    )!;
    expect(rivn).toMatchObject({ interval: '1m', rows: 390, quality: 100 });
    expect(entries.filter((e) => e.kind === 'quotes').every((e) => e.quality === null)).toBe(true);
  });

  it('prints a table by default', async () => {
    const result = await catalog(['--data', data]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^symbol\s+stream\s+date\s+store\s+rows\s+first \(UTC\)\s+last \(UTC\)\s+quality$/,
    );
    expect(result.stdout).toMatch(
      /AAPL\s+1s bars\s+2024-03-04\s+parquet\s+23,280\s+14:30:00\.000\s+20:59:59\.000\s+99\.49%/,
    );
  });

  it('exits 2 for a data directory that does not exist', async () => {
    const result = await catalog(['--data', join(dir, 'nope')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No data directory');
  });

  it('migrate moves an old-layout store once; before that, readers name the command', async () => {
    const stores = new DemoStores();
    try {
      const old = stores.legacyCopy();
      const hint = `npm run catalog -- migrate --data ${JSON.stringify(old)}`;
      const listed = await catalog(['--data', old]);
      expect(listed.stderr).toContain(hint);
      const config = join(old, 'configs', 'demo.json');
      const refused = await backtest(['--config', config, '--data', old, '--speed', '0']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(hint);

      const migrated = await catalog(['migrate', '--data', old]);
      expect(migrated.code, migrated.stderr).toBe(0);
      expect(migrated.stdout).toContain('migrated 10 file(s) to the partitioned layout');
      expect(snapshot(join(old, 'parquet'))).toEqual(snapshot(join(stores.partitioned, 'parquet')));
      const again = await catalog(['migrate', '--data', old]);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('already partitioned; nothing to do');
      const after = await catalog(['--data', old, '--json']);
      expect(after.stderr).toBe('');
      expect(JSON.parse(after.stdout)).toHaveLength(10);
    } finally {
      stores.remove();
    }
  });

  it('migrate exits 2 for a data directory that does not exist', async () => {
    const result = await catalog(['migrate', '--data', join(dir, 'nope')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No data directory');
  });
});
