/**
 * Timestamps written as text, parsed by hand: one pass over the characters, no Date parsing and
 * no regular expression per row, since a CSV import parses millions of them. Accepted:
 *   2024-03-04T09:30:00Z, 2024-03-04 09:30:00.123456+00:00, 2024-03-04T09:30-05:00
 *   2024-03-04 09:30:00 (naive: read in the import's zone), 2024-03-04 (midnight)
 *   20240304 09:30:00.123 (TrueFX-like), 20240304 093000 and 2024.03.04 09:30 (MetaTrader),
 *   2024/03/04 09:30:00, 20240304  09:30:00 US/Eastern (Interactive Brokers: a zone name),
 *   04.03.2024 09:30:00.000 (Dukascopy: day first)
 * Fractions beyond milliseconds are truncated. Anything else is NaN, reported by the caller
 * with the text.
 */
import { wallClockToUtc, type WallClockToUtc } from '../../../shared/market/zoned-time';

const ZERO = 48;

export function parseTimestampText(text: string, toUtc: WallClockToUtc): number {
  const n = text.length;
  let i = 0;
  while (i < n && text.charCodeAt(i) === 32) i++;
  let year: number;
  let month: number;
  let day: number;
  if (text.charCodeAt(i + 2) === 46 && text.charCodeAt(i + 5) === 46) {
    // DD.MM.YYYY (Dukascopy, European exports); nobody writes the month first with points.
    day = digits(text, i, 2);
    month = digits(text, i + 3, 2);
    year = digits(text, i + 6, 4);
    if (day < 0 || month < 0 || year < 0) return NaN;
    i += 10;
  } else {
    year = digits(text, i, 4);
    if (year < 0) return NaN;
    i += 4;
    const sep = text.charCodeAt(i);
    const compact = sep >= ZERO && sep <= ZERO + 9;
    if (!compact) {
      if (sep !== 45 && sep !== 47 && sep !== 46) return NaN; // '-', '/' or '.' (MetaTrader)
      i++;
    }
    month = digits(text, i, 2);
    i += 2;
    if (!compact) {
      if (text.charCodeAt(i) !== sep) return NaN;
      i++;
    }
    day = digits(text, i, 2);
    i += 2;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return NaN;

  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  const sep = text.charCodeAt(i);
  if (i < n && (sep === 84 || sep === 116 || sep === 32)) {
    // 'T', 't' or spaces before the time (Interactive Brokers writes two)
    i++;
    while (text.charCodeAt(i) === 32) i++;
    hour = digits(text, i, 2);
    if (hour < 0) return NaN;
    const compactTime = text.charCodeAt(i + 2) !== 58;
    if (compactTime) {
      // HHMMSS, as MetaTrader and HistData exports write it.
      minute = digits(text, i + 2, 2);
      second = digits(text, i + 4, 2);
      if (minute < 0 || second < 0) return NaN;
      i += 6;
    } else {
      minute = digits(text, i + 3, 2);
      if (minute < 0) return NaN;
      i += 5;
    }
    if (compactTime || text.charCodeAt(i) === 58) {
      if (!compactTime) {
        second = digits(text, i + 1, 2);
        if (second < 0) return NaN;
        i += 3;
      }
      const dot = text.charCodeAt(i);
      if (dot === 46 || dot === 44) {
        i++;
        let scale = 100;
        const start = i;
        for (; i < n; i++) {
          const c = text.charCodeAt(i) - ZERO;
          if (c < 0 || c > 9) break;
          ms += c * scale;
          scale /= 10;
        }
        if (i === start) return NaN;
        ms = Math.floor(ms + 1e-9);
      }
    }
    if (hour > 24 || minute > 59 || second > 60) return NaN;
  }
  // Date.UTC would roll 2024-02-31 over to March; refuse rather than guess.
  if (day > daysInMonth(year, month)) return NaN;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, ms);

  while (i < n && text.charCodeAt(i) === 32) i++;
  if (i >= n) return toUtc(wall);
  const c = text.charCodeAt(i);
  if ((c === 90 || c === 122) && i === n - 1) return wall; // 'Z'
  if (c !== 43 && c !== 45) {
    const zone = text.slice(i).trim();
    if (zone === 'UTC' || zone === 'GMT') return wall;
    // A zone name after the time (Interactive Brokers: `20240304 09:30:00 US/Eastern`).
    const named = zoneClock(zone);
    return named ? named(wall) : NaN;
  }
  const offH = digits(text, i + 1, 2);
  if (offH < 0) return NaN;
  let j = i + 3;
  let offM = 0;
  if (j < n) {
    if (text.charCodeAt(j) === 58) j++;
    offM = digits(text, j, 2);
    if (offM < 0 || j + 2 !== n) return NaN;
  }
  const offset = (offH * 60 + offM) * 60_000;
  return c === 43 ? wall - offset : wall + offset;
}

const zoneClocks = new Map<string, WallClockToUtc | null>();

function zoneClock(zone: string): WallClockToUtc | null {
  let clock = zoneClocks.get(zone);
  if (clock === undefined) {
    clock = null;
    if (/^[A-Za-z]+\/[A-Za-z_/+-]+$/.test(zone)) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        clock = wallClockToUtc(zone);
      } catch {
        clock = null;
      }
    }
    zoneClocks.set(zone, clock);
  }
  return clock;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** `count` decimal digits at `at`, or -1. */
function digits(text: string, at: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const c = text.charCodeAt(at + k) - ZERO;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}
