/**
 * LEAN times are "milliseconds since midnight" of the file's date, on the wall clock of the
 * data's zone (TradeBar.cs: Time = date + ms, then DataTimeZone → UTC). So a time is a local
 * wall time, and converting it needs that date's own UTC offset: 09:30 is 14:30Z on Friday
 * 2008-03-07 and 13:30Z on Monday 2008-03-10.
 */
import { TZDate } from '@date-fns/tz';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A converter from ms-of-day (on `date`, in `tz`) to UTC epoch ms. */
export function wallClockToUtc(date: string, tz: string): (msOfDay: number) => number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const at = (ms: number): number => {
    const whole = Math.floor(ms);
    const h = Math.floor(whole / HOUR_MS);
    const min = Math.floor((whole % HOUR_MS) / MINUTE_MS);
    const s = Math.floor((whole % MINUTE_MS) / 1000);
    return new TZDate(y, m - 1, d, h, min, s, whole % 1000, tz).getTime() + (ms - whole);
  };
  const midnight = at(0);
  // Nearly every day has one offset from midnight to midnight: then it is a plain addition.
  // Only the two DST-change days a year (Sundays, for US markets) take the slow path.
  const lastInstant = at(DAY_MS - 1);
  if (lastInstant - midnight === DAY_MS - 1) return (ms) => midnight + ms;
  return (ms) => (ms >= 0 && ms < DAY_MS ? at(ms) : midnight + ms);
}
