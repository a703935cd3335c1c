/**
 * Zoned time, the one place that turns wall clocks into UTC and back, and instants into the
 * trading date of a calendar. Foreign files often stamp rows in local time with no offset, and
 * LEAN writes "milliseconds since midnight" of the file's date in the data's zone; converting
 * each row through Intl would cost microseconds, so the zone's offset is computed once per
 * wall-clock hour (zones change offset only on whole hours, and the exchange's zone does so
 * twice a year) and reused for every row of that hour.
 */
import { TZDate } from '@date-fns/tz';
import { EXCHANGE_TZ, exchangeDate, exchangeTimeToUtc, nextDate } from '../time';
import type { ExchangeCalendar } from './exchange-calendar';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** `wallMs` is a wall-clock time written as if it were UTC (Date.UTC of its fields). */
export type WallClockToUtc = (wallMs: number) => number;

/**
 * Wall-clock time in `tz` to UTC epoch ms. In the hour skipped when clocks go forward, times
 * are read with the offset after the change; in the hour repeated when they go back, as the
 * first (daylight) occurrence, the reading TZDate gives.
 */
export function wallClockToUtc(tz: string): WallClockToUtc {
  if (tz === 'UTC') return (wallMs) => wallMs;
  const deltas = new Map<number, number>();
  let lastHour = NaN;
  let lastDelta = 0;
  return (wallMs) => {
    const hour = Math.floor(wallMs / HOUR);
    if (hour !== lastHour) {
      let delta = deltas.get(hour);
      if (delta === undefined) {
        const start = hour * HOUR;
        const d = new Date(start);
        const utc = new TZDate(
          d.getUTCFullYear(),
          d.getUTCMonth(),
          d.getUTCDate(),
          d.getUTCHours(),
          0,
          0,
          0,
          tz,
        ).getTime();
        delta = utc - start;
        deltas.set(hour, delta);
      }
      lastHour = hour;
      lastDelta = delta;
    }
    return wallMs + lastDelta;
  };
}

/** A wall clock read row after row, which counts the rows it placed in a repeated hour. */
export interface SequentialWallClock {
  (wallMs: number): number;
  /** Rows read as the second pass of an hour the clocks repeat (autumn change). */
  secondPassRows: number;
}

/** How far back a wall clock must jump inside a repeated hour to mean its second pass. */
const REPEAT_JUMP_MS = 30 * 60_000;

/**
 * Wall-clock time in `tz` for rows read in file order. In the hour the clocks repeat (01:00 to
 * 02:00 on the autumn change in New York), a row is read as the second pass (standard time)
 * when the wall clock has jumped back by half an hour or more inside that hour, or follows such
 * a row: the way a chronological file crosses the change. A small step back stays in the first
 * pass, so a merely out-of-order row is still refused rather than moved by an hour.
 */
export function sequentialWallClock(tz: string): SequentialWallClock {
  if (tz === 'UTC') return Object.assign((wallMs: number) => wallMs, { secondPassRows: 0 });
  const toUtc = wallClockToUtc(tz);
  let lastWall = -Infinity;
  let secondPass = false;
  const clock = ((wallMs: number) => {
    const hourStart = Math.floor(wallMs / HOUR) * HOUR;
    const first = toUtc(wallMs);
    const later = toUtc(hourStart + HOUR) - HOUR - hourStart;
    const repeated = later > first - wallMs;
    let utc = first;
    if (!repeated) {
      secondPass = false;
    } else {
      const inHour = lastWall >= hourStart && lastWall < hourStart + HOUR;
      if (secondPass && inHour && wallMs >= lastWall) {
        utc = wallMs + later;
      } else if (inHour && lastWall - wallMs >= REPEAT_JUMP_MS) {
        secondPass = true;
        utc = wallMs + later;
      } else {
        secondPass = false;
      }
      if (secondPass) clock.secondPassRows++;
    }
    lastWall = wallMs;
    return utc;
  }) as SequentialWallClock;
  clock.secondPassRows = 0;
  return clock;
}

