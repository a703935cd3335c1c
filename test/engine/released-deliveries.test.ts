/**
 * A strategy's delivered derived bars of released days: only what differs from the session's
 * bars is kept, and a look-back past the held days, read from the session's history with those
 * put back, returns exactly the bars as delivered. The oracle is the delivered copy itself,
 * taken before it was released. Every kind of difference is built by hand: a bar revised after
 * it was shown, a bucket the session has that was never shown, one shown that the session lacks.
 */
import { describe, expect, it } from 'vitest';
import type { BarRows } from '../../src/main/engine/bar-history';
import { ColumnStore } from '../../src/main/engine/column-store';
import { DELIVERED_FIELDS } from '../../src/main/engine/strategy/derived-delivery';
import { ReleasedDeliveries } from '../../src/main/engine/strategy/released-deliveries';

const FIVE = 300_000;
const DAY = 86_400_000;
const T0 = Date.parse('2024-03-04T14:30:00Z');

/** A bar per 5 minutes, 78 a day, for `days` days; values from the bucket's index. */
function bars(days: number): { start: number; row: number[] }[] {
  const out: { start: number; row: number[] }[] = [];
  for (let d = 0; d < days; d++) {
    for (let b = 0; b < 78; b++) {
      const i = d * 78 + b;
      out.push({ start: T0 + d * DAY + b * FIVE, row: [i, i + 2, i - 1, i + 0.5, 100 + i] });
    }
  }
  return out;
}

function store(rows: { start: number; row: number[] }[]): ColumnStore {
  const s = new ColumnStore(DELIVERED_FIELDS, 16);
  for (const { start, row } of rows) s.append(start, row);
  return s;
}

/** The session's bars before `end`, the last `n` of them, as the history answers. */
function history(session: { start: number; row: number[] }[], end: number, n: number): BarRows {
  const before = session.filter((b) => b.start < end);
  const part = before.slice(Math.max(0, before.length - n));
  return {
    length: part.length,
    timestamp: Float64Array.from(part.map((b) => b.start)),
    values: DELIVERED_FIELDS.map((_, f) => Float64Array.from(part.map((b) => b.row[f]!))),
    flags: new Uint8Array(part.length),
  };
}

function columns(rows: BarRows | ColumnStore, from = 0, to = rows.length): number[][] {
  const out: number[][] = [];
  for (let i = from; i < to; i++) {
    out.push([rows.timestamp[i]!, ...rows.values.slice(0, 5).map((v) => v[i]!)]);
  }
  return out;
}

describe('released deliveries', () => {
  it('keeps only what differs, and gives back the bars as delivered from any look-back', () => {
    // What the session holds now: three days of buckets.
    const session = bars(3);
    // What the strategy was shown: the same, except a bar revised after it was shown (day 1),
    // a bucket shown only with what was there at its end but the session's bar changed too
    // (day 2), a bucket the session gained by refill after its end (never shown, day 1), and a
    // bucket shown that the session no longer has (a test of the rule, not a real case).
    const shownRows = session.map((b) => ({ start: b.start, row: [...b.row] }));
    shownRows[10]!.row[3] = -1;
    shownRows[78 + 40]!.row[4] = 7;
    // (Indexes from here on shift: one removed at 30, one put in at 6.)
    const neverShown = shownRows.splice(30, 1)[0]!;
    const onlyShown = { start: T0 + 5 * FIVE + 60_000, row: [1, 2, 3, 4, 5] };
    shownRows.splice(6, 0, onlyShown);
    const asShown = store(shownRows);
    const delivered = store(shownRows);
    const sessionStore = store(session);

    const released = new ReleasedDeliveries(DELIVERED_FIELDS);
    // Day 1, then day 2: two releases, as the days go.
    released.release(delivered, sessionStore, T0 + DAY, 0);
    sessionStore.dropFront(sessionStore.lowerBound(T0 + DAY));
    released.release(delivered, sessionStore, T0 + 2 * DAY, 0);
    expect(released.before).toBe(T0 + 2 * DAY);
    expect(delivered.timestamp[0]).toBe(T0 + 2 * DAY);
    expect(released.kept).toEqual({ asDelivered: 3, undelivered: 1 });
    expect(neverShown.start).toBe(T0 + 30 * FIVE);

    const releasedCount = asShown.lowerBound(T0 + 2 * DAY);
    for (const n of [1, 5, 50, 78, 100, 126, 130, 150, 151, 155, 156, 157, 400]) {
      const asked: number[] = [];
      const got = released.lastShown((ask) => {
        asked.push(ask);
        return history(session, released.before, ask);
      }, n);
      const want = columns(asShown, Math.max(0, releasedCount - n), releasedCount);
      expect(columns(got)).toEqual(want);
      // The history is asked for n bars, and again for more only when the never-shown bucket
      // (day 1's 30th) fell in the window and nothing shown-only made up for it.
      expect(asked[0]).toBe(n);
      expect(asked.length).toBe(n >= 126 && n <= 150 ? 2 : 1);
    }
  });

  it.each([10, 100])(
    'keeps the last %i delivered bars in memory, the longest look-back asked for, and compares each bar once',
    (keep) => {
      const session = bars(3);
      const shownRows = session.map((b) => ({ start: b.start, row: [...b.row] }));
      // Revised after they were shown: one early on day 1, one among its last bars.
      shownRows[3]!.row[0] = -5;
      shownRows[75]!.row[1] = 99;
      const asShown = store(shownRows);
      const delivered = store(shownRows);
      const sessionStore = store(session);
      const released = new ReleasedDeliveries(DELIVERED_FIELDS);
      released.release(delivered, sessionStore, T0 + DAY, keep);
      sessionStore.dropFront(sessionStore.lowerBound(T0 + DAY));
      // Day 2's and 3's bars (156) are held, and some of day 1's when the look-back is longer.
      expect(delivered.length).toBe(Math.max(156, keep));
      released.release(delivered, sessionStore, T0 + 2 * DAY, keep);
      expect(delivered.length).toBe(Math.max(78, keep));
      // And all three days: the bars kept last time are not compared (or kept) again.
      sessionStore.dropFront(sessionStore.lowerBound(T0 + 2 * DAY));
      released.release(delivered, sessionStore, T0 + 3 * DAY, keep);
      expect(delivered.length).toBe(keep);
      expect(released.kept).toEqual({ asDelivered: 2, undelivered: 0 });
      // A look-back past memory reads the history before the first bar in memory.
      const end = delivered.timestamp[0]!;
      const inMemory = asShown.lowerBound(end);
      for (const n of [1, 20, 77, 200]) {
        const got = released.lastShown((ask) => history(session, end, ask), n, end);
        expect(columns(got)).toEqual(columns(asShown, Math.max(0, inMemory - n), inMemory));
      }
    },
  );

  it('keeps nothing when the strategy was shown what the session has', () => {
    const session = bars(2);
    const delivered = store(session);
    const released = new ReleasedDeliveries(DELIVERED_FIELDS);
    released.release(delivered, store(session), T0 + DAY, 0);
    expect(released.kept).toEqual({ asDelivered: 0, undelivered: 0 });
    expect(delivered.length).toBe(78);
    const got = released.lastShown((ask) => history(session, T0 + DAY, ask), 20);
    expect(columns(got)).toEqual(columns(store(session), 58, 78));
  });
});
