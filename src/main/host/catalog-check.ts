/**
 * What a session's config asks for, checked against the data catalog before anything is
 * read: each stream's trading days in the asked range, resolved from catalog entries (file
 * names and footers, or SQLite indexes), so a missing stream or day is named precisely:
 *
 *   AAPL 1s bars: no data for 2024-03-06 (have 2024-03-04..2024-03-05)
 *   AAPL 1s bars: no data (the store has AAPL 1m bars 2024-03-04..2024-03-05)
 *
 * A stream with no data at all in the range stops the session; trading days missing inside
 * a range that has some data are notes (the upkeep reports their bars as gaps).
 */
import type { CatalogEntry } from '../../shared/import-contract';
import type { SessionConfig } from '../../shared/session-config';
import type { DateRange, StreamKey } from '../../shared/stream-cursor';
import { nextDate } from '../../shared/time';
import type { ExchangeCalendar } from '../../shared/market/exchange-calendar';
import type { SessionOf } from '../storage/catalog/session-window';

export interface CoverageReport {
  /** Streams with no data in the range: the session cannot start. */
  problems: string[];
  /** Trading days missing inside the range of a stream that has some. */
  notes: string[];
  /** The range the session covers: the config's, or else the first to last date with data. */
  range: { start_date: string; end_date: string } | null;
}

/** The catalog's view of a calendar: each symbol's regular session on a date. */
export function catalogSessionOf(calendarOf: (symbol: string) => ExchangeCalendar): SessionOf {
  return (symbol, date) => {
    const session = calendarOf(symbol).sessionOn(date);
    return session ? { open: session.open, close: session.close } : null;
  };
}

/** What a coverage check needs of a catalog entry: which stream has which trading day. */
export type CoverageEntry = Pick<CatalogEntry, 'symbol' | 'kind' | 'interval' | 'date'>;

export function checkCoverage(
  keys: StreamKey[],
  range: DateRange,
  entries: CoverageEntry[],
  calendarOf: (symbol: string) => ExchangeCalendar,
): CoverageReport {
  const problems: string[] = [];
  const notes: string[] = [];
  let first: string | null = null;
  let last: string | null = null;
  for (const key of keys) {
    const label = labelOf(key);
    const dates = [...new Set(entries.filter((e) => matches(e, key)).map((e) => e.date))].sort();
    const inRange = dates.filter(
      (d) =>
        (!range.start_date || d >= range.start_date) && (!range.end_date || d <= range.end_date),
    );
    if (inRange.length === 0) {
      problems.push(
        missingStream(label, key, dates, range, entries, nextTradingDay(calendarOf(key.symbol))),
      );
      continue;
    }
    const from = range.start_date ?? inRange[0];
    const to = range.end_date ?? inRange[inRange.length - 1];
    if (first === null || from < first) first = from;
    if (last === null || to > last) last = to;
    const calendar = calendarOf(key.symbol);
    const have = new Set(inRange);
    const missing = tradingDays(from, to, calendar).filter((d) => !have.has(d));
    if (missing.length > 0) {
      const next = nextTradingDay(calendar);
      notes.push(`${label}: no data for ${spans(missing, next)} (have ${spans(inRange, next)})`);
    }
  }
  return {
    problems,
    notes,
    range: first !== null && last !== null ? { start_date: first, end_date: last } : null,
  };
}

/**
 * The trading days each stream misses BETWEEN two days that have data, within `range`: in a
 * store of one file per day that is a lost file (deleted, or a folder in its place), not a
 * stretch the data never covered, which `checkCoverage` only notes. Only on calendars with
 * closed days: there a missing session day between two with data is not how markets trade.
 */
