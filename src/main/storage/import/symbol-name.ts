/**
 * Symbols for imported rows: cleaned up from a column's values (BTC/USDT → BTC-USDT) or guessed
 * from a file's path (AAPL_1m_2024-03-04.parquet → AAPL, spy.csv → SPY, and a Hive partition
 * such as …/symbol=BRK.B/date=2024-03-04/part-0.parquet → BRK.B).
 */
import path from 'node:path';
import { isValidSymbol, normalizeSymbol } from '../../../shared/symbol';

/** Words vendors put after the symbol in a file name; never part of it. */
const NAME_WORDS =
  /^(?:quotes?|trades?|ticks?|bars?|ohlcv?|kline?s?|candles?|minute|second|min|sec|\d+(?:s|m|min|sec|h|d)|\d{4}-?\d{2}-?\d{2}(?:t\S*)?)$/i;

/** A symbol as our stores name it, or undefined when the text cannot be one. */
export function cleanSymbol(raw: string): string | undefined {
  // Pairs are written BTC/USDT or BTC_USDT by some venues; our files use BTC-USDT.
  const symbol = normalizeSymbol(raw).replace(/[/_ ]/g, '-');
  return isValidSymbol(symbol) ? symbol : undefined;
}

/** Part files of lake datasets (part-0.parquet, part-00000-<uuid>.parquet) name no symbol. */
const PART_FILE = /^part-\d+(?:-[\w-]+)?(?:\.[a-z0-9]+)*$/i;

/** The symbol a file's path suggests, or undefined. */
export function symbolFromFileName(file: string): string | undefined {
  // A Hive partition (another Tapedeck store, a lake export) says it outright.
  const partition = /(?:^|[\\/])symbol=([^\\/]+)[\\/]/.exec(file);
  if (partition) return cleanSymbol(partition[1]!);
  let base = path.basename(file);
  if (PART_FILE.test(base)) return undefined;
  base = base.replace(/\.(?:gz|gzip)$/i, '').replace(/\.(?:csv|txt|tsv|parquet|pq)$/i, '');
  const first = base.split(/[_\s]+/).find((part) => part && !NAME_WORDS.test(part));
  if (!first) return undefined;
  let word: string = first;
  // Trailing -quotes, -1m or -2024-03-04, but never the second half of BTC-USD.
  for (;;) {
    const stripped: string = word
      .replace(/-\d{4}-\d{2}-\d{2}$/, '')
      .replace(/-([a-z0-9]+)$/i, (m, w: string) => (NAME_WORDS.test(w) ? '' : m));
    if (stripped === word) break;
    word = stripped;
  }
  if (!word || /^\d+$/.test(word)) return undefined;
  return cleanSymbol(word);
}
