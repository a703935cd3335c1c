/**
 * What the catalog needs of a calendar: a symbol's regular session on a trading date, or null
 * when its market is closed. `calendar` is the one the data is dated by (a parquet file's
 * recorded calendar); a host may judge by another (`catalog --calendar`).
 */
import { calendarFor } from '../../../shared/market/calendars';
import type { CalendarName } from '../../../shared/market/exchange-calendar';

export interface SessionWindow {
  /** UTC epoch ms of the open and the close; the session is [open, close). */
  open: number;
  close: number;
}

export type SessionOf = (
  symbol: string,
  date: string,
  calendar: CalendarName,
) => SessionWindow | null;

/** Each symbol judged by the calendar its data is dated by. */
export const calendarSessions: SessionOf = (_symbol, date, calendar) =>
  calendarFor(calendar).sessionOn(date);
