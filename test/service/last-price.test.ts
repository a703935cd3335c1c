import { describe, expect, it } from 'vitest';
import { SymbolData } from '../../src/main/engine/symbol-data';
import { lastPrice, pricePrecision } from '../../src/main/service/session-stats';
import type { Session } from '../../src/main/host/session-host';

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

describe('price precision in the stats', () => {
  it("learns a symbol's decimals from its bars, quotes and trades as they arrive", () => {
    const session = {} as Session;
    const fx = new SymbolData('EURUSD');
    expect(pricePrecision(session, 'EURUSD', fx)).toBe(2);
    fx.bars_base.append(0, [1.08, 1.0812, 1.079, 1.081, 10]);
    expect(pricePrecision(session, 'EURUSD', fx)).toBe(4);
    fx.quotes.append(1000, [1.08123, 1.08135, 1, 1]);
    expect(pricePrecision(session, 'EURUSD', fx)).toBe(5);
    // A later price with fewer decimals takes none away.
    fx.bars_base.append(60_000, [1.08, 1.09, 1.07, 1.08, 10]);
    expect(pricePrecision(session, 'EURUSD', fx)).toBe(5);

    const stock = new SymbolData('SPY');
    stock.ticks.append(1000, [168.1, 100]);
    expect(pricePrecision(session, 'SPY', stock)).toBe(2);
    stock.ticks.append(1001, [168.1234, 100]);
    expect(pricePrecision(session, 'SPY', stock)).toBe(4);
    // Another session learns afresh.
    expect(pricePrecision({} as Session, 'SPY', new SymbolData('SPY'))).toBe(2);
  });
});
