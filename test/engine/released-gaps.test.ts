/**
 * Released gaps are packed a few bytes each and must read back exactly as they were, whatever
 * their fields: partial fills, reasons that change, times off the slot grid, attempts due or
 * taken. The oracle is each record as the gap table gave it before it was packed. Then the
 * tracker: releasing a day's gaps renumbers the records left, and every reader (the gap list,
 * the panels' overview, the retry queue) must answer as if nothing had been released.
 */
import { describe, expect, it } from 'vitest';
import { ColumnStore } from '../../src/main/engine/column-store';
import { gapSummaryOf, largestGapsOf } from '../../src/main/engine/upkeep/gap-overview';
import type { Gap } from '../../src/main/engine/upkeep/gap';
import { FILLED, GapTable, MISSING, PARTIAL } from '../../src/main/engine/upkeep/gap-table';
import { GapTracker } from '../../src/main/engine/upkeep/gap-tracker';
import { ReleasedGaps } from '../../src/main/engine/upkeep/released-gaps';
import { calendarFor } from '../../src/shared/market/calendars';
import { BAR_FIELDS } from '../../src/shared/stream-types';
import { expectOverviewOf } from './gap-overview-oracle';

/** Deterministic numbers in [0, 1). */
function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('released gaps', () => {
  it('read back every field of every record exactly, from any position', () => {
    const next = random(7);
    const table = new GapTable('AAA', '1s');
    const archive = new ReleasedGaps('AAA', '1s', 1000);
    const expected: Gap[] = [];
    let t = Date.parse('2024-03-04T14:30:00Z');
    const reasons = ['no data in the fill source', 'ECONNRESET', 'a lock'];
    for (let i = 0; i < 15_000; i++) {
      const r = next();
      // Mostly the usual case (on the grid, missing, taken, same reason), with every kind of
      // exception mixed in.
      const offGrid = r < 0.02;
      t += offGrid ? 1234.5 : 1000 * (1 + Math.floor(next() * 40));
      // A distance past 2^32 slots must survive the varints too.
      if (i === 700) t += 2 ** 33 * 1000;
      const slots = 1 + Math.floor(next() * (r < 0.05 ? 100_000 : 5));
      const start = t;
      const end = t + slots * 1000 + (offGrid ? 0.25 : 0);
      t = end;
      const id = table.add(start, end, slots);
      if (next() < 0.1) table.expected[id] = slots + 3;
      if (next() < 0.1) table.filled[id] = Math.floor(next() * slots);
      table.attempts[id] = next() < 0.9 ? 1 : 2 + Math.floor(next() * 5);
      table.pendingFrom[id] = next() < 0.9 ? end : start + 1000;
      const due = next();
      table.nextAttemptAt[id] = due < 0.8 ? Number.NaN : due < 0.9 ? -Infinity : end + 60_000.5;
      const o = next();
      table.outcome[id] = o < 0.85 ? MISSING : o < 0.95 ? FILLED : PARTIAL;
      table.setReason(
        id,
        next() < 0.9 ? reasons[0] : next() < 0.5 ? undefined : reasons[1 + (i % 2)],
      );
      // A count past 2^31 too.
      if (i === 700) table.expected[id] = 4_000_000_000;
      expected.push(table.record(id));
      archive.append(table, id);
    }
    expect(archive.count).toBe(15_000);
    // Enough to fill more than one chunk: reads cross from one to the next.
    expect(archive.byteCapacity).toBeGreaterThan(2 * 32 * 1024);
    const all: Gap[] = [];
    archive.read(0, archive.count, (gap) => all.push(gap));
    expect(all).toEqual(expected);
    // Mid-way reads start at a checkpoint and skip to the first record asked for.
    const ranges: [number, number][] = [
      [0, 1],
      [255, 258],
      [256, 256],
      [700, 701],
      [14_999, 20_000],
    ];
    for (let from = 0; from < 15_000; from += 997) ranges.push([from, from + 300]);
    for (const [from, to] of ranges) {
      const part: Gap[] = [];
      archive.read(from, to, (gap) => part.push(gap));
      expect(part).toEqual(expected.slice(from, to));
    }
    // By time: every record overlapping the span, decoded from the checkpoint before it.
    const spans: [number, number][] = [
      [-Infinity, Infinity],
      [expected[0]!.start - 1, expected[0]!.start],
      [expected[0]!.start, expected[0]!.end],
      [expected[255]!.end, expected[256]!.end],
      [expected[700]!.start + 1, expected[701]!.start + 1],
      [expected[14_999]!.end, Infinity],
    ];
    for (let i = 13; i < 15_000; i += 1_011) {
      spans.push([expected[i]!.end, expected[i + 40]?.start ?? Infinity]);
      spans.push([(expected[i]!.start + expected[i]!.end) / 2, expected[i + 3]?.end ?? Infinity]);
    }
    for (const [from, to] of spans) {
      const part: Gap[] = [];
      archive.overlapping(from, to, (gap) => part.push(gap));
      expect(part).toEqual(expected.filter((g) => g.end > from && g.start < to));
    }
    // The point of it: a few bytes per usual record, not the table's ~50.
    expect(archive.byteLength / archive.count).toBeLessThan(12);
  });

  it('packs the usual gap of sparse 1s data in 3 bytes', () => {
    const table = new GapTable('AAA', '1s');
    const archive = new ReleasedGaps('AAA', '1s', 1000);
    let t = Date.parse('2024-03-04T14:30:00Z');
    for (let i = 0; i < 4000; i++) {
      t += 1000 * (1 + (i % 7));
      const id = table.add(t, t + 2000, 2);
      t += 2000;
      table.attempts[id] = 1;
      table.pendingFrom[id] = t;
      table.nextAttemptAt[id] = Number.NaN;
      table.outcome[id] = MISSING;
      table.setReason(id, 'no data in the fill source');
      archive.append(table, id);
    }
    // Flags, the slots since the last gap and the length: 3 bytes (the first gap's distance from
    // 1970 takes a few more once).
    expect(archive.byteLength / archive.count).toBeLessThan(3.01);
  });
});

