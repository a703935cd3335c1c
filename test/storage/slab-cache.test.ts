/**
 * The slab cache of a sweep worker: a file is decoded once while it is unchanged, every reader
 * still gets the file's rows as written (the fixture's columns are the oracle), a reader that
 * skips bad rows leaves the kept slabs as they were, and failures and changes are never kept.
 */
import { utimesSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openStreamFile,
  readSlabs,
  type DecodedSlab,
} from '../../src/main/storage/parquet/parquet-file-reader';
import { ParquetStreamSource } from '../../src/main/storage/parquet/parquet-source';
import { SlabCache } from '../../src/main/storage/parquet/slab-cache';
import { DataError, type StreamKey } from '../../src/shared/stream-cursor';
import {
  bars,
  drain,
  makeDataDir,
  removeDataDir,
  withCell,
  writeStreamFile,
  type Columns,
  readThroughCache,
} from './fixtures';

const BARS: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1m' };
const DATE = '2024-01-02';
const SLAB_ROWS = 64;

describe('SlabCache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeDataDir();
  });
  afterEach(() => removeDataDir(dir));

  const readThrough = (cache: SlabCache, path: string, decodes: { count: number }) =>
    readThroughCache(cache, path, decodes, SLAB_ROWS, DATE);

  function closes(slabs: DecodedSlab[]): number[] {
    return slabs.flatMap((s) => [...s.batch.values[3]!.subarray(0, s.batch.length)]);
  }

  it('decodes an unchanged file once and gives every read its rows', async () => {
    const data = bars(300);
    const path = await writeStreamFile(dir, BARS, DATE, data, { rowGroupSize: 100 });
    const cache = new SlabCache();
    const decodes = { count: 0 };
    const first = await readThrough(cache, path, decodes);
    const second = await readThrough(cache, path, decodes);
    expect(decodes.count).toBe(1);
    expect(closes(first)).toEqual(data.close);
    expect(closes(second)).toEqual(data.close);
    expect(second.map((s) => s.firstRow)).toEqual(first.map((s) => s.firstRow));
    // 300 rows of a timestamp and five values.
    expect(cache.bytes).toBe(300 * 6 * 8);
  });

  it('decodes a file again once it changed', async () => {
    const path = await writeStreamFile(dir, BARS, DATE, bars(300));
    const cache = new SlabCache();
    const decodes = { count: 0 };
    await readThrough(cache, path, decodes);
    const changed = bars(300, Date.UTC(2024, 0, 2, 15));
    await writeStreamFile(dir, BARS, DATE, changed);
    // Same size: only the modification time tells.
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const again = await readThrough(cache, path, decodes);
    expect(decodes.count).toBe(2);
    expect(again.flatMap((s) => [...s.batch.timestamp])).toEqual(changed.timestamp);
  });

  it('keeps nothing of a decode that fails, so the failure repeats', async () => {
    const path = await writeStreamFile(dir, BARS, DATE, bars(300), { rowGroupSize: 100 });
    const cache = new SlabCache();
    const opened = await openStreamFile({ path, date: DATE }, 'bars');
    let decodes = 0;
    const failing = async function* () {
      decodes++;
      yield* readSlabs(opened, SLAB_ROWS);
      throw new Error('disk gone');
    };
    for (let i = 0; i < 2; i++) {
      const read = async () => {
        for await (const _ of cache.read(path, SLAB_ROWS, failing)) void _;
      };
      await expect(read()).rejects.toThrow('disk gone');
    }
    expect(decodes).toBe(2);
    expect(cache.bytes).toBe(0);
  });

  it('lets go of the least recently read file past its budget', async () => {
    const a = await writeStreamFile(dir, BARS, DATE, bars(100));
    const b = await writeStreamFile(dir, BARS, '2024-01-03', bars(100, Date.UTC(2024, 0, 3, 15)));
    const cache = new SlabCache(100 * 6 * 8);
    const decodes = { count: 0 };
    await readThrough(cache, a, decodes);
    await readThrough(cache, b, decodes);
    expect(cache.bytes).toBe(100 * 6 * 8);
    await readThrough(cache, b, decodes);
    expect(decodes.count).toBe(2);
    await readThrough(cache, a, decodes);
    expect(decodes.count).toBe(3);
  });

  describe('under a stream source', () => {
    function badData(): Columns {
      return withCell(bars(200), 'close', 10, NaN);
    }

    it('a reader skipping a bad row leaves it for the next reader to refuse', async () => {
      const data = badData();
      await writeStreamFile(dir, BARS, DATE, data, { rowGroupSize: 50 });
      const slabCache = new SlabCache();
      const skipping = new ParquetStreamSource(dir, { skipInvalid: true, slabCache });
      const report = await skipping.preflight(BARS, {});
      expect([report.validRows, report.invalidRows]).toEqual([199, 1]);
      const kept = await drain(await skipping.open(BARS, {}), 30);
      expect(kept.timestamp).toEqual(data.timestamp.filter((_, i) => i !== 10));
      expect(slabCache.bytes).toBeGreaterThan(0);

      const strict = new ParquetStreamSource(dir, { slabCache });
      const refused = await strict
        .open(BARS, {})
        .then((cursor) => drain(cursor, 30))
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DataError);
      expect((refused as DataError).row).toBe(11);
      expect((refused as DataError).field).toBe('close');
      const again = await strict.preflight(BARS, {});
      expect(again.ok).toBe(false);
      expect(again.problems.map((p) => [p.row, p.field])).toEqual([[11, 'close']]);
    });

    it('streams the same rows with and without the cache, read after read', async () => {
      const data = bars(500);
      await writeStreamFile(dir, BARS, DATE, data, { rowGroupSize: 128 });
      const slabCache = new SlabCache();
      const cached = new ParquetStreamSource(dir, { slabCache });
      for (let read = 0; read < 3; read++) {
        expect((await cached.preflight(BARS, {})).ok).toBe(true);
        const rows = await drain(await cached.open(BARS, {}), 77);
        expect(rows.timestamp).toEqual(data.timestamp);
        expect(rows.values[3]).toEqual(data.close);
      }
    });
  });
});
