/**
 * `npm run backtest -- --strategy ... --fills ... --report ...` on the demo data with the
 * shipped example strategy: the fills and report contracts, determinism, an unchanged
 * `--events` file, and bad strategies refused with the file named.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../cli-runner';
import { generateDemoData } from '../../src/main/storage/demo-data';
import { FILLS_CSV_HEADER } from '../../src/main/host/fills-csv';

const backtest = cliRunner('backtest');

let dir: string;
let data: string;
let config: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapedeck-strategy-cli-'));
  data = join(dir, 'data');
  generateDemoData(data);
  // One day keeps each spawned run short.
  const demo = JSON.parse(readFileSync(join(data, 'configs', 'demo.json'), 'utf8'));
  demo.backtest_config = { start_date: '2024-03-04', end_date: '2024-03-04', speed_multiplier: 0 };
  demo.strategy = { file: 'ema-crossover.ts', params: { fast: 5, slow: 13 } };
  demo.execution = { commission: { per_share: 0.005, minimum: 1 } };
  config = join(dir, 'session.json');
  writeFileSync(config, JSON.stringify(demo));
}, 60_000);

const out = (name: string): string => join(dir, name);

describe('npm run backtest with a strategy', { timeout: 180_000 }, () => {
  it('writes fills and a report, deterministically, and leaves --events unchanged', async () => {
    const base = ['--config', config, '--data', data, '--speed', '0'];
    const plainConfig = out('plain.json');
    const demo = JSON.parse(readFileSync(config, 'utf8'));
    delete demo.strategy;
    writeFileSync(plainConfig, JSON.stringify(demo));
    const [plain, first, second] = await Promise.all([
      backtest([
        '--config',
        plainConfig,
        '--data',
        data,
        '--speed',
        '0',
        '--events',
        out('e0.csv'),
      ]),
      backtest([
        ...base,
        '--events',
        out('e1.csv'),
        '--fills',
        out('f1.csv'),
        '--report',
        out('r1.json'),
      ]),
      backtest([
        ...base,
        '--param',
        'fast=5',
        '--fills',
        out('f2.csv'),
        '--report',
        out('r2.json'),
      ]),
    ]);
    expect(plain.code).toBe(0);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(first.stdout).toMatch(/strategy ema-crossover\.ts: \d+ fills, \d+ trades/);
    expect(readFileSync(out('e1.csv'), 'utf8')).toBe(readFileSync(out('e0.csv'), 'utf8'));
    const fills = readFileSync(out('f1.csv'), 'utf8');
    expect(readFileSync(out('f2.csv'), 'utf8')).toBe(fills);
    expect(readFileSync(out('r2.json'), 'utf8')).toBe(readFileSync(out('r1.json'), 'utf8'));

    const lines = fills.trimEnd().split('\n');
    expect(lines[0]).toBe(FILLS_CSV_HEADER);
    expect(lines.length).toBeGreaterThan(4);
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.every((r, i) => r.length === 9 && Number(r[0]) === i && r[8] === 'strategy')).toBe(
      true,
    );
    expect(rows[0]![1]).toMatch(/^2024-03-04T\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Commission: 0.005 a share with a 1.00 minimum on 100 shares.
    expect(rows.every((r) => Number(r[7]) === 1)).toBe(true);

    const report = JSON.parse(readFileSync(out('r1.json'), 'utf8'));
    for (const key of [
      'initial_cash',
      'ending_equity',
      'net_pnl',
      'realized_pnl',
      'unrealized_pnl',
      'fees',
      'return_pct',
      'max_drawdown_pct',
      'sharpe',
      'trades',
      'win_rate',
      'profit_factor',
      'avg_win',
      'avg_loss',
      'exposure_pct',
      'per_symbol',
    ]) {
      expect(report).toHaveProperty(key);
    }
    expect(report.fill_count).toBe(rows.length);
    expect(report.fees).toBe(rows.length);
    expect(report.net_pnl).toBeCloseTo(
      report.realized_pnl + report.unrealized_pnl - report.fees,
      6,
    );
    expect(report.sharpe).toBeNull(); // one day
    expect(report.strategy).toEqual({
      file: 'ema-crossover.ts',
      params: { fast: 5, slow: 13, interval: '1m', qty: 100, allow_short: false },
    });
  });

  it('writes a self-contained HTML report', async () => {
    const result = await backtest([
      '--config',
      config,
      '--data',
      data,
      '--speed',
      '0',
      '--report',
      out('r.html'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(out('r.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg id="equity-curve"');
    expect(html).toContain('<table id="trades">');
    expect(html).not.toMatch(/<script|https?:\/\/|src=/);
  });

  it('refuses bad strategies and params before loading data, naming the file', async () => {
    const broken = out('broken.ts');
    writeFileSync(broken, 'export default {\n  onBar( {\n};\n');
    const r1 = await backtest(['--config', config, '--data', data, '--strategy', broken]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/^strategy: broken\.ts:3:\d+: /m);
    const r2 = await backtest([
      '--config',
      config,
      '--data',
      data,
      '--param',
      'fast=quick',
      '--param',
      'nope=1',
    ]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(
      'ema-crossover.ts: strategy.params.fast: expected a number, got a string',
    );
    expect(r2.stderr).toContain('strategy.params.nope: unknown param');
    const thrower = out('thrower.js');
    writeFileSync(
      thrower,
      "let n = 0;\nexport default {\n  onQuote() {\n    if (++n === 50) throw new Error('no');\n  },\n};\n",
    );
    const r3 = await backtest([
      '--config',
      config,
      '--data',
      data,
      '--strategy',
      thrower,
      '--speed',
      '0',
    ]);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toContain('strategy failed: thrower.js:4:27: Error: no (in onQuote)');
  });
});
