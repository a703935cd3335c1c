/**
 * The one way to read a symbol's bars back in time (charts, a strategy's look-back, exports):
 * from memory, or, for days a bounded session released, from the store it streamed their base
 * bars from (derived bars are made again from those). Callers never know which; they get the
 * bars the session held, or a HistoryError that says which day could not be read back and why
 * (the session itself carries on).
 */
import { crc32 } from 'node:zlib';
import type { Interval } from '../../shared/interval';
import type { ExchangeCalendar } from '../../shared/market/exchange-calendar';
import { fingerprintRows } from '../../shared/rows-print';
import type { BarHistorySource, StreamBatch } from '../../shared/stream-cursor';
import type { ColumnStore } from './column-store';
import type { ReleasedDay } from './released-bars';
import type { SessionData } from './session-data';
import type { SymbolData } from './symbol-data';
import { deriveRows } from './upkeep/derive-rows';

/** Bars as columns: `values` in the store's field order (open, high, low, close, volume, …). */
export interface BarRows {
  length: number;
  timestamp: Float64Array;
  values: Float64Array[];
  flags: Uint8Array;
}

export class HistoryError extends Error {
  override name = 'HistoryError';
}

/** Days read back and kept, so a look-back asked bar after bar does not decode a file each time. */
const CACHED_DAYS = 4;
/**
 * Bytes of derived days made again kept, the least recently read dropped first: 16 MB is about
 * 40 symbol-years of 15m bars or 2 symbol-years of 1m, so a chart asking for its series again
 * makes nothing again.
 */
const DERIVED_CACHE_BYTES = 16 * 2 ** 20;

export class BarHistory {
  private readonly cache = new Map<string, BarRows>();
  private readonly derivedCache = new Map<string, BarRows>();
  private derivedCacheBytes = 0;

  /**
   * `calendarFor` gives a symbol's calendar, for its derived bars of released days; without
   * it (no session releases days), derived bars are read from memory only.
   */
  constructor(
    private readonly sessionData: SessionData,
    private readonly source: BarHistorySource | null,
    private readonly calendarFor: ((symbol: string) => ExchangeCalendar) | null = null,
  ) {}

  /** Bars of `symbol` at `interval` starting in [start, end). */
  between(symbol: string, interval: Interval, start = -Infinity, end = Infinity): BarRows {
    const data = this.symbolData(symbol);
    const store = this.storeOf(data, interval);
    const released = data.released;
    if (start >= released.before || released.days.length === 0) {
      return slice(store, store.lowerBound(start), store.lowerBound(end));
    }
    const parts: BarRows[] = [];
    for (const day of released.days) {
      if (day.end <= start || day.start >= end) continue;
      const rows = this.dayRows(data, interval, day);
      parts.push(slice(rows, lowerBound(rows, start), lowerBound(rows, end)));
    }
    // A derived bucket that completed after its day was released is held too: read once.
    const from = store.lowerBound(released.before);
    parts.push(slice(store, from, Math.max(from, store.lowerBound(end))));
    return concat(parts, store.values.length);
  }

  /** The last `n` bars of `symbol` at `interval` starting before `end`. */
  last(symbol: string, interval: Interval, end: number, n: number): BarRows {
    const data = this.symbolData(symbol);
    const store = this.storeOf(data, interval);
    const released = data.released;
    const days = released.days;
    const lower = days.length === 0 ? 0 : store.lowerBound(released.before);
    const upper = Math.max(lower, store.lowerBound(end));
    if (upper - lower >= n || days.length === 0) {
      return slice(store, Math.max(lower, upper - n), upper);
    }
    const parts: BarRows[] = [slice(store, lower, upper)];
    let wanted = n - (upper - lower);
    for (let d = days.length - 1; d >= 0 && wanted > 0; d--) {
      if (days[d]!.start >= end) continue;
      const rows = this.dayRows(data, interval, days[d]!);
      const to = lowerBound(rows, end);
      const from = Math.max(0, to - wanted);
      parts.unshift(slice(rows, from, to));
      wanted -= to - from;
    }
    return concat(parts, store.values.length);
  }

  /** A released day's bars at `interval`: read back, and for a derived interval made again. */
  private dayRows(data: SymbolData, interval: Interval, day: ReleasedDay): BarRows {
    if (interval === data.base_interval) return this.readDay(data, day);
    const key = `${data.symbol}|${interval}|${day.date}`;
    const cache = this.derivedCache;
    const cached = cache.get(key);
    if (cached) {
      cache.delete(key);
      cache.set(key, cached);
      return cached;
    }
    const what = `${data.symbol} ${interval} bars of ${day.date}`;
    if (!this.calendarFor) throw new HistoryError(`${what} were released from memory`);
    const calendar = this.calendarFor(data.symbol);
    // Made again from the day's base bars alone: right only if no bucket reaches past the day.
    for (const s of calendar.sessionsBetween(day.start, day.end)) {
      if (s.open < day.start || s.close > day.end) {
        throw new HistoryError(
          `${what} were released from memory and cannot be made again: ` +
            `the ${calendar.name} session of ${s.date} crosses the day's bounds`,
        );
      }
    }
    const rows = deriveRows(this.readDay(data, day), interval, calendar);
    cache.set(key, rows);
    this.derivedCacheBytes += bytesOf(rows);
    while (this.derivedCacheBytes > DERIVED_CACHE_BYTES && cache.size > 1) {
      const oldest = cache.keys().next().value!;
      this.derivedCacheBytes -= bytesOf(cache.get(oldest)!);
      cache.delete(oldest);
    }
    return rows;
  }

