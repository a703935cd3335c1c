/**
 * The generic reader on real vendor files (see each folder's SOURCE.txt for the facts checked
 * here). Skipped, saying so, where the shared data folder is absent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { previewFile } from '../../../src/main/storage/import';
import { drain } from './reader-fixtures';
import { outsidePath } from '../../outside-data';

const REAL = outsidePath('real');

function folder(name: string): string | undefined {
  const dir = join(REAL, name);
  return existsSync(join(dir, 'SOURCE.txt')) ? dir : undefined;
}

const binance = folder('nautilus-binance-btcusdt-parquet');
const truefx = folder('nautilus-truefx-usdjpy-quotes');
const xcme = folder('nautilus-xcme-6eh4-minute');
const catalog = folder('nautilus-catalog-bars-parquet');

describe.skipIf(!binance)(
  `real Binance BTC/USDT parquet (${binance ?? 'absent: ../shared/data/real'})`,
  () => {
    it('previews and reads the Brotli quotes: 451 rows, ask before bid, same-ms rows kept', async () => {
      const file = join(binance!, 'btcusdt-quotes.parquet');
      const preview = await previewFile(file);
      expect(preview.format).toBe('parquet');
      expect(preview.mapping).toEqual({
        timestamp: 'timestamp',
        kind: 'quotes',
        symbol: 'symbol',
        fields: { bid: 'bid', ask: 'ask', bid_size: 'bid_size', ask_size: 'ask_size' },
      });
      expect(preview.symbols).toEqual([
        {
          symbol: 'BTC-USDT',
          kind: 'quotes',
          rows: 451,
          first: '2021-01-07T19:00:01.076-05:00',
          last: '2021-01-07T19:00:46.674-05:00',
          tradingDays: ['2021-01-07'],
        },
      ]);
      expect(preview.counts).toMatchObject({
        rows: 451,
        invalid: 0,
        crossedQuotes: 0,
        duplicates: 0,
      });
      const quotes = (await drain(file)).symbols.get('BTC-USDT')!;
      expect(quotes.timestamp).toHaveLength(451);
      expect(quotes.timestamp[0]).toBe(Date.parse('2021-01-08T00:00:01.076Z'));
      expect(quotes.timestamp.at(-1)).toBe(Date.parse('2021-01-08T00:00:46.674Z'));
      let sameMs = 0;
      for (let i = 1; i < quotes.timestamp.length; i++) {
        if (quotes.timestamp[i] === quotes.timestamp[i - 1]) sameMs++;
      }
      expect(sameMs).toBe(23);
      // Prices in USDT around 39,4xx; bid below ask on every row.
      const [bid, ask] = quotes.values;
      expect(bid.every((b, i) => b > 39_000 && b < 40_000 && b <= ask[i])).toBe(true);
    });

    it('reads the trades as ticks (price, quantity): 2,001 rows', async () => {
      const file = join(binance!, 'btcusdt-trades.parquet');
      const preview = await previewFile(file);
      expect(preview.mapping).toMatchObject({
        kind: 'ticks',
        fields: { price: 'price', size: 'quantity' },
      });
      expect(preview.symbols[0]).toMatchObject({
        symbol: 'BTCUSDT',
        rows: 2001,
        first: '2021-01-07T19:00:00.278-05:00',
        last: '2021-01-07T19:00:46.355-05:00',
      });
      const trades = (await drain(file)).symbols.get('BTCUSDT')!;
      expect(trades.timestamp).toHaveLength(2001);
      expect(trades.values[1].every((q) => q > 0)).toBe(true);
    });
  },
);

describe.skipIf(!truefx)(`real TrueFX USD/JPY quotes CSV (${truefx ?? 'absent'})`, () => {
  it('reads 1,000 quotes with UTC offsets, sizes 0 (TrueFX has none), locked row not crossed', async () => {
    const file = join(truefx!, 'usdjpy-ticks.csv');
    const preview = await previewFile(file);
    expect(preview.symbols).toEqual([
      {
        symbol: 'USDJPY',
        kind: 'quotes',
        rows: 1000,
        first: '2013-01-01T17:00:00.295-05:00',
        last: '2013-01-01T17:35:13.494-05:00',
        tradingDays: ['2013-01-01'],
      },
    ]);
    expect(preview.counts).toMatchObject({ rows: 1000, invalid: 0, crossedQuotes: 0 });
    expect(preview.problems.map((p) => p.message)).toEqual([
      'no bid_size or ask_size column: imported as 0',
    ]);
    const quotes = (await drain(file)).symbols.get('USDJPY')!;
    expect(quotes.timestamp[0]).toBe(Date.UTC(2013, 0, 1, 22, 0, 0, 295));
    expect(quotes.timestamp.at(-1)).toBe(Date.UTC(2013, 0, 1, 22, 35, 13, 494));
    expect(quotes.values[0][0]).toBe(86.655);
    expect(quotes.values[1][0]).toBe(86.728);
    expect(quotes.values[2].every((s) => s === 0)).toBe(true);
  });
});

describe.skipIf(!xcme)(`real CME 6EH4 1-minute bars, gzip CSV (${xcme ?? 'absent'})`, () => {
  const file = () => join(xcme!, '6EH4.XCME_1min_bars_20240101_20240131.csv.gz');

  it('reads 29,996 end-stamped 1m bars, shifted to their start', async () => {
    const options = { stamp: 'end' as const, symbol: '6EH4' };
    const preview = await previewFile(file(), options);
    expect(preview.mapping.timestamp).toBe('timestamp_utc');
    expect(preview.symbols).toHaveLength(1);
    const [bars] = preview.symbols;
    expect(bars).toMatchObject({
      symbol: '6EH4',
      interval: '1m',
      rows: 29_996,
      // Stamped 23:01Z (end of the session's first minute): starts at 23:00Z, 18:00 New York.
      first: '2024-01-01T18:00:00.000-05:00',
      last: '2024-01-31T18:58:00.000-05:00',
    });
    expect(bars.tradingDays).toHaveLength(27);
    expect(preview.counts).toMatchObject({ invalid: 0, duplicates: 0, outOfOrder: 0 });
    const read = (await drain(file(), options)).symbols.get('6EH4')!;
    expect(read.timestamp).toHaveLength(29_996);
    expect(read.timestamp[0]).toBe(Date.UTC(2024, 0, 1, 23, 0));
    // First source row: 2024-01-01 23:01:00,1.1076,1.10785,1.1076,1.1078,205
    expect(read.values.map((v) => v[0])).toEqual([1.1076, 1.10785, 1.1076, 1.1078, 205]);
  });
});

describe.skipIf(!catalog)(`real Binance kline CSV, headerless (${catalog ?? 'absent'})`, () => {
  it('reads the 10 ADA/BTC 1m bars with a given mapping', async () => {
    const file = join(catalog!, 'ADABTC-1m-2021-11-27.csv');
    const mapping = {
      timestamp: 'column1',
      kind: 'bars' as const,
      fields: {
        open: 'column2',
        high: 'column3',
        low: 'column4',
        close: 'column5',
        volume: 'column6',
      },
    };
    const preview = await previewFile(file, { mapping });
    expect(preview.symbols[0]).toMatchObject({ symbol: 'ADABTC', interval: '1m', rows: 10 });
    expect(preview.timestampUnitNote).toBe('ms, from magnitude 1.6e12');
    const bars = (await drain(file, { mapping })).symbols.get('ADABTC')!;
    expect(bars.timestamp[0]).toBe(Date.UTC(2021, 10, 27, 0, 0));
    expect(bars.timestamp[9]).toBe(Date.UTC(2021, 10, 27, 0, 9));
    expect(bars.values[0][0]).toBe(0.00002853);
  });
});