export function coverageHoles(
  keys: StreamKey[],
  range: DateRange,
  entries: CoverageEntry[],
  calendarOf: (symbol: string) => ExchangeCalendar,
): Array<{ key: StreamKey; dates: string[] }> {
  const holes: Array<{ key: StreamKey; dates: string[] }> = [];
  for (const key of keys) {
    const dates = [...new Set(entries.filter((e) => matches(e, key)).map((e) => e.date))]
      .filter(
        (d) =>
          (!range.start_date || d >= range.start_date) && (!range.end_date || d <= range.end_date),
      )
      .sort();
    // On a calendar open every day (crypto, futures), days without data are normal (weekends
    // a venue does not trade), so a missing one says nothing about a lost file.
    if (dates.length < 2 || calendarOf(key.symbol).name === '24x7') continue;
    const have = new Set(dates);
    const inside = tradingDays(dates[0]!, dates[dates.length - 1]!, calendarOf(key.symbol)).filter(
      (d) => !have.has(d),
    );
    if (inside.length > 0) holes.push({ key, dates: inside });
  }
  return holes;
}

/** The next date with a session (at most two weeks on: no exchange closes longer). */
function nextTradingDay(calendar: ExchangeCalendar): (date: string) => string {
  return (date) => {
    let d = nextDate(date);
    for (let i = 0; i < 14 && !calendar.sessionOn(d); i++) d = nextDate(d);
    return d;
  };
}

/** The trading days of [from, to] on a calendar (a sessionless date is not missing data). */
function tradingDays(from: string, to: string, calendar: ExchangeCalendar): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 100_000; d = nextDate(d)) {
    if (calendar.sessionOn(d)) out.push(d);
  }
  return out;
}

function missingStream(
  label: string,
  key: StreamKey,
  dates: string[],
  range: DateRange,
  entries: CoverageEntry[],
  next: (date: string) => string,
): string {
  const asked =
    range.start_date || range.end_date
      ? ` for ${range.start_date ?? '…'}${range.end_date !== range.start_date ? `..${range.end_date ?? '…'}` : ''}`
      : '';
  if (dates.length > 0) return `${label}: no data${asked} (have ${spans(dates, next)})`;
  // Nothing for this stream at all: say what the store does have for the symbol.
  const others = new Map<string, string[]>();
  for (const e of entries) {
    if (e.symbol !== key.symbol) continue;
    const other = e.kind === 'bars' ? `${e.symbol} ${e.interval} bars` : `${e.symbol} ${e.kind}`;
    others.set(other, [...(others.get(other) ?? []), e.date]);
  }
  if (others.size === 0)
    return `${label}: no data${asked} (the store has nothing for ${key.symbol})`;
  const list = [...others].map(([what, ds]) => `${what} ${spans([...new Set(ds)].sort(), next)}`);
  return `${label}: no data${asked} (the store has ${list.join('; ')})`;
}

function matches(entry: CoverageEntry, key: StreamKey): boolean {
  return (
    entry.symbol === key.symbol &&
    entry.kind === key.type &&
    (key.type !== 'bars' || entry.interval === key.interval)
  );
}

function labelOf(key: StreamKey): string {
  return `${key.symbol} ${key.type === 'bars' ? `${key.interval} bars` : key.type}`;
}

/**
 * Sorted dates as runs of consecutive days (`next` says what follows a day: the next trading
 * day, so a weekend does not split a run): `2024-03-01..2024-03-05, 2024-03-07`.
 */
export function spans(dates: string[], next: (date: string) => string = nextDate): string {
  const runs: string[] = [];
  let start = dates[0];
  let prev = dates[0];
  for (let i = 1; i <= dates.length; i++) {
    const d = dates[i];
    if (d !== undefined && d === next(prev)) {
      prev = d;
      continue;
    }
    runs.push(start === prev ? start : `${start}..${prev}`);
    start = d;
    prev = d;
  }
  return runs.join(', ');
}

/** The config's date range, as stored by backtest_config. */
export function configRange(config: SessionConfig): DateRange {
  return {
    ...(config.backtest_config?.start_date
      ? { start_date: config.backtest_config.start_date }
      : {}),
    ...(config.backtest_config?.end_date ? { end_date: config.backtest_config.end_date } : {}),
  };
}
