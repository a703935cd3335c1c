import { describe, expect, it } from 'vitest';
import { GapLogBatch, type SettledGap } from '../../src/main/service/gap-log';
import { sessionZone } from '../../src/shared/session-zone';

const OPEN = Date.parse('2013-10-07T13:30:00Z');

function gap(i: number, expected: number, filled: number, symbol = 'SPY'): SettledGap {
  const start = OPEN + i * 10_000;
  return {
    symbol,
    interval: '1s',
    start,
    end: start + expected * 1000,
    expected,
    filled,
    attempts: 6,
    outcome: filled === expected ? 'filled' : filled > 0 ? 'partial' : 'missing',
  };
}

describe('the Log’s gap lines', () => {
  it('writes one line for a cycle in which thousands of gaps settled', () => {
    const batch = new GapLogBatch();
    for (let i = 0; i < 6688; i++)
      batch.add(gap(i, i === 500 ? 120 : 1, i % 10 === 0 && i !== 500 ? 1 : 0));
    batch.add(gap(7000, 3, 3, 'AIG'));
    const line = batch.flush()!;
    expect(line.level).toBe('warn');
    expect(line.message.split('\n')).toHaveLength(1);
    expect(line.message).toMatch(
      /^Upkeep: 6,689 gaps settled: SPY 1s: 6,688 \(668 refilled, 6,139 bars still missing\); /,
    );
    expect(line.message).toContain('AIG 1s: 1 (1 refilled, 0 bars still missing)');
    expect(line.message).toContain('Largest: SPY 2013-10-07 10:53:20–10:55:20 New York, 0 of 120');
    expect(batch.flush()).toBeNull();
  });

  it('keeps a lone gap’s own detailed line', () => {
    const batch = new GapLogBatch();
    batch.add({ ...gap(0, 2, 0), lastError: 'no such file' });
    expect(batch.flush()).toEqual({
      level: 'warn',
      message:
        'SPY 1s: gap 2013-10-07 09:30:00–09:30:02 New York, 0 of 2 bars refilled after 6 ' +
        'attempt(s) (last error: no such file).',
    });
  });

  it('writes a 24x7 session’s gaps in UTC, as its clock reads them', () => {
    const batch = new GapLogBatch(sessionZone(['24x7', '24x7']));
    batch.add(gap(0, 2, 0, 'BTCUSD'));
    expect(batch.flush()!.message).toMatch(/^BTCUSD 1s: gap 2013-10-07 13:30:00–13:30:02 UTC, /);
    batch.add(gap(0, 2, 0, 'BTCUSD'));
    batch.add(gap(1, 3, 0, 'BTCUSD'));
    expect(batch.flush()!.message).toContain('Largest: BTCUSD 2013-10-07 13:30:10–13:30:13 UTC');
  });

  it('keeps New York when any symbol trades on the exchange calendar', () => {
    expect(sessionZone(['24x7', 'XNYS'])).toBe('America/New_York');
    expect(sessionZone(['24x7', undefined])).toBe('America/New_York');
    expect(sessionZone([])).toBe('America/New_York');
  });
});