describe('compacting the gap table', () => {
  it.each([
    ['one run of ids', [4, 5, 6, 7]],
    ['ids out of order, as a split leaves them', [6, 2, 7, 3]],
  ])('keeps exactly the rows asked for, renumbered in order (%s)', (_, keep) => {
    const table = new GapTable('AAA', '1s');
    for (let i = 0; i < 9; i++) {
      const id = table.add(1000 * i, 1000 * i + 500, i + 1);
      table.attempts[id] = i;
      table.outcome[id] = i % 2 === 0 ? MISSING : FILLED;
      table.setReason(id, i % 3 === 0 ? 'no data' : undefined);
    }
    const expected = keep.map((id) => table.record(id));
    table.compact(Int32Array.from([0, 1, ...keep]), 2, 2 + keep.length);
    expect(table.size).toBe(keep.length);
    expect(keep.map((_, id) => table.record(id))).toEqual(expected);
  });
});

const XNYS = calendarFor('XNYS');
const MONDAY = XNYS.sessionAfter(Date.parse('2024-03-04T00:00:00Z'))!;
const TUESDAY = XNYS.sessionAfter(MONDAY.close)!;

/** The gaps as the tracker lists them, and the overview of them built from that list. */
function expectReadersAgree(tracker: GapTracker, oracle: readonly Gap[]): void {
  expect(tracker.gaps).toEqual(oracle);
  expect(tracker.size).toBe(oracle.length);
  // By time, across the packed and the held records: spans around each day's edges and gaps.
  const edges = [MONDAY.open, MONDAY.close, TUESDAY.open, TUESDAY.close];
  for (const g of oracle.filter((_, i) => i % 7 === 0)) edges.push(g.start, g.end, g.start + 1);
  for (const from of edges) {
    for (const to of [from, from + 60_000, from + 3_600_000, TUESDAY.open, Infinity]) {
      expect(tracker.between(from, to)).toEqual(oracle.filter((g) => g.end > from && g.start < to));
    }
  }
  expectOverviewOf(tracker, oracle, [1, 3, 7]);
}

