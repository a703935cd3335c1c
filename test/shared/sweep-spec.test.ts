import { describe, expect, it } from 'vitest';
import { axisValues, parseSweepSpec } from '../../src/shared/sweep-spec';

const minimal = {
  config: 'configs/demo.json',
  strategy: { file: 'strategies/ema-crossover.ts' },
  grid: { fast: [5, 8] },
};

function problems(input: unknown): string[] {
  const result = parseSweepSpec(input);
  return result.ok ? [] : result.problems;
}

describe('sweep spec', () => {
  it('accepts the minimal spec and fills the defaults', () => {
    const result = parseSweepSpec(minimal);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec).toMatchObject({
      random: 0,
      seed: 0,
      rank_by: 'net_pnl',
      rank_order: 'desc',
      strategy: { params: {} },
    });
    expect(result.spec.windows).toBeUndefined();
  });

  it("accepts the issue's example with an inline config", () => {
    const result = parseSweepSpec({
      config: { session_name: 'x', data_streams: [{ type: 'quotes', symbol: 'AAPL' }] },
      strategy: { file: 'strategies/ema-crossover.ts', params: { slow: 30 } },
      grid: { qty: [100, 200], fast: { from: 5, to: 20, step: 5 } },
      random: 0,
      windows: [{ start_date: '2024-03-04', end_date: '2024-03-04' }],
      rank_by: 'sharpe',
    });
    expect(result.ok, JSON.stringify(result)).toBe(true);
  });

  it('refuses unknown keys, at the top and inside', () => {
    expect(problems({ ...minimal, grids: {} }).join('\n')).toMatch(/grids/);
    expect(problems({ ...minimal, strategy: { file: 'a.ts', param: {} } }).join('\n')).toMatch(
      /param/,
    );
    expect(
      problems({ ...minimal, grid: { fast: { from: 1, to: 2, step: 1, by: 2 } } }).join('\n'),
    ).toMatch(/grid\.fast/);
  });

  it('names each missing required field', () => {
    const p = problems({}).join('\n');
    expect(p).toMatch(/^config:/m);
    expect(p).toMatch(/^strategy:/m);
    expect(p).toMatch(/^grid:/m);
  });

  it('refuses an empty grid and an empty axis', () => {
    expect(problems({ ...minimal, grid: {} })).toEqual([
      'grid: the grid is empty: name at least one param',
    ]);
    expect(problems({ ...minimal, grid: { fast: [] } }).join('\n')).toMatch(/grid\.fast/);
  });

  it('refuses bad ranges, windows, walk-forward and rank_by', () => {
    expect(problems({ ...minimal, grid: { fast: { from: 5, to: 1, step: 1 } } })).toEqual([
      'grid.fast.to: from must not be after to',
    ]);
    expect(problems({ ...minimal, grid: { fast: { from: 1, to: 5, step: 0 } } })).toEqual([
      'grid.fast.step: step must be > 0',
    ]);
    expect(
      problems({ ...minimal, windows: [{ start_date: '2024-03-05', end_date: '2024-03-04' }] }),
    ).toEqual(['windows[0].end_date: start_date must not be after end_date']);
    expect(
      problems({ ...minimal, windows: [{ start_date: '2024-02-30', end_date: '2024-03-04' }] }),
    ).toEqual(['windows[0].start_date: Not a calendar date']);
    expect(
      problems({ ...minimal, walk_forward: { train_days: 0, test_days: 1, step_days: 1 } })[0],
    ).toMatch(/^walk_forward\.train_days/);
    expect(problems({ ...minimal, rank_by: 'pnl' })[0]).toMatch(/^rank_by:/);
    expect(
      problems({
        ...minimal,
        windows: [{ start_date: '2024-03-04', end_date: '2024-03-04' }],
        walk_forward: { train_days: 1, test_days: 1, step_days: 1 },
      }),
    ).toEqual(['walk_forward: give windows or walk_forward, not both']);
  });

  it('refuses a param both fixed and in the grid', () => {
    expect(problems({ ...minimal, strategy: { file: 'a.ts', params: { fast: 3 } } })).toEqual([
      'grid.fast: fast is both in the grid and in strategy.params; name it once',
    ]);
  });

  it('names the field of an invalid inline config', () => {
    expect(problems({ ...minimal, config: { session_name: 'x' } })).toEqual([
      'config.data_streams: Invalid input: expected array, received undefined',
    ]);
  });

  it('expands ranges inclusively and without float noise', () => {
    expect(axisValues({ from: 5, to: 20, step: 5 })).toEqual([5, 10, 15, 20]);
    expect(axisValues({ from: 5, to: 19, step: 5 })).toEqual([5, 10, 15]);
    expect(axisValues({ from: 0.1, to: 0.5, step: 0.1 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(axisValues({ from: 3, to: 3, step: 1 })).toEqual([3]);
    expect(axisValues(['a', true, 2])).toEqual(['a', true, 2]);
  });
});
