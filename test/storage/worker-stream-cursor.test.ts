import { describe, expect, it } from 'vitest';
import {
  WorkerStreamCursor,
  type SlabFeed,
} from '../../src/main/storage/parquet/worker-stream-cursor';

const KEY = { symbol: 'AAA', type: 'bars' as const, interval: '1s' as const };

function feed() {
  const recycled: ArrayBuffer[][] = [];
  const calls: SlabFeed & { recycled: ArrayBuffer[][] } = {
    recycled,
    credit: () => undefined,
    release: () => undefined,
    recycle: (buffers) => recycled.push(buffers),
  };
  return calls;
}

/** A slab as the worker sends it: every column in one buffer. */
function slab(length: number, first: number) {
  const memory = new ArrayBuffer(length * 2 * 8);
  const timestamp = new Float64Array(memory, 0, length);
  for (let i = 0; i < length; i++) timestamp[i] = first + i * 1000;
  const close = new Float64Array(memory, length * 8, length).fill(100);
  return { memory, timestamp, values: [close] };
}

describe('WorkerStreamCursor: finished slabs go back to the worker', () => {
  it('gives a slab back once every row of it is finished, not before', async () => {
    const f = feed();
    const cursor = new WorkerStreamCursor(KEY, 1500, 1000, 1, f);
    const a = slab(1000, 0);
    const b = slab(500, 1_000_000);
    cursor.deliver(1000, a.timestamp, a.values, 11);
    cursor.deliver(500, b.timestamp, b.values, 22);
    const first = (await cursor.next(600))!;
    const second = (await cursor.next(600))!;
    expect(second.length).toBe(400);
    // The slab's print rides on its first batch only, and covers the whole slab.
    expect(first.slabPrint).toEqual({
      first: 0,
      last: a.timestamp[999],
      rows: 1000,
      fingerprint: 11,
    });
    expect(second.slabPrint).toBeUndefined();
    cursor.finished(first);
    expect(f.recycled).toHaveLength(0);
    const third = (await cursor.next(600))!;
    expect(third.timestamp[0]).toBe(1_000_000);
    expect(third.slabPrint?.rows).toBe(500);
    cursor.finished(second);
    expect(f.recycled).toEqual([[a.memory]]);
    cursor.finished(third);
    expect(f.recycled).toEqual([[a.memory], [b.memory]]);
    // A batch finished twice, or one not from this cursor, gives nothing back again.
    cursor.finished(third);
    cursor.finished({ length: 1, timestamp: new Float64Array(1), values: [] });
    expect(f.recycled).toHaveLength(2);
  });

  it('carries no print for a slab the reader did not fingerprint (quotes, ticks)', async () => {
    const cursor = new WorkerStreamCursor(KEY, 1000, 1000, 1, feed());
    const a = slab(1000, 0);
    cursor.deliver(1000, a.timestamp, a.values, undefined);
    expect((await cursor.next(1000))!.slabPrint).toBeUndefined();
  });

  it('gives nothing back after close', async () => {
    const f = feed();
    const cursor = new WorkerStreamCursor(KEY, 1000, 1000, 1, f);
    const a = slab(1000, 0);
    cursor.deliver(1000, a.timestamp, a.values, 11);
    const batch = (await cursor.next(1000))!;
    await cursor.close();
    cursor.finished(batch);
    expect(f.recycled).toHaveLength(0);
  });
});
