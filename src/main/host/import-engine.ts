/**
 * Import and catalog as every host offers them (CLI, desktop, browser mode): the storage
 * import job and data catalog, given what a host adds: the calendars the store already dates
 * each symbol by (so a new import of a symbol keeps its calendar), and the calendar a user
 * asks the catalog to judge bar quality by.
 */
import type {
  CatalogEntry,
  ImportOptions,
  ImportPreview,
  ImportResult,
  ImportTarget,
} from '../../shared/import-contract';
import { calendarFor } from '../../shared/market/calendars';
import type { CalendarName } from '../../shared/market/exchange-calendar';
import { DataCatalog, type CatalogListing } from '../storage/catalog/data-catalog';
import { storedSymbols } from '../storage/catalog/stored-calendars';
import { calendarSessions, type SessionOf } from '../storage/catalog/session-window';
import { previewImport, runImport, type ImportJobContext } from '../storage/import/import-job';
import type { ReaderContext } from '../storage/import/open-import-reader';

export class ImportHost {
  private readonly catalogs = new Map<string, DataCatalog>();

  /** `calendar` judges every symbol's bar quality in the catalog; default each one's own. */
  constructor(private readonly calendar?: CalendarName) {}

  /** Previews; with `dataDir`, a symbol the store has keeps the calendar it is dated by. */
  async previewImport(
    files: string[],
    options: ImportOptions,
    dataDir?: string,
  ): Promise<ImportPreview[]> {
    return previewImport(files, options, await this.readerContext(dataDir));
  }

  async runImport(
    files: string[],
    options: ImportOptions,
    to: ImportTarget,
    context: Omit<ImportJobContext, 'reader'>,
  ): Promise<ImportResult> {
    const reader = await this.readerContext(context.dataDir);
    return runImport(files, options, to, { ...context, reader });
  }

  /** The catalog of a data directory; footers stay cached between calls. */
  listCatalog(dataDir: string): Promise<CatalogListing> {
    let catalog = this.catalogs.get(dataDir);
    if (!catalog) {
      const override = this.calendar;
      const sessionOf: SessionOf = override
        ? (_symbol, date) => calendarFor(override).sessionOn(date)
        : calendarSessions;
      catalog = new DataCatalog(dataDir, sessionOf, {
        ...(override ? { calendarOf: () => override } : {}),
      });
      this.catalogs.set(dataDir, catalog);
    }
    return catalog.list();
  }

  async catalog(dataDir: string): Promise<CatalogEntry[]> {
    return (await this.listCatalog(dataDir)).entries;
  }

  /** Every file gets a calendar; a symbol the store has keeps the one its files are dated by. */
  private async readerContext(dataDir: string | undefined): Promise<ReaderContext> {
    const stored =
      dataDir === undefined ? { names: [], calendars: {} } : await storedSymbols(dataDir);
    return {
      calendars: { known: (symbol) => stored.calendars[symbol] },
      storedSymbols: stored.names,
    };
  }
}
