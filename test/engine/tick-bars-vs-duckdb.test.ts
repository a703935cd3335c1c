/**
 * Bars built from ticks against DuckDB's aggregation of the same ticks: sparse trading (empty
 * seconds and minutes), bursts of trades in one millisecond (ties keep file order), trades
 * exactly on bucket edges, and batch boundaries falling inside a bucket.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { TickBarCursor } from '../../src/main/engine/tick-bars';
import type { StreamBatch, StreamCursor } from '../../src/shared/stream-cursor';

interface Tick {
  time: number;
  price: number;
  size: number;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function realShapedTicks(seed: number, n: number): Tick[] {
  let x = seed;
  const rand = (): number => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const ticks: Tick[] = [];
  let t = Date.parse('2013-10-07T13:30:00Z');
  let price = 168.5;
  for (let i = 0; i < n; i++) {
    const r = rand();
    // Same millisecond (a burst), a few ms, a quiet stretch, or exactly the next second.
    t +=
      r < 0.2
        ? 0
        : r < 0.7
          ? Math.floor(rand() * 400)
          : r < 0.95
            ? 1000 + Math.floor(rand() * 5000)
            : 0;
    if (rand() < 0.05) t = Math.ceil(t / 1000) * 1000;
    price = Math.round((price + (rand() - 0.5) * 0.04) * 100) / 100;
    ticks.push({ time: t, price, size: 1 + Math.floor(rand() * 500) });
  }
  return ticks;
}

/** A tick stream in batches of `batch` rows, as a store's cursor hands them out. */
function cursorOf(ticks: Tick[], batch: number): StreamCursor {
  let at = 0;
  return {
    symbol: 'SPY',
    type: 'ticks',
    async next(): Promise<StreamBatch | null> {
      if (at >= ticks.length) return null;
      const part = ticks.slice(at, at + batch);
      at += part.length;
      return {
        length: part.length,
        timestamp: Float64Array.from(part.map((t) => t.time)),
        values: [
          Float64Array.from(part.map((t) => t.price)),
          Float64Array.from(part.map((t) => t.size)),
        ],
      };
    },
    close: async () => undefined,
  };
}

async function ours(ticks: Tick[], interval: '1s' | '1m', batch: number): Promise<number[][]> {
  const cursor = new TickBarCursor(cursorOf(ticks, batch), interval);
  const rows: number[][] = [];
  for (let b = await cursor.next(257); b; b = await cursor.next(257)) {
    for (let i = 0; i < b.length; i++) {
      rows.push([b.timestamp[i]!, ...b.values.map((v) => v[i]!)]);
    }
  }
  return rows;
}

async function duckdb(ticks: Tick[], stepMs: number): Promise<number[][]> {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-tickbars-'));
  dirs.push(dir);
  const file = join(dir, 'ticks.csv');
  writeFileSync(
    file,
    `seq,time,price,size\n${ticks.map((t, i) => `${i},${t.time},${t.price},${t.size}`).join('\n')}\n`,
  );
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const reader = await con.runAndReadAll(`
    SELECT floor(time / ${stepMs}) * ${stepMs} AS start,
           arg_min(price, seq) AS open, max(price) AS high, min(price) AS low,
           arg_max(price, seq) AS close, sum(size) AS volume
    FROM read_csv('${file}', header = true,
      columns = {'seq': 'BIGINT', 'time': 'DOUBLE', 'price': 'DOUBLE', 'size': 'DOUBLE'})
    GROUP BY 1 ORDER BY 1`);
  const rows = reader.getRows().map((r) => r.map((v) => Number(v)));
  con.closeSync();
  return rows;
}

describe('bars from ticks against DuckDB', () => {
  const ticks = realShapedTicks(11, 20_000);

  it.each([
    ['1s', 1000, 7],
    ['1s', 1000, 4096],
    ['1m', 60_000, 100],
  ] as const)(
    '%s bars (tick batches of %s… rows) equal DuckDB’s',
    async (interval, step, batch) => {
      const expected = await duckdb(ticks, step);
      const got = await ours(ticks, interval, batch);
      expect(got.length).toBe(expected.length);
      expect(got).toEqual(expected);
      // Sparse: far fewer 1s bars than seconds spanned (no-trade seconds make no bar).
      if (interval === '1s') {
        const span = (ticks.at(-1)!.time - ticks[0]!.time) / 1000;
        expect(got.length).toBeLessThan(span * 0.6);
      }
    },
  );

  it('yields nothing for no ticks, and one bar for one tick', async () => {
    expect(await ours([], '1s', 10)).toEqual([]);
    expect(await ours([{ time: 1500, price: 2, size: 3 }], '1s', 10)).toEqual([
      [1000, 2, 2, 2, 2, 3],
    ]);
  });
});
