/**
 * Derived bars made again from base bars read back (a day a bounded session released): the
 * same buckets and the same arithmetic as DerivedBars used when the bars came, so they equal,
 * to the bit, what the session held. Fill-forward bars are skipped, as every bucket skips them.
 */
import type { Interval } from '../../../shared/interval';
import type { ExchangeCalendar } from '../../../shared/market/exchange-calendar';
import type { BarRows } from '../bar-history';
import { FLAG_SYNTHETIC } from '../column-store';
import { DerivedBars } from './derived-bars';

export function deriveRows(rows: BarRows, interval: Interval, calendar: ExchangeCalendar): BarRows {
  const derived = new DerivedBars(interval, calendar);
  const [o, h, l, c, v] = rows.values;
  const { timestamp, flags } = rows;
  for (let i = 0; i < rows.length; i++) {
    if ((flags[i]! & FLAG_SYNTHETIC) !== 0) continue;
    derived.add(timestamp[i]!, o![i]!, h![i]!, l![i]!, c![i]!, v![i]!);
  }
  derived.advanceTo(Infinity, true);
  // Copies of the used rows: the store's columns have room to spare, and these are kept.
  const { timestamp: t, values, flags: f } = derived.completed.columns();
  return {
    length: t.length,
    timestamp: t.slice(),
    values: values.map((v) => v.slice()),
    flags: f.slice(),
  };
}
