/**
 * The merge tells a cursor when it has finished with a batch (StreamCursor.finished), and a
 * cursor may then reuse that memory: the reader worker decodes later slabs into it. The check
 * here is the strong one: a cursor that overwrites every finished batch with NaN at once must
 * give exactly the events and session data of one that never does, ties, quotes and several
 * chunks per stream included.
 */
import { describe, expect, it } from 'vitest';
import { TickBarCursor } from '../../src/main/engine/tick-bars';
import { MemoryStreamCursor } from '../../src/main/storage/memory-cursor';
import type { StreamBatch, StreamCursor } from '../../src/shared/stream-cursor';
import { at, bars, quotes, setup } from './helpers';

/** Hands out copies, and poisons each one once finished; counts what it was told. */
function poisoning(inner: MemoryStreamCursor): StreamCursor & { finishedRows: number } {
  const handed = new Set<StreamBatch>();
  const cursor = {
    symbol: inner.symbol,
    type: inner.type,
    ...(inner.interval ? { interval: inner.interval } : {}),
    totalRows: inner.totalRows,
    finishedRows: 0,
    async next(maxRows: number): Promise<StreamBatch | null> {
      const batch = await inner.next(maxRows);
      if (!batch) return null;
      const copy = {
        length: batch.length,
        timestamp: batch.timestamp.slice(),
        values: batch.values.map((v) => v.slice()),
      };
      handed.add(copy);
      return copy;
    },
    finished(batch: StreamBatch): void {
      expect(handed.delete(batch), 'finished once, and only what was handed out').toBe(true);
      cursor.finishedRows += batch.length;
      batch.timestamp.fill(NaN);
      for (const column of batch.values) column.fill(NaN);
    },
    close: () => inner.close(),
  };
  return cursor;
}

function streams() {
  const start = at(9, 30);
  // Ties between the two bar streams, quotes between and on bar ends.
  return [
    bars('AAA', '1s', start, 5000),
    bars('BBB', '1s', start, 4000, 50),
    quotes(
      'AAA',
      Array.from({ length: 3000 }, (_, i) => start + i * 1500),
    ),
  ];
}

async function run(poison: boolean) {
  const { coordinator, sessionData, events } = setup({ maxQueueSize: 700 });
  const cursors = streams().map((c) => (poison ? poisoning(c) : c));
  for (const cursor of cursors) coordinator.register(cursor);
  await coordinator.start();
  const held = sessionData
    .all()
    .map((d) => [
      d.symbol,
      Array.from(d.bars_base.columns().timestamp),
      ...d.bars_base.columns().values.map((v) => Array.from(v)),
      Array.from(d.quotes.columns().values[0] ?? []),
    ]);
  return { events, held, cursors };
}

/** `n` trades every 700 ms from `start`, prices wandering by cents. */
function trades(symbol: string, start: number, n: number) {
  const times = Array.from({ length: n }, (_, i) => start + i * 700);
  return new MemoryStreamCursor({
    symbol,
    type: 'ticks',
    timestamp: times,
    values: {
      price: times.map((_, i) => 100 + ((i * 7) % 13) * 0.01),
      size: times.map((_, i) => 1 + (i % 5)),
    },
  });
}

describe('finished batches', () => {
  it('bars built from ticks hand each tick batch back once aggregated, and read none again', async () => {
    const bars = async (poison: boolean) => {
      const ticks = trades('CCC', at(9, 30), 20_000);
      const inner = poison ? poisoning(ticks) : ticks;
      const cursor = new TickBarCursor(inner, '1s');
      const out: number[] = [];
      for (let b = await cursor.next(1000); b; b = await cursor.next(1000)) {
        for (let i = 0; i < b.length; i++) {
          out.push(b.timestamp[i]!, ...b.values.map((v) => v[i]!));
        }
      }
      return { out, inner };
    };
    const plain = await bars(false);
    const poisoned = await bars(true);
    expect(poisoned.out).toEqual(plain.out);
    expect(poisoned.out.some(Number.isNaN)).toBe(false);
    expect((poisoned.inner as { finishedRows: number }).finishedRows).toBe(20_000);
  });

  it('are never read again: poisoning them changes nothing', async () => {
    const plain = await run(false);
    const poisoned = await run(true);
    expect(poisoned.events).toHaveLength(12_000);
    expect(poisoned.events).toEqual(plain.events);
    expect(poisoned.held).toEqual(plain.held);
    expect(poisoned.events.some((e) => Number.isNaN(e.v0))).toBe(false);
    // The merge did finish batches (all but each stream's last, still in hand at the end).
    const finished = poisoned.cursors.map((c) => (c as { finishedRows: number }).finishedRows);
    expect(finished[0]).toBeGreaterThan(5000 - 700);
    expect(finished[1]).toBeGreaterThan(4000 - 700);
    expect(finished[2]).toBeGreaterThan(3000 - 700);
  });
});
