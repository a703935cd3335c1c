/**
 * The real vendor files the GENERIC parquet/CSV path must take (INDEX.txt): Binance quotes and
 * trades as Brotli parquet, TrueFX quotes without sizes, CME 6EH4 minute bars stamped at their
 * END; each imported, replayed by a headless session on the 24x7 calendar, and compared exactly
 * with DuckDB reading the source file itself. And the Nautilus catalog parquet (a foreign
 * schema of binary decimals, 100x off) must be refused clearly, never crash.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/main/storage/import/import-types';
import { openImportReader } from '../../../src/main/storage/import/open-import-reader';
import {
  duckColumns,
  firstDifference,
  importFiles,
  MISSING_REASON,
  realFolder,
  removeTemps,
  replay,
  sessionColumns,
  sql,
  tempDir,
} from './real-helpers';

afterAll(removeTemps);

const skipped = (dir: string | null) => (dir ? '' : ` (skipped: ${MISSING_REASON})`);

async function expectSame(ours: number[][], query: string, names: string[]): Promise<void> {
  const theirs = await duckColumns(query);
  expect(theirs[0]!.length).toBeGreaterThan(0);
  expect(firstDifference(ours, theirs, names)).toBeNull();
}

const binance = realFolder('nautilus-binance-btcusdt-parquet');
describe.skipIf(!binance)(`real nautilus-binance-btcusdt-parquet${skipped(binance)}`, () => {
  it('Brotli parquet quotes (ask before bid) and trades import, replay and match DuckDB', async () => {
    const quotes = join(binance!, 'btcusdt-quotes.parquet');
    const trades = join(binance!, 'btcusdt-trades.parquet');
    const data = tempDir();
    const result = await importFiles(data, [{ file: quotes }, { file: trades }]);
    const q = result.streams.find((s) => s.kind === 'quotes')!;
    const t = result.streams.find((s) => s.kind === 'ticks')!;
    // SOURCE.txt: 451 quotes (23 sharing a timestamp: kept, they are distinct updates), 2,001 trades.
    expect([q.rows, t.rows]).toEqual([451, 2001]);
    const session = await replay(
      data,
      [
        { type: 'quotes', symbol: q.symbol },
        { type: 'ticks', symbol: t.symbol },
      ],
      '24x7',
    );
    await expectSame(
      sessionColumns(session, q.symbol, 'quotes'),
      `SELECT epoch_ms(timestamp), bid, ask, bid_size, ask_size
       FROM read_parquet(${sql(quotes)}, file_row_number = true) ORDER BY timestamp, file_row_number`,
      ['timestamp', 'bid', 'ask', 'bid_size', 'ask_size'],
    );
    await expectSame(
      sessionColumns(session, t.symbol, 'ticks'),
      `SELECT epoch_ms(timestamp), price, quantity
       FROM read_parquet(${sql(trades)}, file_row_number = true) ORDER BY timestamp, file_row_number`,
      ['timestamp', 'price', 'size'],
    );
  });
});

const truefx = realFolder('nautilus-truefx-usdjpy-quotes');
describe.skipIf(!truefx)(`real nautilus-truefx-usdjpy-quotes${skipped(truefx)}`, () => {
  it('quotes without sizes import with a warning, replay and match DuckDB', async () => {
    const file = join(truefx!, 'usdjpy-ticks.csv');
    const preview = await (await openImportReader(file)).preview({});
    expect(preview.symbols[0]).toMatchObject({ kind: 'quotes', rows: 1000 });
    expect(preview.counts.crossedQuotes).toBe(0); // one locked (bid = ask) row is not crossed
    expect(preview.problems.some((p) => /size/.test(p.message))).toBe(true);
    const data = tempDir();
    const result = await importFiles(data, [{ file }]);
    const symbol = result.streams[0]!.symbol;
    const session = await replay(data, [{ type: 'quotes', symbol }], '24x7');
    const ours = sessionColumns(session, symbol, 'quotes');
    await expectSame(
      ours.slice(0, 3),
      `SELECT epoch_ms(timestamp::TIMESTAMPTZ), bid, ask
       FROM read_csv(${sql(file)}, header = true, columns = {'timestamp': 'VARCHAR', 'bid': 'DOUBLE', 'ask': 'DOUBLE'})`,
      ['timestamp', 'bid', 'ask'],
    );
  });
});

const xcme = realFolder('nautilus-xcme-6eh4-minute');
describe.skipIf(!xcme)(`real nautilus-xcme-6eh4-minute with --stamp end${skipped(xcme)}`, () => {
  it('a month of END-stamped 1m bars is shifted to starts, replays and matches DuckDB', async () => {
    const file = join(xcme!, '6EH4.XCME_1min_bars_20240101_20240131.csv.gz');
    const data = tempDir();
    const result = await importFiles(data, [{ file, options: { stamp: 'end', symbol: '6EH4' } }]);
    expect(result.streams[0]).toMatchObject({ symbol: '6EH4', kind: 'bars', interval: '1m' });
    expect(result.streams[0]!.rows).toBe(29_996);
    const session = await replay(data, [{ type: 'bars', symbol: '6EH4', interval: '1m' }], '24x7');
    const bars = sessionColumns(session, '6EH4', 'bars');
    // The first session opens 23:00Z on 2024-01-01: its first bar, stamped 23:01, starts then.
    expect(new Date(bars[0]![0]!).toISOString()).toBe('2024-01-01T23:00:00.000Z');
    await expectSame(
      bars,
      `SELECT epoch_ms(strptime(timestamp_utc, '%Y-%m-%d %H:%M:%S')) - 60000, open, high, low, close, volume
       FROM read_csv(${sql(file)}, header = true, columns = {'timestamp_utc': 'VARCHAR', 'open': 'DOUBLE',
         'high': 'DOUBLE', 'low': 'DOUBLE', 'close': 'DOUBLE', 'volume': 'DOUBLE'})
       ORDER BY 1`,
      ['timestamp', 'open', 'high', 'low', 'close', 'volume'],
    );
  });
});

const catalog = realFolder('nautilus-catalog-bars-parquet');
describe.skipIf(!catalog)(`real nautilus-catalog-bars-parquet${skipped(catalog)}`, () => {
  it.each(['64-bit/bars.parquet', '128-bit/bars.parquet'])(
    '%s (binary decimals) is refused with a clear error, never a crash',
    async (name) => {
      const file = join(catalog!, name);
      const reader = await openImportReader(file);
      const preview = await reader.preview({});
      const errors = preview.problems.filter((p) => p.severity === 'error');
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((p) => p.file === file && p.message.length > 0)).toBe(true);
      // It names the columns it could not use.
      expect(errors.map((p) => p.message).join('\n')).toMatch(/open, high, low, close, volume/);
      const failure = await (async () => {
        for await (const _chunk of reader.read({})) {
          // nothing may come out of a refused file
          return 'yielded a chunk';
        }
        return 'finished without refusing';
      })().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ImportError);
    },
  );

  it('the Binance kline CSV beside them (no header) imports, replays and matches DuckDB', async () => {
    const file = join(catalog!, 'ADABTC-1m-2021-11-27.csv');
    const data = tempDir();
    const result = await importFiles(data, [{ file }]);
    expect(result.streams[0]).toMatchObject({ symbol: 'ADABTC', interval: '1m', rows: 10 });
    const session = await replay(
      data,
      [{ type: 'bars', symbol: 'ADABTC', interval: '1m' }],
      '24x7',
    );
    const names = Array.from({ length: 12 }, (_, i) => `'c${i + 1}': 'DOUBLE'`).join(', ');
    await expectSame(
      sessionColumns(session, 'ADABTC', 'bars'),
      `SELECT c1, c2, c3, c4, c5, c6 FROM read_csv(${sql(file)}, header = false, columns = {${names}}) ORDER BY c1`,
      ['timestamp', 'open', 'high', 'low', 'close', 'volume'],
    );
  });
});
