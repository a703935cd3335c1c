/**
 * Symbols for imported rows: cleaned up from a column's values (BTC/USDT → BTC-USDT) or guessed
 * from a file's path (AAPL_1m_2024-03-04.parquet → AAPL, spy.csv → SPY, XRP_ETH-trades.parquet →
 * XRP-ETH, and a Hive partition such as …/symbol=BRK.B/date=2024-03-04/part-0.parquet → BRK.B).
 * A guess from a file name is said to be one, with a doubt when the name holds more than a
 * ticker usually does.
 */
import path from 'node:path';
import type { SymbolGuess } from '../../../shared/import-contract';
import { isValidSymbol, normalizeSymbol } from '../../../shared/symbol';

/** Words vendors put after the symbol in a file name; never part of it. */
const NAME_WORDS =
  /^(?:quotes?|trades?|ticks?|bars?|ohlcv?|kline?s?|candles?|minute|second|min|sec|\d+(?:s|m|min|sec|h|d)|\d{4}-?\d{2}-?\d{2}(?:t\S*)?)$/i;

/** Quote currencies of pairs, so that XRP_ETH names the pair and not XRP alone. */
const QUOTE_CURRENCIES = new Set([
  'USD',
  'USDT',
  'USDC',
  'BUSD',
  'DAI',
  'EUR',
  'GBP',
  'JPY',
  'CHF',
  'CAD',
  'AUD',
  'BTC',
  'XBT',
  'ETH',
  'BNB',
]);

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
  return guessSymbol(file)?.symbol;
}

/**
 * The symbol a file's path suggests: said outright by a Hive partition (`guess` absent), or
 * guessed from the file's name (`guess` set).
 */
export function guessSymbol(file: string): { symbol: string; guess?: SymbolGuess } | undefined {
  // A Hive partition (another Tapedeck store, a lake export) says it outright.
  const partition = /(?:^|[\\/])symbol=([^\\/]+)[\\/]/.exec(file);
  if (partition) {
    const symbol = cleanSymbol(partition[1]!);
    return symbol ? { symbol } : undefined;
  }
  const fileName = path.basename(file);
  if (PART_FILE.test(fileName)) return undefined;
  const base = fileName
    .replace(/\.(?:gz|gzip)$/i, '')
    .replace(/\.(?:csv|txt|tsv|parquet|pq)$/i, '');
  const words = base
    .split(/[_\s]+/)
    .map(stripNameWords)
    .filter((w) => w !== '' && !NAME_WORDS.test(w));
  const first = words[0];
  if (!first || /^\d+$/.test(first)) return undefined;
  // XRP_ETH-trades: a base and a quote currency split by the underscore are one pair.
  const second = words[1]?.toUpperCase();
  const word =
    second && QUOTE_CURRENCIES.has(second) && /^[a-z0-9]+$/i.test(first)
      ? `${first}-${second}`
      : first;
  const symbol = cleanSymbol(word);
  if (!symbol) return undefined;
  const doubt = doubtOf(symbol);
  return { symbol, guess: { symbol, fileName, ...(doubt ? { doubt } : {}) } };
}

/** Trailing -quotes, -1m, -2024-03-04 or -2011-03, but never the second half of BTC-USD. */
function stripNameWords(text: string): string {
  let word = text;
  for (;;) {
    const stripped = word
      .replace(/-\d{4}-\d{2}(?:-\d{2})?$/, '')
      .replace(/-([a-z0-9]+)$/i, (m, w: string) => (NAME_WORDS.test(w) ? '' : m));
    if (stripped === word) return word;
    word = stripped;
  }
}

/**
 * Why a guessed symbol may not be the instrument's ticker: digits in a dashed part (a date or a
 * version), or a part before the ticker that is no pair's or share class's (a vendor prefix).
 */
function doubtOf(symbol: string): string | undefined {
  const parts = symbol.split('-');
  if (parts.length === 1) return undefined;
  if (parts.some((p) => /\d/.test(p))) return 'it holds digits, as a date or a version would';
  const last = parts.at(-1)!;
  if (parts.length === 2 && (QUOTE_CURRENCIES.has(last) || last.length === 1)) return undefined;
  return 'it has more parts than a ticker or a currency pair (a vendor prefix?)';
}