describe('a gap tracker releasing a day', () => {
  it('packs the settled gaps before the day, renumbers the rest, and every reader agrees', () => {
    const tracker = new GapTracker('AAA', '1m', XNYS, MONDAY.open);
    const base = new ColumnStore(BAR_FIELDS);
    const next = random(3);
    // Two days of 1m bars with holes: Monday's gaps all settle; Tuesday's half do.
    for (const day of [MONDAY, TUESDAY]) {
      for (let t = day.open; t < day.close; t += 60_000) {
        if (next() < 0.7) base.insertOrdered(t, [1, 1, 1, 1, 1]);
      }
    }
    // The overview is asked for one list length before the release, another only after it.
    const mondayIds = [...tracker.scan(base, MONDAY.close)];
    for (const [i, id] of mondayIds.entries()) {
      tracker.settle(id, i % 5 === 0 ? FILLED : MISSING, i % 3 === 0 ? 'ECONNRESET' : 'no data');
    }
    expect(largestGapsOf(tracker, 3)).toHaveLength(3);
    const tuesdayIds = [...tracker.scan(base, TUESDAY.close)];
    expect(tuesdayIds.length).toBeGreaterThan(20);
    const settledTuesday = tuesdayIds.slice(0, 10);
    for (const id of settledTuesday) tracker.settle(id, MISSING, 'no data');
    const pendingBefore = tracker.due(Infinity).map((id) => tracker.gap(id).start);
    // `due` took them: queue them again for the check after the release.
    const pending = tuesdayIds.filter((id) => tracker.gap(id).outcome === 'pending');
    for (const id of pending) tracker.retryAt(id, TUESDAY.close + 60_000);
    const before = tracker.gaps.map((g) => ({ ...g }));
    const summaryBefore = gapSummaryOf(tracker);

    const released = tracker.releaseBefore(TUESDAY.open);
    expect(released).toBe(mondayIds.length);
    expect(tracker.released.count).toBe(mondayIds.length);
    // The table now holds Tuesday's records only, renumbered from 0.
    expect(tracker.table.size).toBe(before.length - mondayIds.length);
    expect(tracker.idAt(tracker.released.count)).toBe(0);
    expectReadersAgree(tracker, before);
    expect(gapSummaryOf(tracker)).toEqual(summaryBefore);
    // The queue kept Tuesday's pending gaps under their new ids, due when they were.
    expect(tracker.nextAttemptDue()).toBe(TUESDAY.close + 60_000);
    const due = [...tracker.due(Infinity)];
    expect(due.map((id) => tracker.gap(id).start)).toEqual(pendingBefore);
    const live = new Set<number>();
    for (let i = tracker.released.count; i < tracker.size; i++) live.add(tracker.idAt(i));
    expect(due.every((id) => live.has(id))).toBe(true);
    // Settling what the queue handed out settles exactly the pending gaps.
    for (const id of due) tracker.settle(id, MISSING, 'no data');
    expect(tracker.gaps.filter((g) => g.outcome === 'pending')).toEqual([]);
    const after = tracker.gaps;
    expect(after.slice(0, mondayIds.length)).toEqual(before.slice(0, mondayIds.length));
    expectReadersAgree(
      tracker,
      after.map((g) => ({ ...g })),
    );
  });

  it('holds a last gap that can still grow: on a 24x7 calendar it reaches back across midnight', () => {
    const calendar = calendarFor('24x7');
    const midnight = Date.parse('2024-03-05T00:00:00Z');
    const at = (minutes: number): number => midnight + minutes * 60_000;
    const sessionStart = midnight - 86_400_000;
    // The same bars for a tracker that packs at the release and one that never does.
    const packed = new GapTracker('BTC', '1m', calendar, sessionStart);
    const kept = new GapTracker('BTC', '1m', calendar, sessionStart);
    const base = new ColumnStore(BAR_FIELDS);
    for (let t = sessionStart; t < at(-3); t += 60_000) base.insertOrdered(t, [1, 1, 1, 1, 1]);
    const refill = (tracker: GapTracker, upTo: number, from: number, to: number): void => {
      const [id] = tracker.due(upTo);
      let added = 0;
      for (let m = from; m < to; m++) if (base.insertOrdered(at(m), [1, 1, 1, 1, 1])) added++;
      tracker.table.filled[id!] += added;
      tracker.table.attempts[id!] += 1;
      tracker.split(id!, base, 'no data');
    };
    // 23:57 to 00:02 missing; a refill brings 23:58 to 00:01 (for both: the bars are shared).
    packed.scan(base, at(2));
    kept.scan(base, at(2));
    refill(packed, at(2), -2, 2);
    refill(kept, at(2), 0, 0);
    const show = (t: GapTracker) => t.gaps.map((g) => [g.start, g.end, g.outcome]);
    expect(show(packed)).toEqual([
      [at(-3), at(-2), 'missing'],
      [at(-2), at(2), 'filled'],
    ]);
    // The filled range reaches the scan's frontier: if the next minute is missing it grows and
    // is asked again from 23:58, so the day before midnight is held (Retention keeps it).
    expect(packed.heldFrom()).toBe(at(-2));
    // It grows; the refill finds nothing new; then the day before midnight goes.
    for (const tracker of [packed, kept]) {
      tracker.scan(base, at(5));
      refill(tracker, at(5), 0, 0);
    }
    expect(packed.heldFrom()).toBe(at(2));
    expect(packed.releaseBefore(midnight)).toBe(1);
    expect(show(packed)).toEqual(show(kept));
    expect(show(packed)).toEqual([
      [at(-3), at(-2), 'missing'],
      [at(-2), at(2), 'filled'],
      [at(2), at(5), 'missing'],
    ]);
  });

  it('stops at a pending gap, and a second release packs what settled since', () => {
    const tracker = new GapTracker('AAA', '1m', XNYS, MONDAY.open);
    const base = new ColumnStore(BAR_FIELDS);
    for (let t = MONDAY.open; t < MONDAY.close; t += 60_000) {
      if ((t - MONDAY.open) % 300_000 !== 0) base.insertOrdered(t, [1, 1, 1, 1, 1]);
    }
    const ids = [...tracker.scan(base, MONDAY.close)];
    expect(ids.length).toBe(78);
    for (const id of ids.slice(0, 40)) tracker.settle(id, MISSING, 'no data');
    const oracle = () => tracker.gaps.map((g) => ({ ...g }));
    let before = oracle();
    expect(tracker.releaseBefore(TUESDAY.open)).toBe(40);
    expectReadersAgree(tracker, before);
    // The gaps the scan queued to be tried at once kept their place under their new ids.
    const live: number[] = [];
    for (let i = tracker.released.count; i < tracker.size; i++) live.push(tracker.idAt(i));
    expect(tracker.idAt(0)).toBe(-1);
    expect([...tracker.due(MONDAY.close)]).toEqual(live);
    for (let i = tracker.released.count; i < tracker.size; i++) {
      tracker.settle(tracker.idAt(i), FILLED);
    }
    before = oracle();
    expect(tracker.releaseBefore(TUESDAY.open)).toBe(38);
    expect(tracker.table.size).toBe(0);
    expectReadersAgree(tracker, before);
    // Gaps found after everything was released start the table again.
    const more = tracker.scan(base, TUESDAY.open + 30 * 60_000);
    expect(more.length).toBe(1);
    expect(more[0]).toBe(0);
    expect(tracker.gaps.slice(0, 78)).toEqual(before);
    expect(tracker.size).toBe(79);
  });
});
