/**
 * How one LEAN file is to be read, settled before its rows are: the stream it makes, the zone
 * of its times, its price scale and its decoder. Equity and crypto differ (Data/*\/readme.md):
 * equity times are New York wall clock and prices are integer dollars × 10,000; crypto times
 * are UTC and prices plain decimals. The path says which (`equity/`, `crypto/`); when it does
 * not (a file copied out of its tree), the first row does, since an equity price never has a
 * decimal point and a crypto one almost always has.
 */
import { EXCHANGE_TZ } from '../../../../shared/time';
import type { BaseInterval } from '../../../../shared/interval';
import { isValidSymbol, normalizeSymbol } from '../../../../shared/symbol';
import type { ImportOptions, ImportProblem } from '../import-types';
import { coarseIntervalMessage } from '../interval-inference';
import { symbolAliases } from '../instrument-names';
import {
  quoteBarDecoder,
  quoteTickDecoder,
  tradeBarDecoder,
  tradeTickDecoder,
  type LeanDecoder,
} from './lean-decoders';
import type { LeanFileName, LeanMarket } from './lean-path';

export interface LeanFormat {
  market: LeanMarket;
  /** Whether the market came from the path or had to be read off the data. */
  marketFrom: 'path' | 'data';
  tz: string;
  priceDivisor: number;
  symbol: string;
  date: string;
  interval?: BaseInterval;
  intervalMs: number;
  decoder: LeanDecoder;
  /**
   * Regular session as ms-of-day on the file's date, for counting rows outside it when the host
   * gives no calendar; null for markets that never close. A weekend date has an empty session.
   * Without the host's calendar, holidays and 13:00 early closes are not known.
   */
  regularHours: readonly [number, number] | null;
  /** What the preview says about how times and prices were read. */
  note: string;
}

/** NYSE regular hours, 09:30-16:00 local: the fallback when the host gives no calendar. */
const NYSE_REGULAR: readonly [number, number] = [34_200_000, 57_600_000];

/** Problems that stop the file before any row is read; empty when it can be read. */
export function fileProblems(
  file: string,
  name: LeanFileName,
  options: ImportOptions,
): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const add = (message: string): void => void problems.push({ file, message, severity: 'error' });
  if (name.unsupportedMarket) {
    add(
      `LEAN ${name.unsupportedMarket} files are not supported: the LEAN importer reads equity and crypto trade and quote files.`,
    );
  }
  if (name.resolution === 'hour' || name.resolution === 'daily') {
    add(
      `LEAN ${name.resolution} bars: ${coarseIntervalMessage(name.resolution === 'hour' ? '1h' : '1d')}`,
    );
  }
  const fileInterval = intervalOf(name);
  if (options.interval && fileInterval && options.interval !== fileInterval) {
    add(
      `--interval ${options.interval} does not match the file, which holds LEAN ${name.resolution} bars (${fileInterval}).`,
    );
  }
  const symbol = symbolOf(name, options);
  if (!isValidSymbol(symbol)) {
    add(`Symbol "${symbol}" is not valid: use letters, digits, '.' and '-' (at most 32).`);
  }
  return problems;
}

/** Settles the format once the first data row is known. */
export function leanFormat(
  name: LeanFileName,
  options: ImportOptions,
  firstRow: string,
): LeanFormat {
  const market = name.market ?? (looksDecimal(firstRow) ? 'crypto' : 'equity');
  const tz = market === 'equity' ? EXCHANGE_TZ : 'UTC';
  const priceDivisor = market === 'equity' ? 10_000 : 1;
  const interval = intervalOf(name);
  const intervalMs = interval === '1s' ? 1000 : interval === '1m' ? 60_000 : 0;
  const decoder =
    name.resolution === 'tick'
      ? name.kind === 'trade'
        ? tradeTickDecoder(priceDivisor)
        : quoteTickDecoder(priceDivisor)
      : name.kind === 'trade'
        ? tradeBarDecoder(priceDivisor)
        : quoteBarDecoder(priceDivisor, intervalMs);
  const date = name.date!;
  const from = name.market
    ? `the path's "${market}/"`
    : 'the data (no equity/ or crypto/ in the path)';
  const notes = [
    `LEAN ${market} (from ${from}): time = ms since midnight ${tz} of ${date}, the file's date`,
    market === 'equity' ? 'prices in dollars x 10,000, divided back' : 'decimal prices',
  ];
  if (decoder.kind === 'quotes' && name.resolution !== 'tick') {
    notes.push(
      `quote bars: one quote per bar at its end (start + ${interval}), with the closing bid/ask and last sizes`,
    );
  }
  if (name.resolution === 'tick' && name.kind === 'quote') {
    notes.push(
      'quote ticks: the latest bid and latest ask of any exchange (as LEAN consolidates them), one quote per millisecond that changes them',
    );
  }
  if (options.tz && options.tz !== tz)
    notes.push(`--tz ${options.tz} ignored: LEAN defines the zone`);
  if (options.mapping) notes.push("the column mapping is ignored: LEAN's layout is fixed");
  if (options.stamp === 'end')
    notes.push('--stamp end ignored: LEAN bars are stamped at their start');
  return {
    market,
    marketFrom: name.market ? 'path' : 'data',
    tz,
    priceDivisor,
    symbol: symbolOf(name, options),
    date,
    ...(interval ? { interval } : {}),
    intervalMs,
    decoder,
    regularHours: market !== 'equity' ? null : isWeekend(date) ? [0, 0] : NYSE_REGULAR,
    note: `${notes.join('; ')}.`,
  };
}

function isWeekend(date: string): boolean {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
}

function intervalOf(name: LeanFileName): BaseInterval | undefined {
  return name.resolution === 'second' ? '1s' : name.resolution === 'minute' ? '1m' : undefined;
}

function symbolOf(name: LeanFileName, options: ImportOptions): string {
  return symbolAliases(options)(normalizeSymbol(options.symbol ?? name.symbol));
}

/** Whether a row's price fields are written with a decimal point (the time field never is). */
function looksDecimal(row: string): boolean {
  const comma = row.indexOf(',');
  return comma >= 0 && row.indexOf('.', comma) >= 0;
}
