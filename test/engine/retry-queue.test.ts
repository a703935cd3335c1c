import { describe, expect, it } from 'vitest';
import { ColumnStore } from '../../src/main/engine/column-store';
import type { Gap } from '../../src/main/engine/upkeep/gap';
import { RetryQueue } from '../../src/main/engine/upkeep/retry-queue';
import { mulberry32 } from '../../src/main/storage/synthetic/seeded-random';

function gap(start: number, due: number): Gap {
  return {
    symbol: 'X',
    interval: '1s',
    start,
    end: start + 1000,
    expected: 1,
    filled: 0,
    attempts: 0,
    pendingFrom: start,
    outcome: 'pending',
    nextAttemptAt: due,
    lastError: undefined,
  };
}

describe('retry queue', () => {
  it('takes immediate and scheduled gaps together, each once, oldest start first', () => {
    const q = new RetryQueue();
    const later = gap(5_000, 100);
    const now1 = gap(3_000, -Infinity);
    const now2 = gap(1_000, -Infinity);
    const notYet = gap(0, 500);
    for (const g of [later, now1, now2, notYet]) q.push(g);
    expect(q.peekDue()).toBe(-Infinity);
    expect(q.takeDue(200).map((g) => g.start)).toEqual([1_000, 3_000, 5_000]);
    expect(q.takeDue(200)).toEqual([]);
    expect(q.peekDue()).toBe(500);
    expect(q.takeDue(500)).toEqual([notYet]);
  });

  it('skips gaps settled or rescheduled since they were queued', () => {
    const q = new RetryQueue();
    const settled = gap(0, -Infinity);
    const moved = gap(1_000, -Infinity);
    q.push(settled);
    q.push(moved);
    settled.outcome = 'missing';
    moved.nextAttemptAt = 300;
    q.push(moved);
    expect(q.takeDue(100)).toEqual([]);
    expect(q.takeDue(300)).toEqual([moved]);
    expect(q.peekDue()).toBe(Infinity);
  });

  it('agrees with a brute-force scan over random pushes, settles and takes', () => {
    const random = mulberry32(11);
    const q = new RetryQueue();
    const all: Gap[] = [];
    let taken = new Set<Gap>();
    for (let step = 0; step < 2_000; step++) {
      const r = random();
      if (r < 0.5) {
        const g = gap(
          Math.floor(random() * 1e6),
          random() < 0.5 ? -Infinity : Math.floor(random() * 1e4),
        );
        all.push(g);
        q.push(g);
      } else if (r < 0.6 && all.length > 0) {
        all[Math.floor(random() * all.length)]!.outcome = 'missing';
      } else {
        const asOf = Math.floor(random() * 1e4);
        const want = all
          .filter((g) => !taken.has(g) && g.outcome === 'pending' && g.nextAttemptAt <= asOf)
          .sort((a, b) => a.start - b.start);
        const got = q.takeDue(asOf);
        expect(got.map((g) => g.start)).toEqual(want.map((g) => g.start));
        taken = new Set([...taken, ...got]);
      }
    }
  });
});

describe('column store appendRange', () => {
  it('copies short and long runs alike', () => {
    for (const count of [1, 63, 64, 65, 500]) {
      const ts = Float64Array.from({ length: count + 10 }, (_, i) => i * 10);
      const cols = [0, 1].map((c) => Float64Array.from(ts, (t) => t + c));
      const store = new ColumnStore(['a', 'b']);
      store.append(-5, [7, 8], 1);
      store.appendRange(ts, cols, 3, 3 + count);
      expect(store.length).toBe(count + 1);
      expect(Array.from(store.timestamp.subarray(1, count + 1))).toEqual(
        Array.from(ts.subarray(3, 3 + count)),
      );
      expect(store.values[1]![count]).toBe(ts[2 + count]! + 1);
      expect(store.flags[0]).toBe(1);
      expect(Array.from(store.flags.subarray(1, count + 1)).every((f) => f === 0)).toBe(true);
    }
  });
});
