import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../src/main/storage/demo-data';
import { BARS_CSV_HEADER } from '../../src/main/host/bars-export';

const run = promisify(execFile);
const TSX = resolve('node_modules/.bin/tsx');

async function cli(
  script: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [resolve(script), ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let dir: string;
let data: string;
let config: string;
let dump: string;
let summary: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let bars: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-upkeep-'));
  data = join(dir, 'data');
  generateDemoData(data);
  config = join(data, 'configs', 'demo.json');
  dump = join(dir, 'dump.csv');
  bars = join(dir, 'bars');
  const result = await cli('src/main/cli/backtest.ts', [
    '--config',
    config,
    '--data',
    data,
    '--speed',
    '0',
    '--bars',
    bars,
    '--dump',
    dump,
    '--summary',
    join(dir, 'summary.json'),
  ]);
  expect(result.code, result.stderr).toBe(0);
  summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
}, 120_000);

describe('backtest --bars, --dump and the summary', { timeout: 120_000 }, () => {
  it('writes base and derived bar files, completed bars only', () => {
    expect(readdirSync(bars).sort()).toEqual([
      'AAPL_15m.csv',
      'AAPL_1m.csv',
      'AAPL_1s.csv',
      'AAPL_5m.csv',
      'RIVN_15m.csv',
      'RIVN_1m.csv',
      'RIVN_5m.csv',
      'TSLA_15m.csv',
      'TSLA_1m.csv',
      'TSLA_1s.csv',
      'TSLA_5m.csv',
    ]);
    const lines = readFileSync(join(bars, 'AAPL_15m.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe(BARS_CSV_HEADER);
    // Two days of 26 fifteen-minute buckets; the gap (10:15-10:17) leaves its bucket partial.
    expect(lines).toHaveLength(1 + 52);
    expect(lines[1]).toMatch(/^2024-03-04T14:30:00\.000Z,/);
    const partial = lines.find((l) => l.startsWith('2024-03-04T15:15:00.000Z'))!;
    expect(partial.endsWith(',780')).toBe(true);
    expect(summary.symbols.AAPL.derived).toEqual({ '1m': 778, '5m': 156, '15m': 52 });
  });

  it('summarises quality and gaps per symbol, in plain words too', () => {
    const aapl = summary.symbols.AAPL;
    expect(aapl.bar_quality).toBeCloseTo(((46_800 - 120) / 46_800) * 100, 3);
    expect(aapl.gaps).toEqual([
      {
        start: '2024-03-04T15:15:00.000Z',
        end: '2024-03-04T15:17:00.000Z',
        expected: 120,
        filled: 0,
        // The fill source (the parquet store itself) answered with nothing: settled at once.
        attempts: 1,
        outcome: 'missing',
        reason: 'no data in the fill source',
      },
    ]);
    expect(aapl.quality_note).toContain('120 seconds had no bar in any source');
    expect(summary.symbols.RIVN.gaps).toHaveLength(1);
    expect(summary.symbols.TSLA.gaps).toHaveLength(13);
  });

  it('the dump has one row per cycle and passes the validator', async () => {
    const lines = readFileSync(dump, 'utf8').trimEnd().split('\n');
    expect(lines[0]!.split(',').slice(0, 8)).toEqual([
      'clock',
      'AAPL_base_interval',
      'AAPL_bars_base',
      'AAPL_bar_quality',
      'AAPL_gaps_missing',
      'AAPL_last_close',
      'AAPL_bid',
      'AAPL_ask',
    ]);
    expect(lines[0]).toContain('AAPL_1m_bars,AAPL_5m_bars,AAPL_15m_bars');
    expect(lines[0]).not.toContain('RIVN_1m_bars');
    const result = await cli('src/main/cli/validate.ts', ['--config', config, '--dump', dump]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`valid, ${lines.length - 1} rows`);
    expect(result.stdout).toContain('AAPL: 1s 46680 bars');
  });

  it('the validator fails with the right message on each kind of bad dump', async () => {
    const lines = readFileSync(dump, 'utf8').trimEnd().split('\n');
    const header = lines[0]!.split(',');
    const at = (name: string) => header.indexOf(name);
    const mutate = async (name: string, change: (rows: string[][]) => void): Promise<string> => {
      const rows = lines.map((l) => l.split(','));
      change(rows);
      const file = join(dir, `${name}.csv`);
      writeFileSync(file, `${rows.map((r) => r.join(',')).join('\n')}\n`);
      const result = await cli('src/main/cli/validate.ts', ['--config', config, '--dump', file]);
      expect(result.code).toBe(1);
      return result.stderr;
    };
    expect(await mutate('clock', (r) => (r[5]![0] = r[2]![0]!))).toMatch(/row 6: clock went back/);
    expect(await mutate('shrink', (r) => (r[9]![at('TSLA_bars_base')] = '1'))).toMatch(
      /row 1[01]: TSLA_bars_base shrank/,
    );
    expect(await mutate('quality', (r) => (r[3]![at('RIVN_bar_quality')] = '120'))).toContain(
      'row 4: RIVN_bar_quality 120 is outside [0, 100]',
    );
    expect(await mutate('interval', (r) => (r[2]![at('AAPL_base_interval')] = '1m'))).toContain(
      'row 3: AAPL_base_interval is "1m", the config says "1s"',
    );
    expect(await mutate('derived', (r) => (r[2]![at('AAPL_5m_bars')] = '50'))).toContain(
      'row 3: AAPL_5m_bars 50 exceeds AAPL_1m_bars',
    );
    expect(
      await mutate('column', (r) => r.forEach((row) => row.splice(at('TSLA_ask'), 1))),
    ).toContain('header: missing column TSLA_ask');
  });
});
