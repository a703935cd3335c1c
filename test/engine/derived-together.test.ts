/**
 * DerivedBars.addRowsTo folds a symbol's rows into all its intervals in one pass; each interval
 * must end up exactly as if it had read the rows alone (addRows), bar for bar and bit for bit,
 * volumes included: fractional volumes are summed in the same order either way.
 */
import { describe, expect, it } from 'vitest';
import { ColumnStore } from '../../src/main/engine/column-store';
import { DerivedBars } from '../../src/main/engine/upkeep/derived-bars';
import { calendarFor } from '../../src/shared/market/calendars';
import type { Interval } from '../../src/shared/interval';
import { BAR_FIELDS } from '../../src/shared/stream-types';

const XNYS = calendarFor('XNYS');
const INTERVALS: Interval[] = ['1m', '5m', '15m', '1h'];

/** Seconds of two sessions (a full day, then the 13:00 early close), with holes and strays. */
function bars(): ColumnStore {
  const store = new ColumnStore(BAR_FIELDS);
  let x = 7;
  const rand = (): number => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
  let price = 100;
  for (const day of ['2024-07-02', '2024-07-03']) {
    const session = XNYS.sessionAfter(Date.parse(`${day}T00:00:00Z`))!;
    // A few bars before the open: outside regular hours, no bucket holds them.
    for (let t = session.open - 5_000; t < session.close; t += 1000) {
      // Quiet seconds and a quiet quarter of an hour are absent rows.
      if (rand() < 0.3 || (t - session.open >= 3_600_000 && t - session.open < 4_500_000)) continue;
      price += (rand() - 0.5) * 0.1;
      const high = price + rand() * 0.05;
      const low = price - rand() * 0.05;
      store.append(t, [price, high, low, price + (rand() - 0.5) * 0.02, rand() * 3.7]);
    }
  }
  return store;
}

function derived(): DerivedBars[] {
  return INTERVALS.map((i) => new DerivedBars(i, XNYS));
}

function state(list: DerivedBars[]) {
  return list.map((d) => ({
    bars: Array.from({ length: d.completed.length }, (_, i) => d.bar(i)),
    forming: d.forming ? { ...d.forming } : null,
  }));
}

describe('DerivedBars.addRowsTo', () => {
  it('gives every interval the bars it makes alone, in batches of any size', () => {
    const base = bars();
    for (const batch of [1, 7, 60, 301, 4096, base.length]) {
      const alone = derived();
      const together = derived();
      for (let from = 0; from < base.length; from += batch) {
        const to = Math.min(base.length, from + batch);
        for (const d of alone) d.addRows(base, from, to);
        DerivedBars.addRowsTo(together, base, from, to);
        if (from % (batch * 97) === 0) expect(state(together)).toEqual(state(alone));
      }
      expect(state(together)).toEqual(state(alone));
      for (const d of [...alone, ...together]) d.advanceTo(Number.POSITIVE_INFINITY, true);
      expect(state(together)).toEqual(state(alone));
      // The test means something: both days made bars in every interval, cut at 13:00.
      expect(alone[0]!.completed.length).toBe(390 + 210 - 2 * 15);
      const hours = alone[3]!;
      const last = hours.bar(hours.completed.length - 1);
      expect(new Date(last.end).toISOString()).toBe('2024-07-03T17:00:00.000Z');
    }
  });
});
