/**
 * The panels read times in the screen's zone (the clock's): a 24x7 session's gaps in UTC, an
 * exchange session's in New York, and whatever zone the user chose.
 */
import { describe, expect, it } from 'vitest';
import { gapLabel } from '../../src/renderer/src/components/panels/SessionDataPanel';
import { displayZone } from '../../src/renderer/src/state/display-zone';
import type { SymbolInfo } from '../../src/shared/ipc-contract';

function symbol(name: string, calendar: string): SymbolInfo {
  return {
    symbol: name,
    baseInterval: '1s',
    derivedIntervals: [],
    hasQuotes: false,
    hasTicks: true,
    calendar,
  };
}

const GAP = {
  start: Date.parse('2024-03-04T10:00:05Z'),
  end: Date.parse('2024-03-04T10:00:09Z'),
};

describe('gap labels in the screen’s zone', () => {
  it('reads a crypto session’s gap in UTC under Auto', () => {
    const zone = displayZone('auto', [symbol('BTCUSD', '24x7'), symbol('ETHUSD', '24x7')]);
    expect(gapLabel(GAP, zone)).toBe('2024-03-04 10:00:05–10:00:09');
  });

  it('reads an exchange session’s gap in New York under Auto', () => {
    const zone = displayZone('auto', [symbol('SPY', 'XNYS'), symbol('BTCUSD', '24x7')]);
    expect(gapLabel(GAP, zone)).toBe('2024-03-04 05:00:05–05:00:09');
  });

  it('follows a chosen zone', () => {
    expect(gapLabel(GAP, displayZone('utc', [symbol('SPY', 'XNYS')]))).toBe(
      '2024-03-04 10:00:05–10:00:09',
    );
    expect(gapLabel(GAP, displayZone('exchange', [symbol('BTCUSD', '24x7')]))).toBe(
      '2024-03-04 05:00:05–05:00:09',
    );
  });
});
