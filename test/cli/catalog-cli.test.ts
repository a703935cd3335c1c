import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../cli-runner';
import { generateDemoData } from '../../src/main/storage/demo-data';
import type { CatalogEntry } from '../../src/shared/import-contract';

const catalog = cliRunner('catalog');

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
});
