/**
 * Import and catalog as every host offers them (CLI, desktop, browser mode): the storage
 * import job and data catalog, given what only a host may know, the exchange calendar (for
 * rows outside regular hours in a preview, and for bar quality in the catalog).
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
import { previewImport, runImport, type ImportJobContext } from '../storage/import/import-job';
import type { ReaderContext } from '../storage/import/open-import-reader';
import { catalogSessionOf } from './catalog-check';

/** Regular trading hours on a calendar, as the readers ask for them. */
export function readerContext(calendar: CalendarName = 'XNYS'): ReaderContext {
  const hours = calendarFor(calendar);
  return {
    isRegularHours: (t) => {
      const session = hours.sessionAfter(t);
      return session !== null && t >= session.open && t < session.close;
    },
  };
}

export class ImportHost {
  private readonly catalogs = new Map<string, DataCatalog>();

  constructor(private readonly calendar: CalendarName = 'XNYS') {}

  previewImport(files: string[], options: ImportOptions): Promise<ImportPreview[]> {
    return previewImport(files, options, readerContext(this.calendar));
  }

  runImport(
    files: string[],
    options: ImportOptions,
    to: ImportTarget,
    context: Omit<ImportJobContext, 'reader'>,
  ): Promise<ImportResult> {
    return runImport(files, options, to, { ...context, reader: readerContext(this.calendar) });
  }

  /** The catalog of a data directory; footers stay cached between calls. */
  listCatalog(dataDir: string): Promise<CatalogListing> {
    let catalog = this.catalogs.get(dataDir);
    if (!catalog) {
      const calendar = calendarFor(this.calendar);
      catalog = new DataCatalog(
        dataDir,
        catalogSessionOf(() => calendar),
      );
      this.catalogs.set(dataDir, catalog);
    }
    return catalog.list();
  }

  async catalog(dataDir: string): Promise<CatalogEntry[]> {
    return (await this.listCatalog(dataDir)).entries;
  }
}
