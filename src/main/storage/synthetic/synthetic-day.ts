/**
 * Writers of whole synthetic days into the canonical parquet layout, for the demo data and the
 * benchmarks.
 */
import path from 'node:path';
import type { BaseInterval } from '../../../shared/interval';
import type { StreamType } from '../../../shared/stream-types';
import {
  writeStreamParquet,
  type ParquetWriteSettings,
  type StreamColumns,
} from '../parquet/parquet-writer';
import { streamFilePath, streamKey } from '../parquet/parquet-layout';
import { barsFromPath, DEFAULT_SEED, quotesFromPath, simulateDay } from './market-path';
export interface GeneratedFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the data directory, with forward slashes. */
  relativePath: string;
  symbol: string;
  type: StreamType;
  interval?: BaseInterval;
  date: string;
  rows: number;
  bytes: number;
}

export interface SyntheticDayOptions {
  /** Data directory: files go to `<dataDir>/parquet/...` in the canonical layout. */
  dataDir: string;
  symbols: readonly string[];
  date: string;
  seed?: number;
  /** Per-symbol opening prices (default: the symbol profiles'). */
  startPrices?: Readonly<Record<string, number>>;
  writer?: ParquetWriteSettings;
}

export function writeStream(
  dataDir: string,
  key: { symbol: string; type: StreamType; interval?: BaseInterval; date: string },
  columns: StreamColumns,
  writer: ParquetWriteSettings | undefined,
): GeneratedFile {
  const file = streamFilePath(dataDir, streamKey(key), key.date);
  const result = writeStreamParquet(file, key.type, columns, writer);
  return {
    path: file,
    relativePath: path.relative(dataDir, file).split(path.sep).join('/'),
    ...key,
    rows: result.rows,
    bytes: result.bytes,
  };
}

function generateBars(options: SyntheticDayOptions, interval: BaseInterval): GeneratedFile[] {
  const { dataDir, symbols, date, seed = DEFAULT_SEED, startPrices, writer } = options;
  return symbols.map((symbol) => {
    const day = simulateDay({ symbol, date, seed, startPrice: startPrices?.[symbol] });
    return writeStream(
      dataDir,
      { symbol, type: 'bars', interval, date },
      barsFromPath(day, interval),
      writer,
    );
  });
}

/** One full session of 1s bars (23,400 rows) per symbol. */
export function generateBars1s(options: SyntheticDayOptions): GeneratedFile[] {
  return generateBars(options, '1s');
}

/** One full session of 1m bars (390 rows) per symbol. */
export function generateBars1m(options: SyntheticDayOptions): GeneratedFile[] {
  return generateBars(options, '1m');
}

/**
 * One session of quotes per symbol (about `quotesPerSecond` * 23,400 rows; ~100k by default for
 * symbols without a hand-set profile). Consistent with the bars generated with the same seed.
 */
export function generateQuotes(
  options: SyntheticDayOptions & { quotesPerSecond?: number },
): GeneratedFile[] {
  const { dataDir, symbols, date, seed = DEFAULT_SEED, startPrices, writer } = options;
  return symbols.map((symbol) => {
    const day = simulateDay({ symbol, date, seed, startPrice: startPrices?.[symbol] });
    const columns = quotesFromPath(day, undefined, options.quotesPerSecond);
    return writeStream(dataDir, { symbol, type: 'quotes', date }, columns, writer);
  });
}
