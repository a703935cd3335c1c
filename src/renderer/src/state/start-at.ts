/**
 * The "Start at" picker: a `datetime-local` value read as wall time in the session's zone
 * (New York, or UTC for a session trading around the clock: `src/shared/session-zone.ts`),
 * never in the computer's own zone, converted to the UTC epoch ms the engine takes, and back
 * for display.
 */
import { EXCHANGE_TZ, exchangeTimeToUtc } from '../../../shared/time';
import { formatDate, formatTime, wallParts } from './exchange-time';

const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** UTC epoch ms, or null for an empty or malformed value (replay from the start). */
export function startAtToUtc(value: string, zone: string = EXCHANGE_TZ): number | null {
  const m = LOCAL.exec(value.trim());
  if (!m) return null;
  const [, date, hh, mm, ss] = m;
  const hour = Number(hh);
  const minute = Number(mm);
  const second = ss === undefined ? 0 : Number(ss);
  if (hour > 23 || minute > 59 || second > 59) return null;
  return exchangeTimeToUtc(date, hour, minute, zone) + second * 1000;
}

/** The picker's value for an instant, in the session's zone, to the second. */
export function utcToStartAt(epochMs: number, zone: string = EXCHANGE_TZ): string {
  const p = wallParts(epochMs, zone);
  return `${formatDate(p)}T${formatTime(p)}`;
}
