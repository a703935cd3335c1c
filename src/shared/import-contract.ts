/**
 * What an import looks like to its callers (the CLI, the desktop UI, the browser host): the
 * options a user sets, the preview they read, the progress they watch and the result they get.
 * Pure data, so the renderer can show it and the main side can validate it with the schemas.
 */
import { z } from 'zod';
import { BASE_INTERVALS, type BaseInterval } from './interval';
import { CALENDARS, type CalendarName } from './market/exchange-calendar';
import { STREAM_TYPES, type StreamType } from './stream-types';

export const TIMESTAMP_UNITS = ['s', 'ms', 'us', 'ns'] as const;
export type TimestampUnit = (typeof TIMESTAMP_UNITS)[number];

export const ColumnMappingSchema = z.strictObject({
  /** The timestamp column, or a date column and a time column to join. */
  timestamp: z.union([z.string().min(1), z.strictObject({ date: z.string(), time: z.string() })]),
  /** How numeric timestamps are read; inferred from magnitude unless set, and shown. */
  timestampUnit: z.enum(TIMESTAMP_UNITS).optional(),
  /** The symbol column, when the file holds one (a file may hold several symbols). */
  symbol: z.string().min(1).optional(),
  kind: z.enum(STREAM_TYPES),
  /** Our field name (open, high, ..., bid, ask, bid_size, ..., price, size) → source column. */
  fields: z.record(z.string(), z.string()),
});
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

export const ImportOptionsSchema = z.strictObject({
  /** The symbol when the file has no symbol column; default: from the file name. */
  symbol: z.string().min(1).max(32).optional(),
  /** Base interval of bars; inferred from timestamp spacing when absent. */
  interval: z.enum(BASE_INTERVALS).optional(),
  /** Zone of naive timestamps (no offset): UTC or the exchange's. Default UTC. */
  tz: z.enum(['UTC', 'America/New_York']).optional(),
  /** Whether bar timestamps mark the start or the end of the bar. Default start. */
  stamp: z.enum(['start', 'end']).optional(),
  /** Sort rows that are out of order instead of refusing them. */
  sort: z.boolean().optional(),
  /** Drop duplicate timestamps (counted) instead of refusing them. Default drop. */
  duplicates: z.enum(['drop', 'refuse']).optional(),
  /**
   * The symbol's exchange calendar: it dates the partitions (New York dates for XNYS, UTC dates
   * for 24x7) and says which rows are outside trading hours. Default: from the data (see the
   * preview's calendar note).
   */
  calendar: z.enum(CALENDARS).optional(),
  /** Overrides of the detected mapping. */
  mapping: ColumnMappingSchema.partial().optional(),
  /**
   * Renames symbols as they are read, from a column or a file name: `{ BTCUSDT: 'BTC-USDT' }`
   * imports one instrument that two vendors name differently as one symbol.
   */
  aliases: z.record(z.string().min(1).max(32), z.string().min(1).max(32)).optional(),
});
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

export const IMPORT_TARGETS = ['parquet', 'sqlite', 'both'] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];

export interface ImportProblem {
  file: string;
  /** 1-based data row in the source file (header excluded), when the problem is a row's. */
  row?: number;
  field?: string;
  value?: string;
  message: string;
  /**
   * 'warning': reported, and the import goes ahead (crossed quotes kept, duplicates dropped,
   * rows outside trading hours kept). 'error' (or absent): the import is refused as asked.
   */
  severity?: 'error' | 'warning';
}

export interface SymbolPreview {
  symbol: string;
  kind: StreamType;
  interval?: BaseInterval;
  rows: number;
  /** First and last timestamps in the calendar's zone (New York, or UTC for 24x7), ISO with offset. */
  first: string;
  last: string;
  /** Trading dates covered, on the file's calendar. */
  tradingDays: string[];
}

/** A symbol read off a file's name rather than given or found in a column: it may be wrong. */
export interface SymbolGuess {
  symbol: string;
  /** The file name it was read from. */
  fileName: string;
  /** Set when the name holds more than a ticker usually does (a vendor prefix, a date). */
  doubt?: string;
}

/** Symbols of one import that look like one instrument named two ways (BTC-USDT, BTCUSDT). */
export interface SameInstrument {
  symbols: string[];
  /** The name to import them all as: the `aliases` option that does it is `{ other: as }`. */
  as: string;
}

/** The calendar a file is imported on, and why (given, the vendor's market, the store, the data). */
export interface CalendarChoice {
  name: CalendarName;
  why: string;
}

export interface ImportPreview {
  file: string;
  /** 'parquet', 'csv', or a named vendor importer ('lean-zip', ...). */
  format: string;
  mapping: ColumnMapping;
  /** How numeric timestamps were read, and why ("ms, from magnitude 1.7e12"). */
  timestampUnitNote?: string;
  /** The calendar the rows are dated and judged by; absent when the caller gave none to use. */
  calendar?: CalendarChoice;
  symbols: SymbolPreview[];
  /** Set when the file's one symbol was guessed from its name: the user should check it. */
  symbolGuess?: SymbolGuess;
  /** Symbols here that another file (or this one) names differently. */
  sameInstrument?: SameInstrument[];
  /**
   * How the preview was made and what was assumed: whether the whole file was read or a sample
   * (and so whether counts are estimates), where the symbol came from, defaults filled in.
   */
  notes?: string[];
  /** True when row counts are estimated from a sample rather than counted. */
  estimated?: boolean;
  /** Problems with examples; `counts` has every kind's total. */
  problems: ImportProblem[];
  counts: {
    rows: number;
    invalid: number;
    duplicates: number;
    outOfOrder: number;
    crossedQuotes: number;
    outsideTradingHours: number;
  };
}

export interface ImportProgress {
  /** The file being read. */
  file?: string;
  rows: number;
  /** 0..100, from bytes or rows read. */
  percent: number;
  rowsPerSecond: number;
}

/** What one committed import wrote, per symbol and stream. */
export interface ImportResult {
  files: string[];
  target: ImportTarget;
  streams: Array<{
    symbol: string;
    kind: StreamType;
    interval?: BaseInterval;
    rows: number;
    /** Rows that replaced stored rows with the same timestamp (new rows replace old). */
    replaced: number;
    duplicatesDropped: number;
    tradingDays: string[];
  }>;
  elapsedMs: number;
}

/** One row of the data catalog: symbol × interval/quotes/ticks × trading date. */
export interface CatalogEntry {
  symbol: string;
  kind: StreamType;
  interval?: BaseInterval;
  /** Exchange-local trading date. */
  date: string;
  store: 'parquet' | 'sqlite';
  rows: number;
  /** UTC ISO with milliseconds. */
  first: string;
  last: string;
  /** Bars only: present / expected regular-hours base bars, percent; null when none expected. */
  quality: number | null;
}
