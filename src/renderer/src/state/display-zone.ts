/**
 * The zone the clock and every chart axis show times in: the exchange's (New York), UTC, or
 * the computer's own. "Auto" is UTC when every symbol trades around the clock (crypto on a
 * 24x7 calendar, where New York days mean nothing) and the exchange's otherwise. One zone for
 * the whole screen, so an axis label never disagrees with the clock.
 */
import type { SymbolInfo } from '../../../shared/ipc-contract';
import { sessionZone } from '../../../shared/session-zone';
import { EXCHANGE_TZ } from '../../../shared/time';
import { wallParts } from './exchange-time';

export const ZONE_CHOICES = ['auto', 'exchange', 'utc', 'local'] as const;
export type ZoneChoice = (typeof ZONE_CHOICES)[number];

export const ZONE_LABELS: Record<ZoneChoice, string> = {
  auto: 'Auto',
  exchange: 'Exchange',
  utc: 'UTC',
  local: 'Local',
};

const STORAGE_KEY = 'tapedeck.zone';

/** The choice kept from the last run (browser storage), or auto. */
export function savedZoneChoice(): ZoneChoice {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return (ZONE_CHOICES as readonly string[]).includes(value ?? '')
      ? (value as ZoneChoice)
      : 'auto';
  } catch {
    return 'auto';
  }
}

export function saveZoneChoice(choice: ZoneChoice): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage refused (private mode): the choice lasts for this run.
  }
}

export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function displayZone(choice: ZoneChoice, symbols: readonly SymbolInfo[]): string {
  switch (choice) {
    case 'exchange':
      return EXCHANGE_TZ;
    case 'utc':
      return 'UTC';
    case 'local':
      return localZone();
    default:
      return sessionZone(symbols.map((s) => s.calendar));
  }
}

const HOUR_MS = 3_600_000;
const offsets = new Map<string, Map<number, number>>();

/**
 * The zone's offset from UTC at an instant, in ms (New York in summer: -4 h). Zones change
 * offset on the hour or half hour, so it is computed once per hour and cached.
 */
export function zoneOffsetMs(epochMs: number, tz: string): number {
  if (tz === 'UTC') return 0;
  let cache = offsets.get(tz);
  if (!cache) {
    cache = new Map();
    offsets.set(tz, cache);
  }
  const hour = Math.floor(epochMs / HOUR_MS);
  let offset = cache.get(hour);
  if (offset === undefined) {
    const at = hour * HOUR_MS;
    const p = wallParts(at, tz);
    offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at;
    if (cache.size > 100_000) cache.clear();
    cache.set(hour, offset);
  }
  return offset;
}
