/**
 * Which exchange calendar a file is imported on. The calendar dates the partitions (New York
 * dates for XNYS, UTC dates for 24x7) and decides which rows are outside trading hours, so a
 * wrong one cuts a crypto day in two. In order: the user's choice, the vendor's market (LEAN
 * crypto and forex paths), the calendar the symbol's data already has in the store, and a
 * 24x7 guess when the rows cover weekends; the preview states which one applied.
 */
import type { CalendarChoice } from '../../../shared/import-contract';
import { calendarFor } from '../../../shared/market/calendars';
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import { dayName, exchangeDayNumber } from '../../../shared/market/zoned-time';

/** What a host knows of calendars that a file does not say. */
export interface CalendarContext {
  /** The calendar a symbol's stored data is dated by, when the store has any. */
  known?(symbol: string): CalendarName | undefined;
}

export interface CalendarEvidence {
  given?: CalendarName;
  /** The vendor format's own answer (LEAN's market), when it has one. */
  vendor?: CalendarChoice;
  /** The file's one symbol, when it has one. */
  symbol?: string;
  context?: CalendarContext;
  /** UTC epoch ms of some rows (the plan's sample). */
  sample?: ArrayLike<number>;
}

export function chooseCalendar(evidence: CalendarEvidence): CalendarChoice {
  const { given, vendor, symbol, context, sample } = evidence;
  if (given) return { name: given, why: 'as given' };
  if (vendor) return vendor;
  const known = symbol === undefined ? undefined : context?.known?.(symbol);
  if (known) return { name: known, why: `the calendar ${symbol}'s stored data is dated by` };
  const weekend = sample ? firstWeekendDate(sample) : undefined;
  if (weekend) {
    return {
      name: '24x7',
      why: `rows on a weekend (${weekend}), so a market open every day; give --calendar XNYS if it is not`,
    };
  }
  return {
    name: 'XNYS',
    why: 'the default (no rows on a weekend); give --calendar 24x7 for a market open every day',
  };
}

/** The preview's one-line statement of the calendar. */
export function calendarNote(choice: CalendarChoice): string {
  const dates = choice.name === '24x7' ? 'UTC dates' : 'New York dates';
  return `calendar ${choice.name} (${dates}): ${choice.why}`;
}

/** Whether an instant is inside the calendar's regular session. */
export function regularHoursOf(name: CalendarName): (utcMs: number) => boolean {
  const calendar = calendarFor(name);
  return (t) => {
    const session = calendar.sessionAfter(t);
    return session !== null && t >= session.open && t < session.close;
  };
}

/** The first Saturday or Sunday (New York date) among the timestamps, if any. */
export function firstWeekendDate(timestamps: ArrayLike<number>): string | undefined {
  const dayOf = exchangeDayNumber('America/New_York');
  let first = Infinity;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i];
    if (!Number.isFinite(t)) continue;
    const day = dayOf(t);
    if (isWeekendDay(day) && day < first) first = day;
  }
  return Number.isFinite(first) ? dayName(first) : undefined;
}

/** Day numbers count from Thursday 1970-01-01: Saturday and Sunday are 2 and 3 mod 7. */
export function isWeekendDay(day: number): boolean {
  const dow = (((day + 4) % 7) + 7) % 7;
  return dow === 0 || dow === 6;
}

/** Saturdays and Sundays among trading dates (`YYYY-MM-DD`). */
export function weekendDates(dates: string[]): string[] {
  return dates.filter((d) => {
    const dow = new Date(`${d}T12:00:00Z`).getUTCDay();
    return dow === 0 || dow === 6;
  });
}
