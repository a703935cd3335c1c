import { describe, expect, it } from 'vitest';
import { SymbolData } from '../../src/main/engine/symbol-data';
import { lastPrice } from '../../src/main/service/session-stats';

describe('Last for symbols without bars', () => {
  it('is the last trade for a ticks-only symbol, the mid for a quotes-only one', () => {
    const quotesOnly = new SymbolData('EURUSD');
    expect(lastPrice(quotesOnly)).toBeNull();
    quotesOnly.quotes.append(1000, [1.1, 1.3, 0, 0]);
    expect(lastPrice(quotesOnly)).toBeCloseTo(1.2, 12);
    const ticks = new SymbolData('BTC');
    ticks.quotes.append(1000, [10, 12, 1, 1]);
    ticks.ticks.append(1000, [101, 1]);
    ticks.ticks.append(1001, [102.5, 2]);
    expect(lastPrice(ticks)).toBe(102.5);
    ticks.bars_base.append(0, [1, 2, 0.5, 1.5, 10]);
    expect(lastPrice(ticks)).toBe(1.5);
  });
});
