/**
 * The data catalog: symbol × (1s | 1m bars | quotes | ticks) × trading date, per store, with
 * rows, first/last time and, for bars, quality against the calendar. Metadata only (parquet
 * footers, SQLite indexes), so it is cheap to recompute after every import; a DataCatalog
 * keeps parquet footers cached by file size and mtime between calls.
 */
import { resolve } from 'node:path';
import type { CatalogEntry } from '../../../shared/import-contract';
import { defaultDbPath } from '../sqlite/market-db';
import { ParquetCatalog } from './parquet-catalog';
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import { calendarSessions, type SessionOf } from './session-window';
import { listSqliteCatalog } from './sqlite-catalog';
import { checkParquetStore } from '../migration/store-check';

export interface CatalogListing {
  entries: CatalogEntry[];
  /** Files that could not be read (a corrupt footer, a locked database); never fatal. */
  problems: string[];
  /** The calendar each symbol's parquet files are dated by (what a new import should use). */
  calendars: Record<string, CalendarName>;
}

export interface CatalogOptions {
  /** The database file (default `<data>/market.db`); it is read only if it exists. */
  dbFile?: string;
  /**
   * The calendar SQLite rows are dated by, per symbol; default the symbol's parquet files'
   * calendar, else XNYS.
   */
  calendarOf?: (symbol: string) => CalendarName | undefined;
}

export class DataCatalog {
  private readonly parquet: ParquetCatalog;

  constructor(
    readonly dataDir: string,
    private readonly sessionOf: SessionOf = calendarSessions,
    private readonly options: CatalogOptions = {},
  ) {
    this.parquet = new ParquetCatalog(sessionOf);
  }

  async list(): Promise<CatalogListing> {
    const data = resolve(this.dataDir);
    // An import or a migration killed part-way is settled first: the listing never shows a mix.
    const settled = checkParquetStore(data);
    if (!settled.ok) return { entries: [], problems: [settled.problem], calendars: {} };
    const problems: string[] = [];
    const { entries, calendars } = await this.parquet.listWithCalendars(data, problems);
    const db = resolve(this.options.dbFile ?? defaultDbPath(data));
    const given = this.options.calendarOf;
    const calendarOf = (symbol: string): CalendarName =>
      given?.(symbol) ?? calendars[symbol] ?? 'XNYS';
    try {
      entries.push(...listSqliteCatalog(db, this.sessionOf, calendarOf));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
    return { entries: entries.sort(compareEntries), problems: problems.sort(), calendars };
  }
}

const KIND_ORDER = { bars: 0, quotes: 1, ticks: 2 } as const;

export function compareEntries(a: CatalogEntry, b: CatalogEntry): number {
  return (
    cmp(a.symbol, b.symbol) ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    cmp(a.interval ?? '', b.interval ?? '') ||
    cmp(a.date, b.date) ||
    cmp(a.store, b.store)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