/** UTC epoch ms to the zone's wall clock (as if UTC), cached per UTC hour. */
export function utcToWallClock(tz: string = EXCHANGE_TZ): (utcMs: number) => number {
  if (tz === 'UTC') return (utcMs) => utcMs;
  const offsets = new Map<number, number>();
  let lastHour = NaN;
  let lastOffset = 0;
  return (utcMs) => {
    const hour = Math.floor(utcMs / HOUR);
    if (hour !== lastHour) {
      let offset = offsets.get(hour);
      if (offset === undefined) {
        offset = offsetMs(hour * HOUR, tz);
        offsets.set(hour, offset);
      }
      lastHour = hour;
      lastOffset = offset;
    }
    return utcMs + lastOffset;
  };
}

/** The zone's offset from UTC at an instant, in ms (negative west of Greenwich). */
export function offsetMs(utcMs: number, tz: string): number {
  const d = new TZDate(utcMs, tz);
  // TZDate's getters read the zone's wall clock; rebuild it as UTC to get the offset.
  const wall = Date.UTC(
    d.getFullYear(),
    d.getMonth(),
    d.getDate(),
    d.getHours(),
    d.getMinutes(),
    d.getSeconds(),
    d.getMilliseconds(),
  );
  return wall - utcMs;
}

/** `2024-03-04T09:30:00.000-05:00`: an instant in the zone's time, with its offset. */
export function toZonedIso(utcMs: number, tz: string = EXCHANGE_TZ): string {
  const offset = offsetMs(utcMs, tz);
  const wall = new Date(utcMs + offset).toISOString().slice(0, 23);
  if (offset === 0 && tz === 'UTC') return `${wall}Z`;
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(offset) / 60_000;
  return `${wall}${sign}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/**
 * The exchange-local date of each instant, fast: a day number (days since 1970-01-01 on the
 * wall clock) through the per-hour offset cache. `dayName` turns it into `YYYY-MM-DD`.
 */
export function exchangeDayNumber(tz: string = EXCHANGE_TZ): (utcMs: number) => number {
  const toWall = utcToWallClock(tz);
  return (utcMs) => Math.floor(toWall(utcMs) / DAY);
}

export function dayName(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The wall clock of `ms` after local midnight starting `date`, as `wallClockToUtc` takes it. */
export function wallTimeOf(date: string, ms: number): number {
  return Date.parse(`${date}T00:00:00Z`) + ms;
}

export interface TradingDay {
  date: string;
  /** UTC epoch ms of local midnight starting the date, and of the next one. */
  start: number;
  end: number;
}

/**
 * The trading date of instants on a calendar: the date in the calendar's zone (New York for
 * XNYS, UTC for a market open every day). Fast enough for millions of rows: a date's
 * [local midnight, next local midnight) span is computed once with the zone rules and then
 * reused while rows stay inside it, which sorted input almost always does.
 */
export class TradingDates {
  private last: TradingDay | null = null;
  private readonly tz: string;

  constructor(calendar: Pick<ExchangeCalendar, 'timeZone'> | string = EXCHANGE_TZ) {
    this.tz = typeof calendar === 'string' ? calendar : calendar.timeZone;
  }

  /** The trading day holding `t`. */
  dayOf(t: number): TradingDay {
    const last = this.last;
    if (last && t >= last.start && t < last.end) return last;
    const date = exchangeDate(t, this.tz);
    const day = {
      date,
      start: exchangeTimeToUtc(date, 0, 0, this.tz),
      end: exchangeTimeToUtc(nextDate(date), 0, 0, this.tz),
    };
    this.last = day;
    return day;
  }
}

/** UTC epoch ms of local midnight starting a trading date of a calendar. */
export function tradingDayStart(
  calendar: Pick<ExchangeCalendar, 'timeZone'>,
  date: string,
): number {
  return exchangeTimeToUtc(date, 0, 0, calendar.timeZone);
}
