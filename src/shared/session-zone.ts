/**
 * The zone a session's times read best in when nobody chose one: UTC when every symbol trades
 * around the clock (crypto on a 24x7 calendar, where New York days mean nothing), the
 * exchange's otherwise. The screen's "Auto" zone and the Log's gap lines both follow it.
 */
import type { SessionConfig } from './session-config';
import { EXCHANGE_TZ } from './time';

export function sessionZone(calendars: readonly (string | undefined)[]): string {
  return calendars.length > 0 && calendars.every((c) => c === '24x7') ? 'UTC' : EXCHANGE_TZ;
}

/** The zone of a config's session: each stream on its own calendar, else the session's. */
export function configZone(config: Pick<SessionConfig, 'calendar' | 'data_streams'>): string {
  return sessionZone(config.data_streams.map((s) => s.calendar ?? config.calendar));
}

/** How a line of text names the zone: `UTC`, `New York`. */
export function zoneName(zone: string): string {
  if (zone === EXCHANGE_TZ) return 'New York';
  return zone.slice(zone.lastIndexOf('/') + 1).replace(/_/g, ' ');
}
