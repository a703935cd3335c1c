/** What calendar the store already dates each symbol by, for an import of more of its data. */
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import { listStoreFiles, type Located } from '../parquet/parquet-layout';
import { readRecordedCalendar } from './partition-calendar';

export interface StoredSymbols {
  /** Every symbol the parquet store holds a file of, sorted. */
  names: string[];
  /** The calendar each one's files are dated by, where its latest footer could be read. */
  calendars: Record<string, CalendarName>;
}

/**
 * The symbols the parquet store holds, from one listing, and the calendar each symbol's files
 * are dated by, from one footer per symbol (its latest file): what an import of a stored symbol
 * keeps. Unreadable files are passed over.
 */
export async function storedSymbols(dataDir: string): Promise<StoredSymbols> {
  const latest = new Map<string, Located>();
  for (const file of await listStoreFiles(dataDir)) {
    const seen = latest.get(file.symbol);
    if (!seen || file.date > seen.date) latest.set(file.symbol, file);
  }
  const out: Record<string, CalendarName> = {};
  for (const [symbol, file] of latest) {
    try {
      out[symbol] = await readRecordedCalendar(file.path);
    } catch {
      // The catalog lists it as unreadable; the import goes on without its calendar.
    }
  }
  return { names: [...latest.keys()].sort(), calendars: out };
}
