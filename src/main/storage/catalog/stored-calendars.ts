/** What calendar the store already dates each symbol by, for an import of more of its data. */
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import { listStoreFiles, type Located } from '../parquet/parquet-layout';
import { readRecordedCalendar } from './partition-calendar';

/**
 * The calendar each symbol's parquet files are dated by, from one footer per symbol (its
 * latest file): what an import of a stored symbol keeps. Unreadable files are passed over.
 */
export async function storedCalendars(dataDir: string): Promise<Record<string, CalendarName>> {
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
  return out;
}

/** Every symbol the parquet store holds a file of. */
export async function storedSymbolNames(dataDir: string): Promise<string[]> {
  return [...new Set((await listStoreFiles(dataDir)).map((file) => file.symbol))].sort();
}
