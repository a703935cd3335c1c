/**
 * Decoded slabs handed from one process to another through a slab file (a sweep's parent to its
 * workers): a cache that adopts them reads the file's rows as written (the fixture's columns are
 * the oracle) without decoding, a file changed since is decoded afresh, the rows still go
 * through the reader's checks, and a slab file that is missing, cut short or not one gives
 * nothing rather than wrong rows.
 */
import { readFileSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DecodedSlab } from '../../src/main/storage/parquet/parquet-file-reader';
import { ParquetStreamSource } from '../../src/main/storage/parquet/parquet-source';
import { SlabCache } from '../../src/main/storage/parquet/slab-cache';
import { readSlabFile, writeSlabFile } from '../../src/main/storage/parquet/slab-file';
import type { StreamKey } from '../../src/shared/stream-cursor';
import {
  bars,
  drain,
  makeDataDir,
  readThroughCache,
  removeDataDir,
  withCell,
  writeStreamFile,
} from './fixtures';

const BARS: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1m' };
const DATE = '2024-01-02';
const SLAB_ROWS = 64;

describe('slab files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeDataDir();
  });
  afterEach(() => removeDataDir(dir));

  const readThrough = (cache: SlabCache, path: string, decodes: { count: number }) =>
    readThroughCache(cache, path, decodes, SLAB_ROWS, DATE);

  function column(slabs: DecodedSlab[], field: number): number[] {
    return slabs.flatMap((s) => [...s.batch.values[field]!.subarray(0, s.batch.length)]);
  }

  /** Decodes `paths` in one cache and writes what it kept to a slab file. */
  async function handOver(paths: string[]): Promise<string> {
    const parent = new SlabCache();
    for (const path of paths) await readThrough(parent, path, { count: 0 });
    const file = join(dir, 'window.slabs');
    writeSlabFile(file, parent.kept());
    return file;
  }

  it('gives an adopting cache every row of every file without decoding', async () => {
    const a = bars(300);
    const b = bars(70, Date.UTC(2024, 0, 3, 15));
    const pathA = await writeStreamFile(dir, BARS, DATE, a, { rowGroupSize: 100 });
    const pathB = await writeStreamFile(dir, BARS, '2024-01-03', b);
    const file = await handOver([pathA, pathB]);

    const worker = new SlabCache();
    expect(worker.adopt(readSlabFile(file))).toBe(2);
    const decodes = { count: 0 };
    const readA = await readThrough(worker, pathA, decodes);
    const readB = await readThrough(worker, pathB, decodes);
    expect(decodes.count).toBe(0);
    expect(readA.flatMap((s) => [...s.batch.timestamp])).toEqual(a.timestamp);
    expect(column(readA, 0)).toEqual(a.open);
    expect(column(readA, 3)).toEqual(a.close);
    expect(column(readA, 4)).toEqual(a.volume);
    expect(column(readB, 3)).toEqual(b.close);
    // Slabs as the reader cut them: 3 row groups of 100 rows, 2 slabs each.
    expect(readA.map((s) => s.firstRow)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(readA.every((s) => s.vouched === false)).toBe(true);
    expect(worker.bytes).toBe((300 + 70) * 6 * 8);
  });

  it('leaves a file changed since the hand-over to be decoded afresh', async () => {
    const path = await writeStreamFile(dir, BARS, DATE, bars(300));
    const file = await handOver([path]);
    const changed = bars(300, Date.UTC(2024, 0, 2, 15));
    await writeStreamFile(dir, BARS, DATE, changed);
    utimesSync(path, new Date(), new Date(Date.now() + 5000));

    const worker = new SlabCache();
    expect(worker.adopt(readSlabFile(file))).toBe(0);
    const decodes = { count: 0 };
    const read = await readThrough(worker, path, decodes);
    expect(decodes.count).toBe(1);
    expect(read.flatMap((s) => [...s.batch.timestamp])).toEqual(changed.timestamp);
  });

  it('still puts adopted rows through the reader’s checks', async () => {
    const data = withCell(bars(200), 'close', 10, NaN);
    const path = await writeStreamFile(dir, BARS, DATE, data, { rowGroupSize: 50 });
    const parent = new SlabCache();
    const skipping = new ParquetStreamSource(dir, { skipInvalid: true, slabCache: parent });
    await drain(await skipping.open(BARS, {}), 30);
    const file = join(dir, 'window.slabs');
    writeSlabFile(file, parent.kept());

    const worker = new SlabCache();
    expect(worker.adopt(readSlabFile(file))).toBe(1);
    const strict = new ParquetStreamSource(dir, { slabCache: worker });
    const refused = await strict
      .open(BARS, {})
      .then((cursor) => drain(cursor, 30))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain(path);
    expect((refused as Error).message).toContain('row 11');
  });

  it('reads a missing, cut short or foreign file as nothing', async () => {
    const path = await writeStreamFile(dir, BARS, DATE, bars(300));
    const file = await handOver([path]);
    const whole = readFileSync(file);
    expect(readSlabFile(join(dir, 'none.slabs'))).toEqual([]);

    truncateSync(file, whole.length - 8);
    expect(readSlabFile(file)).toEqual([]);

    writeFileSync(file, whole.subarray(0, 6));
    expect(readSlabFile(file)).toEqual([]);

    const foreign = Buffer.from(whole);
    foreign.write('PAR1', 0, 'latin1');
    writeFileSync(file, foreign);
    expect(readSlabFile(file)).toEqual([]);

    const badHeader = Buffer.from(whole);
    badHeader[8] = 0x7b + 1; // the header's opening brace
    writeFileSync(file, badHeader);
    expect(readSlabFile(file)).toEqual([]);
  });
});