  private symbolData(symbol: string): SymbolData {
    const data = this.sessionData.getSymbolData(symbol);
    if (!data) throw new HistoryError(`${symbol} is not in this session`);
    return data;
  }

  private storeOf(data: SymbolData, interval: Interval): ColumnStore {
    if (data.base_interval === interval) return data.bars_base;
    const derived = data.bars_derived.get(interval);
    if (!derived) throw new HistoryError(`${data.symbol} has no ${interval} bars in this session`);
    return derived;
  }

  /** A released day read back: the store's bars plus the session's own, checked against what was held. */
  private readDay(data: SymbolData, day: ReleasedDay): BarRows {
    const interval = data.base_interval!;
    const key = `${data.symbol}|${day.date}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const what = `${data.symbol} ${interval} bars of ${day.date}`;
    // From the first bar the session held that day: the store may have earlier ones it never did.
    const span = { date: day.date, start: day.from, end: day.end };
    let stored: StreamBatch = { length: 0, timestamp: new Float64Array(0), values: [] };
    if (day.rows > day.inserted) {
      if (!this.source) {
        throw new HistoryError(`${what} were released from memory and there is no store to read`);
      }
      try {
        stored = this.source.readDaySync(data.symbol, interval, span);
      } catch (error) {
        const cause = error instanceof Error ? error.message : String(error);
        throw new HistoryError(
          `${what} were released from memory and cannot be read back: ${cause}`,
        );
      }
    }
    const rows = mergeInserted(stored, data.released.inserted, span);
    const print = fingerprintRows(crc32, rows.timestamp, rows.values, rows.flags, 0, rows.length);
    if (rows.length !== day.rows || print !== day.fingerprint) {
      throw new HistoryError(
        `${what} were released from memory, and ` +
          `${this.source?.whereIs(data.symbol, interval, day.date) ?? 'the store'} ` +
          `no longer has them as streamed: ${rows.length} bars where the session held ${day.rows}` +
          (rows.length === day.rows ? ', with different values' : '') +
          '; the file was changed or damaged after the session read it',
      );
    }
    this.cache.set(key, rows);
    if (this.cache.size > CACHED_DAYS) this.cache.delete(this.cache.keys().next().value!);
    return rows;
  }
}

/** The store's bars of the day with the session's inserted ones, in time order (inserted win). */
function mergeInserted(
  stored: StreamBatch,
  inserted: ColumnStore,
  day: { start: number; end: number },
): BarRows {
  const width = inserted.values.length;
  const a0 = lowerBound(stored, day.start);
  const a1 = lowerBound(stored, day.end);
  const b0 = inserted.lowerBound(day.start);
  const b1 = inserted.lowerBound(day.end);
  const cap = a1 - a0 + b1 - b0;
  const out: BarRows = {
    length: 0,
    timestamp: new Float64Array(cap),
    values: Array.from({ length: width }, () => new Float64Array(cap)),
    flags: new Uint8Array(cap),
  };
  let a = a0;
  let b = b0;
  let n = 0;
  while (a < a1 || b < b1) {
    const ta = a < a1 ? stored.timestamp[a]! : Infinity;
    const tb = b < b1 ? inserted.timestamp[b]! : Infinity;
    if (tb <= ta) {
      out.timestamp[n] = tb;
      for (let j = 0; j < width; j++) out.values[j]![n] = inserted.values[j]![b]!;
      out.flags[n] = inserted.flags[b]!;
      b++;
      if (ta === tb) a++;
    } else {
      out.timestamp[n] = ta;
      for (let j = 0; j < width; j++) out.values[j]![n] = stored.values[j]?.[a] ?? Number.NaN;
      a++;
    }
    n++;
  }
  out.length = n;
  return out;
}

function bytesOf(rows: BarRows): number {
  return rows.length * (9 + 8 * rows.values.length);
}

function slice(rows: BarRows | ColumnStore, from: number, to: number): BarRows {
  return {
    length: Math.max(0, to - from),
    timestamp: rows.timestamp.subarray(from, to),
    values: rows.values.map((column) => column.subarray(from, to)),
    flags: rows.flags.subarray(from, to),
  };
}

function concat(parts: BarRows[], width: number): BarRows {
  if (parts.length === 1) return parts[0]!;
  const total = parts.reduce((sum, p) => sum + p.length, 0);
  const out: BarRows = {
    length: total,
    timestamp: new Float64Array(total),
    values: Array.from({ length: width }, () => new Float64Array(total)),
    flags: new Uint8Array(total),
  };
  let at = 0;
  for (const part of parts) {
    out.timestamp.set(part.timestamp, at);
    for (let j = 0; j < width; j++) out.values[j]!.set(part.values[j]!, at);
    out.flags.set(part.flags, at);
    at += part.length;
  }
  return out;
}

function lowerBound(rows: { length: number; timestamp: Float64Array }, t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows.timestamp[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
