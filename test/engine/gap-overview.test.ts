/**
 * The panels' gap overview folds gaps that can no longer change into running totals. The
 * dangerous case is a settled gap that touches the last one: the last gap can grow, be
 * refilled, and join its neighbour, which then changes. Driven step by step on a tracker, the
 * overview must equal one built from every record at each step.
 */
import { describe, expect, it } from 'vitest';
import { ColumnStore } from '../../src/main/engine/column-store';
import { foldedGaps } from '../../src/main/engine/upkeep/gap-overview';
import { FILLED, MISSING } from '../../src/main/engine/upkeep/gap-table';
import { GapTracker } from '../../src/main/engine/upkeep/gap-tracker';
import { calendarFor } from '../../src/shared/market/calendars';
import { BAR_FIELDS } from '../../src/shared/stream-types';
import { expectOverviewOf } from './gap-overview-oracle';

const XNYS = calendarFor('XNYS');
const OPEN = XNYS.sessionAfter(Date.parse('2024-03-04T00:00:00Z'))!.open;
const minute = (m: number): number => OPEN + m * 60_000;

function expectOverviewMatches(tracker: GapTracker): void {
  const gaps = Array.from({ length: tracker.size }, (_, i) => tracker.gap(tracker.idAt(i)));
  expectOverviewOf(tracker, gaps, [1, 5]);
}

describe('the gap overview', () => {
  it('does not fold a settled gap that the last gap can still join', () => {
    const tracker = new GapTracker('AAA', '1m', XNYS, OPEN);
    const base = new ColumnStore(BAR_FIELDS);
    const bar = (m: number): void => {
      base.insertOrdered(minute(m), [1, 1, 1, 1, 1]);
    };
    for (let m = 0; m < 10; m++) bar(m);
    // Minutes 10-19 missing: one gap, the last.
    const [first] = tracker.scan(base, minute(20));
    expect(first).toBeDefined();
    expectOverviewMatches(tracker);
    // A refill brings minutes 10 and 11: a short filled gap, touching a missing one, the last.
    bar(10);
    bar(11);
    const pieces = tracker.split(first!, base, 'no data');
    expect(pieces.map((id) => tracker.gap(id).outcome)).toEqual(['filled', 'missing']);
    expectOverviewMatches(tracker);
    // More missing minutes: the last gap grows and is pending again.
    tracker.scan(base, minute(30));
    expect(tracker.gap(pieces[1]!).outcome).toBe('pending');
    expectOverviewMatches(tracker);
    // Its refill brings minutes 12-14: that part joins the short filled gap, which is no
    // longer short, and the rest stays missing.
    for (let m = 12; m < 15; m++) bar(m);
    tracker.split(pieces[1]!, base, 'no data');
    const gaps = Array.from({ length: tracker.size }, (_, i) => tracker.gap(tracker.idAt(i)));
    expect(gaps.map((g) => [g.outcome, g.expected])).toEqual([
      ['filled', 5],
      ['missing', 15],
    ]);
    expectOverviewMatches(tracker);
  });

  it('folds final gaps, and answers from the rest', () => {
    const tracker = new GapTracker('AAA', '1m', XNYS, OPEN);
    const base = new ColumnStore(BAR_FIELDS);
    // A bar every third minute: gaps of two minutes that never touch.
    for (let m = 0; m < 300; m += 3) base.insertOrdered(minute(m), [1, 1, 1, 1, 1]);
    const found = tracker.scan(base, minute(300));
    expect(found.length).toBe(100);
    for (const [i, id] of found.entries()) {
      if (i < 90) tracker.settle(id, i % 2 === 0 ? MISSING : FILLED, 'no data');
    }
    expectOverviewMatches(tracker);
    // The 90 settled gaps before the first pending one are final.
    expect(foldedGaps(tracker)).toBe(90);
  });
});
