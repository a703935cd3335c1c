import { describe, expect, it } from 'vitest';
import { parseSessionConfig } from '../../src/shared/session-config';

// The seed plan's two configuration examples, verbatim.
const example1 = {
  session_name: '1s_mixed_test',
  mode: 'backtest',
  data_streams: [
    { type: 'bars', symbol: 'AAPL', interval: '1s' },
    { type: 'quotes', symbol: 'AAPL' },
    { type: 'bars', symbol: 'RIVN', interval: '1m' },
    { type: 'bars', symbol: 'TSLA', interval: '1s' },
  ],
  session_data_config: {
    data_upkeep: { enabled: true, derived_intervals: ['1m', '5m', '15m'] },
  },
};
const example2 = {
  session_name: 'hft_1s_backtest',
  mode: 'backtest',
  data_streams: [
    { type: 'bars', symbol: 'SPY', interval: '1s' },
    { type: 'bars', symbol: 'QQQ', interval: '1s' },
  ],
  session_data_config: {
    data_upkeep: { enabled: true, derived_intervals: ['5s', '15s', '1m', '5m'] },
  },
};

function problems(input: unknown): string[] {
  const result = parseSessionConfig(input);
  if (result.ok) throw new Error('expected problems');
  return result.problems.map((p) => p.message);
}

describe('session config', () => {
  it('accepts both seed plan examples verbatim, with defaults filled in', () => {
    for (const example of [example1, example2]) {
      const result = parseSessionConfig(example);
      expect(result.ok).toBe(true);
    }
    const result = parseSessionConfig(example1);
    if (!result.ok) throw new Error('unreachable');
    expect(result.config.session_data_config.data_upkeep.check_interval_seconds).toBe(60);
    expect(result.config.session_data_config.data_upkeep.max_retries).toBe(5);
    expect(result.config.data_source.type).toBe('parquet');
    expect(result.config.backtest_config).toBeUndefined();
  });

  it('notes derived intervals that a symbol’s base interval cannot give', () => {
    const result = parseSessionConfig(example1);
    if (!result.ok) throw new Error('unreachable');
    expect(result.notes).toEqual([
      'RIVN: derived interval 1m is not computed, because it is not a larger multiple of the 1m base interval.',
    ]);
  });

  it('accepts the optional fields', () => {
    const result = parseSessionConfig({
      ...example1,
      backtest_config: { start_date: '2024-03-04', end_date: '2024-03-05', speed_multiplier: 0 },
      data_source: { type: 'sqlite', path: 'market.db' },
      session_data_config: {
        data_upkeep: { check_interval_seconds: 30, max_retries: 2, derived_intervals: [5, 15] },
        max_queue_size: 1000,
      },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.session_data_config.data_upkeep.derived_intervals).toEqual(['5m', '15m']);
    expect(result.config.backtest_config!.speed_multiplier).toBe(0);
  });

  it('upper-cases symbols and refuses ones that cannot be tickers', () => {
    const ok = parseSessionConfig({
      ...example2,
      data_streams: [{ type: 'bars', symbol: ' spy ', interval: '1s' }],
    });
    expect(ok.ok && ok.config.data_streams[0]!.symbol).toBe('SPY');
    expect(
      problems({ ...example2, data_streams: [{ type: 'bars', symbol: '../etc', interval: '1s' }] }),
    ).toEqual(['data_streams[0] (../ETC).symbol: Symbol must be 1-32 letters, digits, "." or "-"']);
  });

  it('reports every problem at once, each naming the stream index and symbol, in the plan’s words', () => {
    const found = problems({
      session_name: 'bad',
      mode: 'backtest',
      data_streams: [
        { type: 'bars', symbol: 'AAPL', interval: '1s' },
        { type: 'bars', symbol: 'AAPL', interval: '1m' },
        { type: 'bars', symbol: 'TSLA' },
        { type: 'bars', symbol: 'MSFT', interval: '5m' },
        { type: 'quotes', symbol: 'AAPL' },
        { type: 'quotes', symbol: 'aapl' },
        { type: 'ticks', symbol: 'IBM' },
        { type: 'ticks', symbol: 'IBM' },
      ],
      session_data_config: { data_upkeep: { derived_intervals: ['5m', '7m'] } },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'data_streams[1] (AAPL): Duplicate bar stream for AAPL. Found both 1s and 1m. Only one bar interval allowed per symbol.',
        'data_streams[2] (TSLA): Bar streams require an interval',
        "data_streams[3] (MSFT): Invalid bar interval: 5m. Only '1s' or '1m' are supported as base intervals. Derived intervals (5m, 15m, etc.) are computed automatically.",
        'data_streams[5] (AAPL): Duplicate quotes stream for AAPL. Only one quotes stream allowed per symbol.',
        'data_streams[7] (IBM): Duplicate ticks stream for IBM. Only one ticks stream allowed per symbol.',
      ]),
    );
    expect(
      found.some(
        (m) =>
          m.startsWith('session_data_config.data_upkeep.derived_intervals[1]:') &&
          m.includes('"7m"'),
      ),
    ).toBe(true);
    expect(found).toHaveLength(6);
  });

  it('reports structural problems with their paths, and unknown keys (typos)', () => {
    const found = problems({
      session_name: '',
      mode: 'paper',
      data_streams: [],
      backtest_config: {
        start_date: '2024-03-05',
        end_date: '2024-03-04',
        speed_multiplier: -1,
        speed: 2,
      },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        'session_name: session_name must not be empty',
        expect.stringMatching(/^mode: /),
        'data_streams: At least one data stream is required',
        expect.stringMatching(/^backtest_config\.speed_multiplier: /),
        expect.stringMatching(/^backtest_config: Unrecognized key.*speed/),
      ]),
    );
  });

  it('refuses a config that is not an object', () => {
    expect(problems(null)[0]).toMatch(/^config: /);
    expect(problems([])[0]).toMatch(/^config: /);
  });
});
