/**
 * Symbols the importer guesses: a pair split by an underscore stays a pair, a file name that
 * holds more than a ticker is flagged as a doubtful guess, and one instrument named two ways in
 * one import (BTC-USDT in a column, BTCUSDT in a file name, XBTUSDT from Kraken) is pointed out,
 * with the alias that makes it one symbol.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { previewFile } from '../../../src/main/storage/import';
import { previewImport } from '../../../src/main/storage/import/import-job';
import { instrumentKey, sameInstruments } from '../../../src/main/storage/import/instrument-names';
import { guessSymbol } from '../../../src/main/storage/import/symbol-name';
import {
  barLines,
  drain,
  isoSeconds,
  makeTempDir,
  removeTempDir,
  writeCsv,
} from './reader-fixtures';

const T = Date.UTC(2024, 2, 4, 14, 30);
const MIN = 60_000;

describe('guessing a symbol from a file name', () => {
  it('keeps a pair split by an underscore whole (XRP_ETH-trades is XRP-ETH, not XRP)', () => {
    expect(guessSymbol('/in/XRP_ETH-trades.parquet')).toEqual({
      symbol: 'XRP-ETH',
      guess: { symbol: 'XRP-ETH', fileName: 'XRP_ETH-trades.parquet' },
    });
    expect(guessSymbol('btc_usdt_1m.csv')?.symbol).toBe('BTC-USDT');
    // Not a quote currency: the second word is not part of the symbol.
    expect(guessSymbol('AAPL_nasdaq.csv')?.symbol).toBe('AAPL');
  });

  it('flags a name that holds more than a ticker as a doubtful guess', () => {
    const guessed = guessSymbol('/dl/nt-spy-minute-2011-03.csv');
    expect(guessed?.guess).toMatchObject({
      fileName: 'nt-spy-minute-2011-03.csv',
      doubt: expect.stringMatching(/vendor prefix/),
    });
    expect(guessed?.symbol).not.toBe('NT-SPY-MINUTE-2011-03');
    expect(guessSymbol('es-2024-v2.csv')?.guess?.doubt).toMatch(/digits/);
    // Ordinary names are guesses, without doubt.
    expect(guessSymbol('AAPL_1m_2024-03-04.csv')?.guess).toEqual({
      symbol: 'AAPL',
      fileName: 'AAPL_1m_2024-03-04.csv',
    });
    expect(guessSymbol('eth-usd-1m.csv')?.guess?.doubt).toBeUndefined();
    expect(guessSymbol('BRK-B.csv')?.guess?.doubt).toBeUndefined();
    // A Hive partition says the symbol: no guess.
    expect(guessSymbol('/s/symbol=BRK.B/date=2024-03-04/part-0.parquet')).toEqual({
      symbol: 'BRK.B',
    });
  });
});

describe('one instrument, two names', () => {
  it('reads BTC-USDT, BTCUSDT, btc_usdt and XBTUSDT as one instrument, BTC-USD as another', () => {
    const keys = ['BTC-USDT', 'BTCUSDT', 'BTC_USDT', 'XBTUSDT'].map(instrumentKey);
    expect(new Set(keys).size).toBe(1);
    expect(instrumentKey('BTC-USD')).not.toBe(keys[0]);
    expect(sameInstruments(['BTCUSDT', 'ETH-USD', 'BTC-USDT', 'XBTUSDT', 'ETHUSD'])).toEqual([
      { symbols: ['BTC-USDT', 'BTCUSDT', 'XBTUSDT'], as: 'BTC-USDT' },
      { symbols: ['ETH-USD', 'ETHUSD'], as: 'ETH-USD' },
    ]);
    expect(sameInstruments(['SPY', 'QQQ', 'BRK.B'])).toEqual([]);
  });
});

describe('previews of an import', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  async function twoFiles(): Promise<string[]> {
    const withColumn = await writeCsv(dir, 'binance-export.csv', [
      'timestamp,symbol,open,high,low,close,volume',
      ...[0, 1].map((i) => `${isoSeconds(T + i * MIN)},BTC/USDT,100,101,99,100.5,${i + 1}`),
    ]);
    const named = await writeCsv(dir, 'BTCUSDT_1m.csv', barLines(2, T + 2 * MIN, MIN));
    return [withColumn, named];
  }

  it('points out BTC-USDT (column) and BTCUSDT (file name) in both files, with the alias', async () => {
    const previews = await previewImport(await twoFiles());
    expect(previews.map((p) => p.symbols.map((s) => s.symbol))).toEqual([
      ['BTC-USDT'],
      ['BTCUSDT'],
    ]);
    for (const preview of previews) {
      expect(preview.sameInstrument).toEqual([
        { symbols: ['BTC-USDT', 'BTCUSDT'], as: 'BTC-USDT' },
      ]);
      const warning = preview.problems.find((p) => /one instrument/.test(p.message));
      expect(warning).toMatchObject({ severity: 'warning' });
      expect(warning!.message).toContain('--alias BTCUSDT=BTC-USDT');
      expect(warning!.message).toContain('BTCUSDT (BTCUSDT_1m.csv)');
    }
    expect(previews[1]!.symbolGuess).toEqual({ symbol: 'BTCUSDT', fileName: 'BTCUSDT_1m.csv' });
    expect(previews[0]!.symbolGuess).toBeUndefined();
  });

  it('points out a name the store already holds another way, and imports as the stored one', async () => {
    const named = await writeCsv(dir, 'BTCUSDT_1m.csv', barLines(2, T, MIN));
    const [preview] = await previewImport([named], {}, { storedSymbols: ['BTC-USDT', 'SPY'] });
    expect(preview!.sameInstrument).toEqual([{ symbols: ['BTC-USDT', 'BTCUSDT'], as: 'BTC-USDT' }]);
    const warning = preview!.problems.find((p) => /one instrument/.test(p.message))!;
    expect(warning.message).toContain('BTC-USDT (already stored) and BTCUSDT (BTCUSDT_1m.csv)');
    expect(warning.message).toContain('--alias BTCUSDT=BTC-USDT');
    // The stored spelling wins even without a dash: the store already uses it.
    const dashed = await writeCsv(dir, 'BTC-USDT_1m.csv', barLines(2, T, MIN));
    const [other] = await previewImport([dashed], {}, { storedSymbols: ['BTCUSDT'] });
    expect(other!.sameInstrument).toEqual([{ symbols: ['BTC-USDT', 'BTCUSDT'], as: 'BTCUSDT' }]);
    expect(other!.problems.find((p) => /one instrument/.test(p.message))!.message).toContain(
      '--alias BTC-USDT=BTCUSDT',
    );
    // Stored under the same name: nothing to point out.
    const [same] = await previewImport([named], {}, { storedSymbols: ['BTCUSDT'] });
    expect(same!.sameInstrument).toBeUndefined();
  });

  it('imports both as one symbol with the alias, and then says nothing', async () => {
    const files = await twoFiles();
    const aliases = { BTCUSDT: 'BTC-USDT' };
    const previews = await previewImport(files, { aliases });
    expect(previews.map((p) => p.symbols.map((s) => s.symbol))).toEqual([
      ['BTC-USDT'],
      ['BTC-USDT'],
    ]);
    expect(previews.every((p) => p.sameInstrument === undefined)).toBe(true);
    expect(previews.flatMap((p) => p.problems)).toEqual([]);
    // An alias applies to a column's symbols too.
    const renamed = await drain(files[0]!, { aliases: { 'BTC/USDT': 'XBT-USDT' } });
    expect([...renamed.symbols.keys()]).toEqual(['XBT-USDT']);
    const named = await drain(files[1]!, { aliases });
    expect([...named.symbols.keys()]).toEqual(['BTC-USDT']);
  });

  it('refuses an alias to a name that cannot be a symbol', async () => {
    const [, named] = await twoFiles();
    const preview = await previewFile(named!, { aliases: { BTCUSDT: 'btc/usdt!' } });
    expect(preview.problems[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/alias BTCUSDT=btc\/usdt!/),
    });
  });

  it('shows a doubtful guess in the preview, and none once the symbol is given', async () => {
    const file = await writeCsv(dir, 'nt-spy-minute-2011-03.csv', barLines(2, T, MIN));
    const guessed = await previewFile(file);
    expect(guessed.symbolGuess).toMatchObject({
      symbol: guessed.symbols[0]!.symbol,
      doubt: expect.any(String),
    });
    const given = await previewFile(file, { symbol: 'SPY' });
    expect(given.symbols[0]!.symbol).toBe('SPY');
    expect(given.symbolGuess).toBeUndefined();
  });
});
