/**
 * NYSE 13:00 early closes. Like the holidays they are derived by rule so any year works;
 * the rules and their exceptions were checked against LEAN's list for 1999-2028.
 */
import { addDays, dayOfWeek, isoDate, nthWeekdayOf, nyseHolidayName } from './nyse-holidays';

/** Local close on a half day, as [hour, minute]. */
export const NYSE_EARLY_CLOSE: readonly [number, number] = [13, 0];

/** Half days no rule predicts, date to reason. */
export const NYSE_ONE_OFF_EARLY_CLOSES: ReadonlyMap<string, string> = new Map([
  // The Friday after Christmas 2003 was declared a half day by NYSE.
  ['2003-12-26', 'Day after Christmas'],
]);

/**
 * Before 2013, when July 4 fell on a Thursday NYSE shortened the Friday after it instead of
 * Wednesday July 3 (2002-07-05). From 2013 the Wednesday before is the half day (2013-07-03,
 * 2019-07-03, 2024-07-03).
 */
const THURSDAY_JULY4_MOVED_TO_FRIDAY_UNTIL = 2012;

function ruleEarlyCloses(year: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const july4 = dayOfWeek(year, 7, 4);
  // July 3 is a half day only when it is itself a trading day before a weekday July 4. A
  // Monday July 4 leaves Friday July 1 full, and a weekend July 4 moves the holiday instead.
  if (july4 === 4 && year <= THURSDAY_JULY4_MOVED_TO_FRIDAY_UNTIL) {
    out.push([isoDate(year, 7, 5), 'Day after Independence Day']);
  } else if (july4 >= 2 && july4 <= 5) {
    out.push([isoDate(year, 7, 3), 'Day before Independence Day']);
  }
  out.push([addDays(nthWeekdayOf(year, 11, 4, 4), 1), 'Day after Thanksgiving']);
  // Christmas Eve on Friday is the observed Christmas holiday for a Saturday Christmas, so
  // only Monday-Thursday qualify.
  const christmasEve = dayOfWeek(year, 12, 24);
  if (christmasEve >= 1 && christmasEve <= 4) {
    out.push([isoDate(year, 12, 24), 'Christmas Eve']);
  }
  return out;
}

const byYear = new Map<number, Map<string, string>>();

/** Every 13:00 early close in a year, date to reason, in date order. */
export function nyseEarlyCloses(year: number): ReadonlyMap<string, string> {
  let map = byYear.get(year);
  if (!map) {
    const all = [
      ...ruleEarlyCloses(year),
      ...[...NYSE_ONE_OFF_EARLY_CLOSES].filter(([date]) => date.startsWith(`${year}-`)),
    ]
      // A one-off closure (e.g. a day of mourning) beats a scheduled half day.
      .filter(([date]) => nyseHolidayName(date) === null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    map = new Map(all);
    byYear.set(year, map);
  }
  return map;
}

/** Whether NYSE closes at 13:00 on a `YYYY-MM-DD` date. */
export function isNyseEarlyClose(date: string): boolean {
  return nyseEarlyCloses(Number(date.slice(0, 4))).has(date);
}
