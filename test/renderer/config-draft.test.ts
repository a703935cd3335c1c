import { describe, expect, it } from 'vitest';
import { parseSessionConfig } from '../../src/shared/session-config';
import {
  addStreams,
  formatRaw,
  getPath,
  parseIntervalList,
  parseRaw,
  problemsAt,
  problemsForStream,
  removeStream,
  setPath,
  setStreamField,
  streamRows,
  streamsForSymbol,
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
  it('shows one row per configured stream, as the config lists them', () => {
    expect(streamRows(demo)).toEqual([
      { index: 0, type: 'bars', symbol: 'AAPL', interval: '1s', calendar: '', barsFromTicks: '' },
      { index: 1, type: 'quotes', symbol: 'AAPL', interval: '', calendar: '', barsFromTicks: '' },
      {
        index: 2,
        type: 'bars',
        symbol: 'RIVN',
        interval: '1m',
        calendar: 'XNYS',
        barsFromTicks: '',
      },
    ]);
  });

  it('keeps a row in place while its symbol is typed letter by letter', () => {
    let draft = addStreams(demo, [{ type: 'bars', symbol: '', interval: '1m' }]);
    for (const prefix of ['A', 'AA', 'AAP', 'AAPL']) {
      draft = setStreamField(draft, 3, 'symbol', prefix);
      expect(streamRows(draft)[3].symbol).toBe(prefix);
    }
    // A symbol that matches another row never merges the two.
    expect(streamRows(draft).map((r) => r.symbol)).toEqual(['AAPL', 'AAPL', 'RIVN', 'AAPL']);
    draft = setStreamField(draft, 2, 'symbol', 'TSLAX');
    expect(streamRows(draft)[2]).toMatchObject({ symbol: 'TSLAX', calendar: 'XNYS' });
  });

  it('shows a duplicate bar stream as its own row, removable there', () => {
    const dup = addStreams(demo, [{ type: 'bars', symbol: 'AAPL', interval: '1m' }]);
    const rows = streamRows(dup);
    expect(rows.filter((r) => r.symbol === 'AAPL' && r.type === 'bars')).toHaveLength(2);
    const fixed = removeStream(dup, 3);
    expect(fixed.data_streams).toEqual(demo.data_streams);
    expect(parseSessionConfig(fixed).ok).toBe(true);
  });

  it('changes type, interval and calendar, keeping other fields', () => {
    const quotes = setStreamField(demo, 2, 'type', 'quotes');
    expect((quotes.data_streams as Draft[])[2]).toEqual({
      type: 'quotes',
      symbol: 'RIVN',
      calendar: 'XNYS',
    });
    const bars = setStreamField(quotes, 2, 'type', 'bars');
    expect((bars.data_streams as Draft[])[2]).toMatchObject({ interval: '1m' });
    const sessionCal = setStreamField(demo, 2, 'calendar', '');
    expect((sessionCal.data_streams as Draft[])[2]).toEqual({
      type: 'bars',
      symbol: 'RIVN',
      interval: '1m',
    });
    expect(setStreamField(demo, 9, 'symbol', 'X')).toBe(demo);
    const ticks = setStreamField(
      setStreamField(demo, 2, 'type', 'ticks'),
      2,
      'bars_from_ticks',
      '1s',
    );
    expect((ticks.data_streams as Draft[])[2]).toEqual({
      type: 'ticks',
      symbol: 'RIVN',
      calendar: 'XNYS',
      bars_from_ticks: '1s',
    });
    expect(streamRows(ticks)[2].barsFromTicks).toBe('1s');
    expect(parseSessionConfig(ticks).ok).toBe(true);
    expect((setStreamField(ticks, 2, 'type', 'quotes').data_streams as Draft[])[2]).toEqual({
      type: 'quotes',
      symbol: 'RIVN',
      calendar: 'XNYS',
    });
  });

  it('adds a catalog symbol with the streams its data holds', () => {
    const held = [
      { symbol: 'SPY', kind: 'bars', interval: '1m' },
      { symbol: 'SPY', kind: 'bars', interval: '1s' },
      { symbol: 'SPY', kind: 'quotes' },
      { symbol: 'BTC', kind: 'ticks' },
      { symbol: 'BTC', kind: 'quotes' },
      { symbol: 'ETH', kind: 'bars', interval: '1m' },
    ];
    expect(streamsForSymbol(held, 'SPY')).toEqual([
      { type: 'bars', symbol: 'SPY', interval: '1s' },
      { type: 'quotes', symbol: 'SPY' },
    ]);
    expect(streamsForSymbol(held, 'BTC')).toEqual([
      { type: 'quotes', symbol: 'BTC' },
      { type: 'ticks', symbol: 'BTC' },
    ]);
    expect(streamsForSymbol(held, 'ETH')).toEqual([
      { type: 'bars', symbol: 'ETH', interval: '1m' },
    ]);
  });
});

describe('inline problems', () => {
  it('puts the seed plan’s 5m base-interval message on the row', () => {
    const draft = setStreamField(demo, 2, 'interval', '5m');
    const list = problems(draft);
    expect(streamRows(draft)[2].interval).toBe('5m');
    expect(problemsForStream(list, 2)).toEqual([
      "data_streams[2] (RIVN): Invalid bar interval: 5m. Only '1s' or '1m' are supported as base intervals. Derived intervals (5m, 15m, etc.) are computed automatically.",
    ]);
    expect(problemsForStream(list, 0)).toEqual([]);
  });

  it('puts a duplicate bar stream on the second stream’s row', () => {
    const raw = addStreams(demo, [{ type: 'bars', symbol: 'AAPL', interval: '1m' }]);
    expect(problemsForStream(problems(raw), 3)).toEqual([
      'data_streams[3] (AAPL): Duplicate bar stream for AAPL. Found both 1s and 1m. Only one bar interval allowed per symbol.',
    ]);
    expect(unplacedProblems(problems(raw))).toEqual([]);
  });

  it('places field problems at their field, and the rest above the form', () => {
    const draft = { ...setPath(demo, 'session_name', ''), calendar: 'LSE' };
    const list = problems(draft);
    expect(problemsAt(list, 'session_name')).toEqual([
      'session_name: session_name must not be empty',
    ]);
    expect(problemsAt(list, 'calendar')).toHaveLength(1);
    expect(unplacedProblems(list)).toEqual([]);
    const dates = problems(setPath(demo, 'backtest_config.end_date', '2024-03-01'));
    expect(problemsAt(dates, 'backtest_config.end_date')).toEqual([
      'backtest_config.end_date: start_date must not be after end_date',
    ]);
  });

  it('lists a mistyped key above the form with its path and the schema’s words', () => {
    const typo = setPath(demo, 'backtest_config.speed_multiplyer', 10);
    const list = problems(typo);
    expect(list).toHaveLength(1);
    const shown = unplacedProblems(list);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatch(/^backtest_config: .*speed_multiplyer/);
    const top = unplacedProblems(problems({ ...demo, sesion_name: 'x' }));
    expect(top).toHaveLength(1);
    expect(top[0]).toMatch(/sesion_name/);
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
