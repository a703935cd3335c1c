/**
 * Time at the edges. The engine keeps UTC epoch milliseconds as plain numbers (docs/design.md §4);
 * these helpers format and convert only for display, file names and config dates.
 */
import { TZDate } from '@date-fns/tz';

export const EXCHANGE_TZ = 'America/New_York';

/** `2024-01-02T14:30:00.000Z`: the CLI's and the dumps' contract format. */
export function toIsoMs(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** The exchange-local calendar date (`YYYY-MM-DD`) that an instant falls on. */
export function exchangeDate(epochMs: number, tz: string = EXCHANGE_TZ): string {
  const d = new TZDate(epochMs, tz);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** UTC epoch ms of an exchange-local wall time on a `YYYY-MM-DD` date. */
export function exchangeTimeToUtc(
  date: string,
  hour: number,
  minute: number,
  tz: string = EXCHANGE_TZ,
): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, hour, minute, 0, 0, tz).getTime();
}

/** `HH:MM:SS` in exchange time, for queue stats and logs. */
export function exchangeClock(epochMs: number, tz: string = EXCHANGE_TZ): string {
  const d = new TZDate(epochMs, tz);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Day of week (0 = Sunday) of a `YYYY-MM-DD` date. */
export function weekday(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

/** The next calendar date after a `YYYY-MM-DD` date. */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
