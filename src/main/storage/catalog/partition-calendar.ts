/**
 * The calendar whose trading dates a partition file is named and cut by, kept in its parquet
 * footer next to the minute profile. Files written before calendars reached the importer have
 * none: they were all cut by New York dates, so a missing key reads as XNYS.
 */
import type { FileMetaData } from 'hyparquet';
import { isCalendarName, type CalendarName } from '../../../shared/market/exchange-calendar';
import { openFileBuffer, readFooterMetadata } from '../parquet/file-buffer';

export const CALENDAR_KEY = 'tapedeck.calendar';

/** The calendar a partition records (XNYS when it records none). */
export function recordedCalendar(metadata: FileMetaData): CalendarName {
  const value = metadata.key_value_metadata?.find((kv) => kv.key === CALENDAR_KEY)?.value;
  return isCalendarName(value) ? value : 'XNYS';
}

/** The calendar of a stored partition file, from its footer. */
export async function readRecordedCalendar(file: string): Promise<CalendarName> {
  const buffer = await openFileBuffer(file);
  try {
    return recordedCalendar(await readFooterMetadata(buffer));
  } finally {
    await buffer.close();
  }
}
