/**
 * The parquet store's part of the catalog, from partition paths and footers alone: the row count
 * is the footer's, first/last come from the timestamp column's min/max statistics, and the
 * bars inside the regular session from the per-minute profile the importer writes (see
 * minute-profile). Files another tool wrote may lack statistics or the profile; only then is
 * the timestamp column decoded, and the result cached by the file's size and mtime.
 */
import { stat } from 'node:fs/promises';
import type { FileMetaData } from 'hyparquet';
import type { CatalogEntry } from '../../../shared/import-contract';
import { intervalMs, type BaseInterval } from '../../../shared/interval';
import { calendarFor } from '../../../shared/market/calendars';
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import { tradingDayStart } from '../../../shared/market/zoned-time';
import { toIsoMs } from '../../../shared/time';
import { readExistingPartition } from '../import/existing-partition';
import { openFileBuffer, readFooterMetadata } from '../parquet/file-buffer';
import { listStoreFiles, type Located } from '../parquet/parquet-layout';
import { timestampSpan } from '../parquet/timestamp-span';
import { decodeMinuteProfile, MINUTE_PROFILE_KEY, rowsBetween } from './minute-profile';
import { recordedCalendar } from './partition-calendar';
import type { SessionOf } from './session-window';

interface Cached {
  size: number;
  mtimeMs: number;
  entry: CatalogEntry;
  calendar: CalendarName;
}

/** A partition's catalog entry and the calendar its date is on. */
interface Listed {
  entry: CatalogEntry;
  calendar: CalendarName;
}

const FOOTERS_IN_FLIGHT = 8;

export class ParquetCatalog {
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly sessionOf: SessionOf) {}

  /**
   * Every partition file under `<data>/parquet`, one entry each (unreadable files: skipped and
   * reported), and the calendar each symbol's files are dated by.
   */
  async list(dataDir: string, problems: string[] = []): Promise<CatalogEntry[]> {
    return (await this.listWithCalendars(dataDir, problems)).entries;
  }

  async listWithCalendars(
    dataDir: string,
    problems: string[] = [],
  ): Promise<{ entries: CatalogEntry[]; calendars: Record<string, CalendarName> }> {
    const files = await listStoreFiles(dataDir);
    const out: (Listed | null)[] = new Array<Listed | null>(files.length).fill(null);
    // A few footers in flight at once: each is two small reads, so latency, not CPU, dominates.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const index = next++;
        try {
          out[index] = await this.entryOf(files[index]);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          problems.push(`${files[index].path}: ${message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(FOOTERS_IN_FLIGHT, files.length) }, worker));
    const listed = out.filter((e): e is Listed => e !== null);
    const calendars: Record<string, CalendarName> = {};
    for (const { entry, calendar } of listed) calendars[entry.symbol] ??= calendar;
    return { entries: listed.map((l) => l.entry), calendars };
  }

  private async entryOf(file: Located): Promise<Listed> {
    const info = await stat(file.path);
    const cached = this.cache.get(file.path);
    if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) return cached;
    const listed = await this.compute(file);
    this.cache.set(file.path, { size: info.size, mtimeMs: info.mtimeMs, ...listed });
    return listed;
  }

  private async compute(file: Located): Promise<Listed> {
    const buffer = await openFileBuffer(file.path);
    let metadata: FileMetaData;
    try {
      metadata = await readFooterMetadata(buffer);
    } finally {
      await buffer.close();
    }
    const rows = Number(metadata.num_rows);
    let span = timestampSpan(metadata);
    let inSession: number | null = null;
    const calendar = recordedCalendar(metadata);
    const session = file.kind === 'bars' ? this.sessionOf(file.symbol, file.date, calendar) : null;
    if (session) {
      const profile = metadata.key_value_metadata?.find((kv) => kv.key === MINUTE_PROFILE_KEY);
      const runs = profile?.value !== undefined ? decodeMinuteProfile(profile.value) : null;
      if (runs) {
        // The profile counts minutes from the midnight that starts the file's own date.
        const dayStart = tradingDayStart(calendarFor(calendar), file.date);
        inSession = rowsBetween(
          runs,
          (session.open - dayStart) / 60_000,
          (session.close - dayStart) / 60_000,
        );
      } else if (span && span.first >= session.open && span.last < session.close) {
        inSession = rows;
      }
    }
    if (rows > 0 && (!span || (session && inSession === null))) {
      // Slow path, for files without statistics or profile: decode them once.
      const data = await readExistingPartition(file.path, file.kind, file.date);
      const ts = data!.timestamp;
      span = { first: ts[0], last: ts[data!.length - 1] };
      if (session) {
        inSession = 0;
        for (let i = 0; i < data!.length; i++) {
          if (ts[i] >= session.open && ts[i] < session.close) inSession++;
        }
      }
    }
    const entry: CatalogEntry = {
      symbol: file.symbol,
      kind: file.kind,
      ...(file.interval ? { interval: file.interval } : {}),
      date: file.date,
      store: 'parquet',
      rows,
      first: span ? toIsoMs(span.first) : '',
      last: span ? toIsoMs(span.last) : '',
      quality: file.kind === 'bars' ? barQuality(session, inSession ?? 0, file.interval!) : null,
    };
    return { entry, calendar };
  }
}

/** Present / expected bars in the regular session, percent (2 decimals); null when closed. */
export function barQuality(
  session: { open: number; close: number } | null,
  present: number,
  interval: BaseInterval,
): number | null {
  if (!session) return null;
  const expected = Math.floor((session.close - session.open) / intervalMs(interval));
  if (expected <= 0) return null;
  return Math.round((Math.min(present, expected) / expected) * 10_000) / 100;
}
