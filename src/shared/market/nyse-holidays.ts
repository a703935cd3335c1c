/**
 * NYSE full-day closures. Regular holidays are derived by rule so the calendar works for any
 * year without a data file; only unscheduled closures (mourning days, emergencies) need a
 * table. The rules follow NYSE Rule 7.2 and are checked against LEAN's list in the tests.
 */

export interface NyseHoliday {
  /** Exchange-local date the market is closed, `YYYY-MM-DD`. */
  date: string;
  name: string;
}

/**
 * Closures no rule predicts. Extend this table when the exchange announces a new one; the
 * calendar picks it up for every consumer.
 */
export const NYSE_ONE_OFF_CLOSURES: readonly NyseHoliday[] = [
  { date: '2001-09-11', name: 'September 11 attacks' },
  { date: '2001-09-12', name: 'September 11 attacks' },
  { date: '2001-09-13', name: 'September 11 attacks' },
  { date: '2001-09-14', name: 'September 11 attacks' },
  { date: '2004-06-11', name: 'National Day of Mourning for Ronald Reagan' },
  { date: '2007-01-02', name: 'National Day of Mourning for Gerald Ford' },
  { date: '2012-10-29', name: 'Hurricane Sandy' },
  { date: '2012-10-30', name: 'Hurricane Sandy' },
  { date: '2018-12-05', name: 'National Day of Mourning for George H. W. Bush' },
  { date: '2025-01-09', name: 'National Day of Mourning for Jimmy Carter' },
];

/** `YYYY-MM-DD` from calendar parts (month 1-12). */
export function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/** Day of week (0 = Sunday) of a calendar date. UTC noon avoids any zone influence. */
export function dayOfWeek(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day, 12)).getUTCDay();
}

/** The `n`th (1-based) given weekday of a month, e.g. the 3rd Monday of January. */
export function nthWeekdayOf(year: number, month: number, dow: number, n: number): string {
  const first = dayOfWeek(year, month, 1);
  return isoDate(year, month, 1 + ((dow - first + 7) % 7) + (n - 1) * 7);
}

/** The last given weekday of a month, e.g. the last Monday of May. */
export function lastWeekdayOf(year: number, month: number, dow: number): string {
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = dayOfWeek(year, month, lastDay);
  return isoDate(year, month, lastDay - ((last - dow + 7) % 7));
}

/** Date `days` away from a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Western (Gregorian) Easter Sunday: the anonymous Gregorian computus. */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/**
 * A fixed-date holiday moved off the weekend: Saturday to the Friday before, Sunday to the
 * Monday after. Null when the rule drops it (see New Year's Day).
 */
function observed(year: number, month: number, day: number, saturdayToFriday: boolean) {
  const dow = dayOfWeek(year, month, day);
  const date = isoDate(year, month, day);
  if (dow === 0) return addDays(date, 1);
  if (dow === 6) return saturdayToFriday ? addDays(date, -1) : null;
  return date;
}

/** Rule-based holidays of one year, oldest first, without the one-off closures. */
function ruleHolidays(year: number): NyseHoliday[] {
  const out: NyseHoliday[] = [];
  const add = (date: string | null, name: string): void => {
    if (date) out.push({ date, name });
  };
  // NYSE does not close on Friday Dec 31 for a Saturday New Year: it would end the
  // accounting year a day early (e.g. 2021-12-31 traded).
  add(observed(year, 1, 1, false), "New Year's Day");
  if (year >= 1998) add(nthWeekdayOf(year, 1, 1, 3), 'Martin Luther King Jr. Day');
  add(nthWeekdayOf(year, 2, 1, 3), "Washington's Birthday");
  add(addDays(easterSunday(year), -2), 'Good Friday');
  add(lastWeekdayOf(year, 5, 1), 'Memorial Day');
  if (year >= 2022) add(observed(year, 6, 19, true), 'Juneteenth National Independence Day');
  add(observed(year, 7, 4, true), 'Independence Day');
  add(nthWeekdayOf(year, 9, 1, 1), 'Labor Day');
  add(nthWeekdayOf(year, 11, 4, 4), 'Thanksgiving Day');
  add(observed(year, 12, 25, true), 'Christmas Day');
  return out;
}

const byYear = new Map<number, Map<string, string>>();

/** Every full-day closure in a year (rules plus one-offs), date to name, in date order. */
export function nyseHolidays(year: number): ReadonlyMap<string, string> {
  let map = byYear.get(year);
  if (!map) {
    const all = [
      ...ruleHolidays(year),
      ...NYSE_ONE_OFF_CLOSURES.filter((h) => h.date.startsWith(`${year}-`)),
    ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    map = new Map(all.map((h) => [h.date, h.name]));
    byYear.set(year, map);
  }
  return map;
}

/** The holiday or closure name on a `YYYY-MM-DD` date, or null if not a holiday. */
export function nyseHolidayName(date: string): string | null {
  return nyseHolidays(Number(date.slice(0, 4))).get(date) ?? null;
}
