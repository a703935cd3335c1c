import { describe, expect, it } from 'vitest';
import { parseSessionConfig } from '../../src/shared/session-config';
import {
  addRow,
  formatRaw,
  getPath,
  parseIntervalList,
  parseRaw,
  problemsAt,
  problemsForRow,
  removeRow,
  renameRow,
  setPath,
  setRowBars,
  setRowStream,
  streamRows,
  unplacedProblems,
  type Draft,
} from '../../src/renderer/src/state/config-draft';

const demo: Draft = {
  session_name: 'demo',
  mode: 'backtest',
  data_streams: [
    { type: 'bars', symbol: 'AAPL', interval: '1s' },
    { type: 'quotes', symbol: 'AAPL' },
    { type: 'bars', symbol: 'RIVN', interval: '1m', calendar: 'XNYS' },
  ],
  backtest_config: { start_date: '2024-03-04', end_date: '2024-03-05', speed_multiplier: 60 },
};

function problems(draft: Draft) {
  const r = parseSessionConfig(draft);
  return r.ok ? [] : r.problems;
}

describe('paths', () => {
  it('sets and removes nested values without touching the original', () => {
    const next = setPath(demo, 'session_data_config.data_upkeep.max_retries', 3);
    expect(getPath(next, 'session_data_config.data_upkeep.max_retries')).toBe(3);
    expect(getPath(demo, 'session_data_config')).toBeUndefined();
    const removed = setPath(demo, 'backtest_config.end_date', undefined);
    expect(getPath(removed, 'backtest_config')).toEqual({
      start_date: '2024-03-04',
      speed_multiplier: 60,
    });
    expect(getPath(demo, 'backtest_config.end_date')).toBe('2024-03-05');
  });
});

describe('stream rows', () => {
  it('groups the plan’s stream list one row per symbol', () => {
    expect(
      streamRows(demo).map(({ key, bars, quotes, indexes }) => ({ key, bars, quotes, indexes })),
    ).toEqual([
      { key: 'AAPL', bars: '1s', quotes: true, indexes: [0, 1] },
      { key: 'RIVN', bars: '1m', quotes: false, indexes: [2] },
    ]);
  });

  it('changes, removes and adds a bar stream, keeping other fields', () => {
    const oneMinute = setRowBars(demo, 'RIVN', '1s');
    expect((oneMinute.data_streams as Draft[])[2]).toEqual({
      type: 'bars',
      symbol: 'RIVN',
      interval: '1s',
      calendar: 'XNYS',
    });
    const none = setRowBars(demo, 'AAPL', 'none');
    expect(none.data_streams).toEqual([
      { type: 'quotes', symbol: 'AAPL' },
      { type: 'bars', symbol: 'RIVN', interval: '1m', calendar: 'XNYS' },
    ]);
    const back = setRowBars(none, 'AAPL', '1m');
    expect((back.data_streams as Draft[])[0]).toEqual({
      type: 'bars',
      symbol: 'AAPL',
      interval: '1m',
    });
  });

  it('turns quotes on and off', () => {
    const on = setRowStream(demo, 'RIVN', 'quotes', true);
    expect((on.data_streams as Draft[])[3]).toEqual({ type: 'quotes', symbol: 'RIVN' });
    expect(setRowStream(on, 'RIVN', 'quotes', true)).toBe(on);
    const off = setRowStream(demo, 'AAPL', 'quotes', false);
    expect(streamRows(off)[0].quotes).toBe(false);
  });

  it('renames, removes and adds rows', () => {
    const renamed = renameRow(demo, 'AAPL', 'MSFT');
    expect((renamed.data_streams as Draft[]).slice(0, 2).map((s) => s.symbol)).toEqual([
      'MSFT',
      'MSFT',
    ]);
    expect(streamRows(removeRow(demo, 'AAPL')).map((r) => r.key)).toEqual(['RIVN']);
    const added = addRow(addRow(demo), 'TSLA');
    expect(streamRows(added).map((r) => r.key)).toEqual(['AAPL', 'RIVN', '#3', 'TSLA']);
  });
});

describe('inline problems', () => {
  it('puts the seed plan’s 5m base-interval message on the row', () => {
    const draft = setRowBars(demo, 'RIVN', '5m');
    const list = problems(draft);
    const row = streamRows(draft).find((r) => r.key === 'RIVN')!;
    expect(row.bars).toBe('5m');
    expect(problemsForRow(list, row)).toEqual([
      "data_streams[2] (RIVN): Invalid bar interval: 5m. Only '1s' or '1m' are supported as base intervals. Derived intervals (5m, 15m, etc.) are computed automatically.",
    ]);
    expect(problemsForRow(list, streamRows(draft)[0])).toEqual([]);
  });

  it('puts a duplicate bar stream on its symbol’s row', () => {
    const raw = {
      ...demo,
      data_streams: [
        ...(demo.data_streams as Draft[]),
        { type: 'bars', symbol: 'AAPL', interval: '1m' },
      ],
    };
    const row = streamRows(raw)[0];
    expect(row.indexes).toEqual([0, 1, 3]);
    expect(problemsForRow(problems(raw), row)).toEqual([
      'data_streams[3] (AAPL): Duplicate bar stream for AAPL. Found both 1s and 1m. Only one bar interval allowed per symbol.',
    ]);
  });

  it('places field problems at their field, and the rest above the form', () => {
    const draft = { ...setPath(demo, 'session_name', ''), calendar: 'LSE' };
    const list = problems(draft);
    expect(problemsAt(list, 'session_name')).toEqual([
      'session_name: session_name must not be empty',
    ]);
    expect(unplacedProblems(list)).toHaveLength(1);
    expect(unplacedProblems(list)[0]).toMatch(/^calendar: /);
    const dates = problems(setPath(demo, 'backtest_config.end_date', '2024-03-01'));
    expect(problemsAt(dates, 'backtest_config.end_date')).toEqual([
      'backtest_config.end_date: start_date must not be after end_date',
    ]);
  });
});

describe('raw JSON', () => {
  it('round-trips the draft', () => {
    const parsed = parseRaw(formatRaw(demo));
    expect(parsed).toEqual({ ok: true, draft: demo });
  });
  it('reports a syntax error or a non-object', () => {
    const bad = parseRaw('{"session_name": ');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Raw JSON: /);
    expect(parseRaw('[1]')).toEqual({
      ok: false,
      error: 'Raw JSON: the config must be a JSON object',
    });
  });
  it('splits an interval list as typed', () => {
    expect(parseIntervalList('1m, 5m  15m,')).toEqual(['1m', '5m', '15m']);
    expect(parseIntervalList('  ')).toEqual([]);
  });
});
