/**
 * Times for people: the exchange's wall clock (America/New_York) with the date, and UTC for
 * the tooltip. The engine and the charts keep UTC epoch numbers; only labels are converted,
 * through the IANA zone, so DST changes are right on both sides of the switch.
 */
import { EXCHANGE_TZ } from '../../../shared/time';

export interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function wallParts(epochMs: number, tz: string = EXCHANGE_TZ): WallParts {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(tz).formatToParts(new Date(epochMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour === 24 ? 0 : parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function formatDate(p: WallParts): string {
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

export function formatTime(p: WallParts, seconds = true): string {
  return seconds
    ? `${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`
    : `${pad(p.hour)}:${pad(p.minute)}`;
}

/** `2024-03-04 10:15:03` in exchange time; `—` before the first item. */
export function formatExchangeClock(epochMs: number | null, tz: string = EXCHANGE_TZ): string {
  if (epochMs === null) return '—';
  const p = wallParts(epochMs, tz);
  return `${formatDate(p)} ${formatTime(p)}`;
}

/** `2024-03-04 15:15:03.000 UTC`, milliseconds included: the clock's exact value. */
export function formatUtc(epochMs: number | null): string {
  if (epochMs === null) return 'no clock yet';
  return `${new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's abbreviation at an instant (EST or EDT), for the clock's suffix. */
export function zoneAbbreviation(epochMs: number, tz: string = EXCHANGE_TZ): string {
  let f = zoneFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' });
    zoneFormatters.set(tz, f);
  }
  return f.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? tz;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** lightweight-charts' TickMarkType values (Year, Month, DayOfMonth, Time, TimeWithSeconds). */
export type TickKind = 0 | 1 | 2 | 3 | 4;

/** A time-axis label in exchange time for a chart time in UTC seconds. */
export function tickLabel(utcSeconds: number, kind: TickKind, tz: string = EXCHANGE_TZ): string {
  const p = wallParts(utcSeconds * 1000, tz);
  switch (kind) {
    case 0:
      return String(p.year);
    case 1:
      return MONTHS[p.month - 1];
    case 2:
      return `${p.day} ${MONTHS[p.month - 1]}`;
    case 3:
      return formatTime(p, false);
    default:
      return formatTime(p, true);
  }
}

/** The crosshair's time label: date and time, with seconds when the data has them. */
export function crosshairLabel(utcSeconds: number, seconds: boolean, tz = EXCHANGE_TZ): string {
  const p = wallParts(utcSeconds * 1000, tz);
  return `${formatDate(p)} ${formatTime(p, seconds)}`;
}
