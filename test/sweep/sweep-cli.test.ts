/**
 * `npm run sweep` on the demo data: the same rows whatever the number of jobs, each row equal
 * to a plain `npm run backtest` with the same params, parquet equal to CSV (read back by
 * DuckDB), and a failing or crashing run reported while the sweep goes on.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../cli-runner';
import { REPORT_FIELDS } from '../../src/shared/sweep-spec';
import { setupSweep } from '../../src/main/sweep/sweep-setup';
import { GRID, readResults, sweepFixture, type SweepFixture } from './sweep-fixture';

const sweep = cliRunner('sweep');
const backtest = cliRunner('backtest');

let fx: SweepFixture;

beforeAll(() => {
  fx = sweepFixture('sweep-cli');
}, 60_000);

describe('npm run sweep, locally', { timeout: 600_000 }, () => {
  it('gives the same rows with 2 jobs as with 1, and each row is a plain backtest', async () => {
    const spec = fx.spec('grid');
    const base = ['--spec', spec, '--data', fx.data];
    // One sweep of each kind: 1 job to CSV, 2 jobs to parquet; the two agree cell for cell.
    const one = await sweep([...base, '--jobs', '1', '--out', fx.out('one.csv')]);
    expect(one.code, one.stderr).toBe(0);
    const two = await sweep([...base, '--jobs', '2', '--out', fx.out('two.parquet')]);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toMatch(/^6 runs \(0 failed\)/);

    const rows = readResults(fx.out('one.csv'));
    const columns = [
      'run_id',
      'param_fast',
      'param_slow',
      'start_date',
      'end_date',
      ...REPORT_FIELDS,
      'error',
    ];
    expect(Object.keys(rows[0]!)).toEqual(columns);
    const points = rows.map((r) => `${r.param_fast}/${r.param_slow}`).sort();
    expect(points).toEqual(GRID.fast.flatMap((f) => GRID.slow.map((s) => `${f}/${s}`)).sort());
    const pnl = rows.map((r) => Number(r.net_pnl));
    expect(pnl).toEqual([...pnl].sort((a, b) => b - a));
    expect(new Set(rows.map((r) => r.run_id)).size).toBe(6);

    // Parquet read back by DuckDB: the same columns and, row for row, the same cells.
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const read = await db.runAndReadAll(`SELECT * FROM '${fx.out('two.parquet')}'`);
    expect(read.columnNames()).toEqual(columns);
    const fromParquet = read.getRowObjectsJS();
    expect(fromParquet).toHaveLength(6);
    fromParquet.forEach((p, i) => {
      const row = rows[i]!;
      for (const column of ['run_id', 'start_date', 'end_date']) {
        expect(p[column], column).toBe(row[column]);
      }
      expect(p.param_fast).toBe(Number(row.param_fast));
      expect(p.param_slow).toBe(Number(row.param_slow));
      for (const field of REPORT_FIELDS) {
        expect(p[field], field).toBe(row[field] === '' ? null : Number(row[field]));
      }
      expect(p.error).toBeNull();
    });

    // The oracle: the backtest CLI, one process per point, two at a time.
    const config = join(fx.data, 'configs', 'one-day.json');
    const strategy = join(fx.data, 'strategies', 'ema-crossover.ts');
    for (let i = 0; i < rows.length; i += 2) {
      await Promise.all(
        rows.slice(i, i + 2).map(async (row) => {
          const report = fx.out(`report-${row.run_id}.json`);
          const plain = await backtest([
            ...['--config', config, '--data', fx.data, '--speed', '0', '--strategy', strategy],
            ...['--param', `fast=${row.param_fast}`, '--param', `slow=${row.param_slow}`],
            ...['--report', report],
          ]);
          expect(plain.code, plain.stderr).toBe(0);
          const json = JSON.parse(readFileSync(report, 'utf8')) as Record<string, unknown>;
          expect(row.start_date).toBe('2024-03-04');
          expect(row.end_date).toBe('2024-03-04');
          expect(row.error).toBe('');
          for (const field of REPORT_FIELDS) {
            const cell = row[field]!;
            expect(cell === '' ? null : Number(cell), `${row.run_id} ${field}`).toBe(json[field]);
          }
        }),
      );
    }
    expect(rows.some((r) => Number(r.trade_count) > 0)).toBe(true);
  });

  it('reports a failing run and a crashed worker, and runs the rest', async () => {
    const strategies = join(fx.data, 'strategies');
    writeFileSync(
      join(strategies, 'fragile.ts'),
      `export default Object.assign(
        (p: { mode: string }) => ({
          onBar() {
            if (p.mode === 'throw') throw new Error('planted failure');
            if (p.mode === 'crash') process.kill(process.pid, 'SIGKILL');
          },
        }),
        { params: { mode: { default: 'ok', choices: ['ok', 'throw', 'crash'] } } },
      );\n`,
    );
    const spec = fx.spec('fragile', {
      strategy: { file: 'strategies/fragile.ts' },
      grid: { mode: ['crash', 'throw', 'ok'] },
    });
    const result = await sweep([
      '--spec',
      spec,
      '--data',
      fx.data,
      '--jobs',
      '1',
      '--out',
      fx.out('fragile.csv'),
    ]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^3 runs \(2 failed\)/);
    expect(result.stderr).toMatch(
      /run \w+ \(mode=throw, 2024-03-04\.\.2024-03-04\) failed: .*planted failure/,
    );
    expect(result.stderr).toMatch(
      /run \w+ \(mode=crash, .*\) failed: the worker process exited \(SIGKILL\)/,
    );
    const rows = readResults(fx.out('fragile.csv'));
    expect(rows[0]).toMatchObject({ param_mode: 'ok', error: '', net_pnl: '0' });
    expect(
      rows
        .slice(1)
        .map((r) => r.param_mode)
        .sort(),
    ).toEqual(['crash', 'throw']);
    expect(rows.slice(1).every((r) => r.error !== '' && r.net_pnl === '')).toBe(true);
  });
});

describe('npm run sweep, bad input', { timeout: 300_000 }, () => {
  // A spawn per case where the CLI itself decides; the plan's own problems are checked below.
  it('refuses with a clear error, exit 2, before any run', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--spec', fx.spec('unknown', { grid: { fastest: [1] } })],
        /grid\.fastest: unknown param \(the strategy declares: fast, slow, interval, qty, allow_short\)/,
      ],
      [
        ['--spec', fx.spec('grid4'), '--out', join(fx.dir, 'nowhere', 'x.csv')],
        /--out .*x\.csv: the folder .*nowhere does not exist/,
      ],
      [
        ['--spec', fx.spec('grid2'), '--out', fx.out('x.xlsx')],
        /--out .*x\.xlsx: the file must end in \.parquet or \.csv/,
      ],
    ];
    await Promise.all(
      cases.map(async ([args, message], i) => {
        const out = fx.out(`bad-${i}.csv`);
        const given = args.includes('--out') ? [] : ['--out', out];
        const result = await sweep([...args, '--data', fx.data, ...given]);
        expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(existsSync(out)).toBe(false);
      }),
    );
  });

  it('names every other problem before planning any run', async () => {
    writeFileSync(join(fx.dir, 'notjson.json'), '{ "grid": ');
    const cases: [string, RegExp][] = [
      [
        fx.spec('type', { grid: { fast: [5, 'ten'] } }),
        /grid\.fast\[1\]: expected a number, got a string/,
      ],
      [fx.spec('empty', { grid: {} }), /empty\.json: grid: the grid is empty/],
      [fx.spec('axis', { grid: { fast: [] } }), /axis\.json: grid\.fast: /],
      [
        fx.spec('choice', { grid: { interval: ['1m', '2m'] } }),
        /grid\.interval\[1\]: expected one of 1s, 1m, 5m, 15m, got "2m"/,
      ],
      [
        fx.spec('nostrategy', { strategy: { file: 'strategies/none.ts' } }),
        /strategy\.file: .*none\.ts does not exist/,
      ],
      [
        fx.spec('noconfig', { config: 'configs/none.json' }),
        /none\.json: cannot read the config file \(ENOENT\)/,
      ],
      [
        fx.spec('nodata', { windows: [{ start_date: '2024-03-11', end_date: '2024-03-11' }] }),
        /window 2024-03-11\.\.2024-03-11: AAPL 1s bars: no data/,
      ],
      [join(fx.dir, 'missing.json'), /missing\.json: cannot read the spec file \(ENOENT\)/],
      [join(fx.dir, 'notjson.json'), /notjson\.json: not valid JSON/],
      [
        fx.spec('wf', {
          config: 'configs/demo.json',
          walk_forward: { train_days: 2, test_days: 1, step_days: 1 },
        }),
        /walk_forward needs train_days \+ test_days = 3 trading days; the data has 2 \(2024-03-04\.\.2024-03-05\)/,
      ],
    ];
    for (const [spec, message] of cases) {
      const setup = await setupSweep(spec, fx.data);
      expect(setup.ok, spec).toBe(false);
      if (!setup.ok) expect(setup.problems.join('\n')).toMatch(message);
    }
  });

  it('plans walk-forward folds over the days the store has', async () => {
    const setup = await setupSweep(
      fx.spec('wf-ok', {
        config: 'configs/demo.json',
        grid: { fast: [5] },
        walk_forward: { train_days: 1, test_days: 1, step_days: 1 },
      }),
      fx.data,
    );
    expect(setup.ok).toBe(true);
    if (!setup.ok) return;
    expect(setup.plan.runs.map((r) => r.window)).toEqual([
      { start_date: '2024-03-04', end_date: '2024-03-04', fold: 0, sample: 'in' },
      { start_date: '2024-03-05', end_date: '2024-03-05', fold: 0, sample: 'out' },
    ]);
  });
});
