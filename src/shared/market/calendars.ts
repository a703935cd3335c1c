/**
 * One shared instance per calendar, so the per-date session caches are built once and reused
 * by every stream, gap check and pacer.
 */
import { AlwaysOpenCalendar } from './always-open-calendar';
import type { CalendarName, ExchangeCalendar } from './exchange-calendar';
import { XnysCalendar } from './xnys-calendar';

const instances: Record<CalendarName, ExchangeCalendar> = {
  XNYS: new XnysCalendar(),
  '24x7': new AlwaysOpenCalendar(),
};

export function calendarFor(name: CalendarName): ExchangeCalendar {
  const calendar = instances[name];
  if (!calendar) throw new Error(`Unknown calendar: ${String(name)}`);
  return calendar;
}
