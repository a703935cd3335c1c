import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitImport } from '../../../src/main/storage/import/import-commit';
import { readExistingPartition } from '../../../src/main/storage/import/existing-partition';
import { streamFilePath } from '../../../src/main/storage/parquet/parquet-layout';
import { parquetMetadataAsync } from 'hyparquet';
import { openFileBuffer } from '../../../src/main/storage/parquet/file-buffer';
import { MINUTE_PROFILE_KEY } from '../../../src/main/storage/catalog/minute-profile';
import type { StreamKey } from '../../../src/shared/stream-cursor';
import { makeDataDir, removeDataDir } from '../fixtures';
import { barTimes, chunksOf, iterate, snapshot } from './commit-helpers';

let dir: string;
beforeEach(async () => {
  dir = await makeDataDir();
});
afterEach(async () => removeDataDir(dir));

const AAPL_1S: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1s' };

async function stored(date: string, key: StreamKey = AAPL_1S) {
  const rows = await readExistingPartition(streamFilePath(dir, key, date), key.type, date);
  if (!rows) throw new Error(`no file for ${date}`);
  return rows;
}

describe('commitImport into parquet', () => {
  it('partitions by trading date in New York time and writes the canonical layout', async () => {
    // 19:59:58 New York on the 4th is already the 5th in UTC: the date must be New York's.
    const times = [...barTimes('2024-03-04', 19, 59, 3, 1000), ...barTimes('2024-03-05', 9, 30, 2)];
    const result = await commitImport(iterate(chunksOf({ symbol: 'AAPL', timestamps: times })), {
      dataDir: dir,
      to: 'parquet',
      files: ['in.csv'],
    });
    expect(result.streams).toEqual([
      {
        symbol: 'AAPL',
        kind: 'bars',
        interval: '1s',
        rows: 5,
        replaced: 0,
        duplicatesDropped: 0,
        tradingDays: ['2024-03-04', '2024-03-05'],
      },
    ]);
    expect((await stored('2024-03-04')).length).toBe(3);
    expect(Array.from((await stored('2024-03-05')).timestamp)).toEqual(times.slice(3));
    // Nothing left behind but the canonical files.
    expect(readdirSync(join(dir, 'parquet'))).toEqual(['bars']);
    expect(existsSync(join(dir, '.import.lock'))).toBe(false);
  });

  it('writes the per-minute row profile into the footer', async () => {
    const times = barTimes('2024-03-04', 9, 30, 90);
    await commitImport(iterate(chunksOf({ symbol: 'AAPL', timestamps: times })), {
      dataDir: dir,
      to: 'parquet',
    });
    const buffer = await openFileBuffer(streamFilePath(dir, AAPL_1S, '2024-03-04'));
    const meta = await parquetMetadataAsync(buffer);
    await buffer.close();
    const kv = meta.key_value_metadata?.find((e) => e.key === MINUTE_PROFILE_KEY);
    expect(kv?.value).toBe('570:60,571:30');
  });

  it('merges overlapping data by timestamp: new rows replace old, and says how many', async () => {
    await commitImport(
      iterate(chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 9, 30, 100) })),
      {
        dataDir: dir,
        to: 'parquet',
      },
    );
    // Rows 50..149: 50 overlap, 50 are new.
    const second = barTimes('2024-03-04', 9, 30, 150).slice(50);
    const result = await commitImport(
      iterate(chunksOf({ symbol: 'AAPL', timestamps: second, priceOffset: 1000 })),
      { dataDir: dir, to: 'parquet' },
    );
    expect(result.streams[0]).toMatchObject({ rows: 100, replaced: 50 });
    const rows = await stored('2024-03-04');
    expect(rows.length).toBe(150);
    const ts = Array.from(rows.timestamp);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(new Set(ts).size).toBe(150);
    const open = rows.values[0];
    expect(open[49]).toBeLessThan(1000); // kept old
    expect(open[50]).toBeGreaterThan(1000); // replaced by new
    expect(open[149]).toBeGreaterThan(1000);
  });

  it('is idempotent: importing the same data again changes no byte and reports every row replaced', async () => {
    const chunks = chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 9, 30, 500) });
    await commitImport(iterate(chunks), { dataDir: dir, to: 'parquet' });
    const before = snapshot(dir);
    const again = await commitImport(iterate(chunks), { dataDir: dir, to: 'parquet' });
    expect(again.streams[0]).toMatchObject({ rows: 500, replaced: 500 });
    expect(snapshot(dir)).toEqual(before);
  });

  it('sorts unsorted arrivals, keeps the later of two imported bars at one time, and spills under a tiny budget', async () => {
    const times = barTimes('2024-03-04', 9, 30, 3000);
    const reversed = [...times].reverse();
    const chunks = [
      ...chunksOf({ symbol: 'AAPL', timestamps: reversed, chunkRows: 100 }),
      // the last 10 again, with other prices: they win
      ...chunksOf({ symbol: 'AAPL', timestamps: times.slice(-10), priceOffset: 500 }),
      ...chunksOf({
        symbol: 'MSFT',
        timestamps: barTimes('2024-03-05', 10, 0, 700),
        chunkRows: 70,
      }),
    ];
    const result = await commitImport(iterate(chunks), {
      dataDir: dir,
      to: 'parquet',
      spoolBudgetBytes: 64 * 1024,
    });
    const aapl = result.streams.find((s) => s.symbol === 'AAPL')!;
    expect(aapl).toMatchObject({ rows: 3000, duplicatesDropped: 10, replaced: 0 });
    const rows = await stored('2024-03-04');
    expect(Array.from(rows.timestamp)).toEqual(times);
    expect(rows.values[0][2999]).toBeGreaterThan(500);
    expect(rows.values[0][2989]).toBeLessThan(500);
    const msft = await stored('2024-03-05', { symbol: 'MSFT', type: 'bars', interval: '1s' });
    expect(msft.length).toBe(700);
  });

  it('keeps every quote at a shared timestamp, and replaces all stored quotes at that timestamp', async () => {
    const t = barTimes('2024-03-04', 9, 30, 3, 1000);
    const key = { symbol: 'AAPL', type: 'quotes' } as const;
    const twice = [t[0], t[0], t[1], t[2]];
    await commitImport(iterate(chunksOf({ symbol: 'AAPL', kind: 'quotes', timestamps: twice })), {
      dataDir: dir,
      to: 'parquet',
    });
    const result = await commitImport(
      iterate(chunksOf({ symbol: 'AAPL', kind: 'quotes', timestamps: [t[0]], priceOffset: 7 })),
      { dataDir: dir, to: 'parquet' },
    );
    expect(result.streams[0]).toMatchObject({ kind: 'quotes', rows: 1, replaced: 2 });
    const rows = await stored('2024-03-04', key);
    expect(Array.from(rows.timestamp)).toEqual(t);
    expect(rows.values[0][0]).toBeCloseTo(107);
  });

  it('re-opens a day already written when a later file of the same import brings more of it', async () => {
    const day1 = barTimes('2024-03-04', 9, 30, 150);
    const chunks = [
      ...chunksOf({ symbol: 'AAPL', timestamps: day1.slice(0, 100) }),
      ...chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-05', 9, 30, 80) }),
      // "the second file": back to the 4th, overlapping its last 50 rows, with other prices
      ...chunksOf({ symbol: 'AAPL', timestamps: day1.slice(50), priceOffset: 500 }),
    ];
    const result = await commitImport(iterate(chunks), { dataDir: dir, to: 'parquet' });
    expect(result.streams[0]).toMatchObject({ rows: 230, replaced: 0, duplicatesDropped: 50 });
    const rows = await stored('2024-03-04');
    expect(Array.from(rows.timestamp)).toEqual(day1);
    expect(rows.values[0][49]).toBeLessThan(500);
    expect(rows.values[0][50]).toBeGreaterThan(500);
    expect((await stored('2024-03-05')).length).toBe(80);
    expect(readdirSync(join(dir, 'parquet'))).toEqual(['bars']);
  });

  it('adds the duplicates each reader dropped to the ones dropped across files', async () => {
    const [chunk] = chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 9, 30, 10) });
    const result = await commitImport(iterate([{ ...chunk, duplicatesDropped: 3 }]), {
      dataDir: dir,
      to: 'both',
    });
    expect(result.streams[0]).toMatchObject({ rows: 10, duplicatesDropped: 3 });
  });
});
