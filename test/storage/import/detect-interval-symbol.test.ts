import { describe, expect, it } from 'vitest';
import {
  coarseIntervalMessage,
  inferInterval,
} from '../../../src/main/storage/import/interval-inference';
import { cleanSymbol, symbolFromFileName } from '../../../src/main/storage/import/symbol-name';

const T = Date.UTC(2024, 2, 4, 14, 30);
const series = (gaps: number[]) => gaps.reduce((ts, g) => [...ts, ts[ts.length - 1] + g], [T]);

describe('inferInterval', () => {
  it('finds 1s and 1m in dense data', () => {
    expect(inferInterval(series(Array(50).fill(1000))).interval).toBe('1s');
    expect(inferInterval(series(Array(50).fill(60_000))).interval).toBe('1m');
  });

  it('finds 1m in sparse data, where minutes without trades are absent', () => {
    const gaps = [60_000, 120_000, 60_000, 300_000, 60_000, 180_000, 60_000, 60_000, 120_000];
    expect(inferInterval(series(gaps))).toEqual({ interval: '1m', spacingMs: 60_000 });
  });

  it('finds 1s in a thin file whose most common gap is 2s', () => {
    const gaps = [2000, 2000, 2000, 3000, 1000, 2000, 3000, 2000, 1000, 2000];
    expect(inferInterval(series(gaps)).interval).toBe('1s');
  });

  it('ignores ties and a rare odd gap', () => {
    const gaps = [...Array(40).fill(60_000), 0, 0, 61_000];
    expect(inferInterval(series(gaps)).interval).toBe('1m');
  });

  it('names coarse intervals, and spacing that matches no interval', () => {
    expect(inferInterval(series(Array(20).fill(300_000))).interval).toBe('5m');
    expect(inferInterval(series(Array(20).fill(86_400_000))).interval).toBe('1d');
    expect(inferInterval(series(Array(20).fill(7000)))).toEqual({
      interval: undefined,
      spacingMs: 7000,
    });
    expect(inferInterval([T])).toEqual({ spacingMs: 0 });
  });

  it('words the refusal like the session config does', () => {
    expect(coarseIntervalMessage('5m')).toBe(
      "Invalid bar interval: 5m. Only '1s' or '1m' are supported as base intervals. Derived intervals (5m, 15m, etc.) are computed automatically.",
    );
  });
});

describe('symbols', () => {
  it.each([
    ['AAPL_1m_2024-03-04.parquet', 'AAPL'],
    ['/data/in/spy.csv', 'SPY'],
    ['btcusdt-quotes.parquet', 'BTCUSDT'],
    ['usdjpy-ticks.csv', 'USDJPY'],
    ['BTC-USD.csv.gz', 'BTC-USD'],
    ['BTC-USD_1s.csv', 'BTC-USD'],
    ['eth-usd-1m.csv', 'ETH-USD'],
    ['BRK.B-2024-03-04.csv', 'BRK.B'],
    ['6EH4.XCME_1min_bars_20240101_20240131.csv.gz', '6EH4.XCME'],
    ['/store/parquet/bars/interval=1m/symbol=BRK.B/date=2024-03-04/part-0.parquet', 'BRK.B'],
    ['lake/quotes/symbol=btc_usdt/date=2024-03-04/part-00000-1a2b.snappy.parquet', 'BTC-USDT'],
  ])('%s names %s', (file, symbol) => {
    expect(symbolFromFileName(file)).toBe(symbol);
  });

  it('gives none for names that hold no symbol', () => {
    expect(symbolFromFileName('20240304.csv')).toBeUndefined();
    expect(symbolFromFileName('1m_20240304.csv')).toBeUndefined();
    expect(symbolFromFileName('/elsewhere/date=2024-03-04/part-0.parquet')).toBeUndefined();
  });

  it('cleans column values into tickers', () => {
    expect(cleanSymbol(' btc/usdt ')).toBe('BTC-USDT');
    expect(cleanSymbol('ES_U4')).toBe('ES-U4');
    expect(cleanSymbol('a$b')).toBeUndefined();
    expect(cleanSymbol('')).toBeUndefined();
  });
});
