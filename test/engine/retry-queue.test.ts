import { describe, expect, it } from 'vitest';
import { ColumnStore } from '../../src/main/engine/column-store';
import { GapTable, MISSING } from '../../src/main/engine/upkeep/gap-table';
import { RetryQueue } from '../../src/main/engine/upkeep/retry-queue';
import { mulberry32 } from '../../src/main/storage/synthetic/seeded-random';

/** A pending one-slot gap at `start`, due at `due`; its id. */
function gap(table: GapTable, start: number, due: number): number {
  const id = table.add(start, start + 1000, 1);
  table.nextAttemptAt[id] = due;
  return id;
}

describe('retry queue', () => {
  it('takes immediate and scheduled gaps together, each once, oldest start first', () => {
    const table = new GapTable('X', '1s');
    const q = new RetryQueue(table);
    const later = gap(table, 5_000, 100);
    const now1 = gap(table, 3_000, -Infinity);
    const now2 = gap(table, 1_000, -Infinity);
    const notYet = gap(table, 0, 500);
    for (const g of [later, now1, now2, notYet]) q.push(g);
    expect(q.peekDue()).toBe(-Infinity);
    expect(q.takeDue(200).map((g) => table.start[g])).toEqual([1_000, 3_000, 5_000]);
    expect(q.takeDue(200)).toEqual([]);
    expect(q.peekDue()).toBe(500);
    expect(q.takeDue(500)).toEqual([notYet]);
  });

  it('skips gaps settled or rescheduled since they were queued', () => {
    const table = new GapTable('X', '1s');
    const q = new RetryQueue(table);
    const settled = gap(table, 0, -Infinity);
    const moved = gap(table, 1_000, -Infinity);
    q.push(settled);
    q.push(moved);
    table.outcome[settled] = MISSING;
    table.nextAttemptAt[moved] = 300;
    q.push(moved);
    expect(q.takeDue(100)).toEqual([]);
    expect(q.takeDue(300)).toEqual([moved]);
    expect(q.peekDue()).toBe(Infinity);
  });

  it('agrees with a brute-force scan over random pushes, settles and takes', () => {
    const random = mulberry32(11);
    const table = new GapTable('X', '1s');
    const q = new RetryQueue(table);
    const all: number[] = [];
    let taken = new Set<number>();
    for (let step = 0; step < 2_000; step++) {
      const r = random();
      if (r < 0.5) {
        const g = gap(
          table,
          Math.floor(random() * 1e6),
          random() < 0.5 ? -Infinity : Math.floor(random() * 1e4),
        );
        all.push(g);
        q.push(g);
      } else if (r < 0.6 && all.length > 0) {
        table.outcome[all[Math.floor(random() * all.length)]!] = MISSING;
      } else {
        const asOf = Math.floor(random() * 1e4);
        // Same-start gaps may come out in either order: compare starts.
        const want = all
          .filter((g) => !taken.has(g) && table.outcome[g] === 0 && table.nextAttemptAt[g]! <= asOf)
          .map((g) => table.start[g])
          .sort((a, b) => a! - b!);
        const got = q.takeDue(asOf);
        expect(got.map((g) => table.start[g])).toEqual(want);
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
