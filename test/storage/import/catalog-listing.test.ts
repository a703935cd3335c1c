import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calendarFor } from '../../../src/shared/market/calendars';
import { DataCatalog } from '../../../src/main/storage/catalog/data-catalog';
import type { SessionOf } from '../../../src/main/storage/catalog/session-window';
import { commitImport } from '../../../src/main/storage/import/import-commit';
import { streamFilePath } from '../../../src/main/storage/parquet/parquet-layout';
import { writeStreamParquet } from '../../../src/main/storage/parquet/parquet-writer';
import type { CatalogEntry } from '../../../src/shared/import-contract';
import { exchangeTimeToUtc } from '../../../src/shared/time';
import { makeDataDir, removeDataDir } from '../fixtures';
import { barTimes, chunksOf, iterate } from './commit-helpers';

let dir: string;
beforeEach(async () => {
  dir = await makeDataDir();
});
afterEach(async () => removeDataDir(dir));

const xnys = calendarFor('XNYS');
const sessionOf: SessionOf = (_symbol, date) => xnys.sessionOn(date);

/** A regular day of 1s bars with `gap` seconds missing after 10:00, plus 10 pre-market bars. */
function dayOfBars(date: string, gap: number): number[] {
  const all = barTimes(date, 9, 30, 23_400);
  const cut = exchangeTimeToUtc(date, 10, 0);
  return [...barTimes(date, 8, 0, 10), ...all.filter((t) => t < cut || t >= cut + gap * 1000)];
}

function without(entries: CatalogEntry[], store: 'parquet' | 'sqlite') {
  return entries.filter((e) => e.store === store).map(({ store: _, ...rest }) => rest);
}

describe('the data catalog', () => {
  it('lists rows, first/last and bar quality per trading day, the same from both stores', async () => {
    const times = [...dayOfBars('2024-03-04', 234), ...dayOfBars('2024-03-05', 0)];
    const chunks = [
      ...chunksOf({ symbol: 'AAPL', timestamps: times, chunkRows: 5000 }),
      // 2024-11-29 is a 13:00 early close: 210 one-minute bars expected; 105 present.
      ...chunksOf({
        symbol: 'RIVN',
        interval: '1m',
        timestamps: barTimes('2024-11-29', 9, 30, 105, 60_000),
      }),
      ...chunksOf({
        symbol: 'AAPL',
        kind: 'quotes',
        timestamps: barTimes('2024-03-04', 9, 30, 30),
      }),
      // Saturday: no session, so no quality.
      ...chunksOf({
        symbol: 'BTC-USD',
        interval: '1m',
        timestamps: barTimes('2024-03-09', 12, 0, 5, 60_000),
      }),
    ];
    await commitImport(iterate(chunks), { dataDir: dir, to: 'both' });
    const { entries, problems } = await new DataCatalog(dir, sessionOf).list();
    expect(problems).toEqual([]);
    const parquet = without(entries, 'parquet');
    expect(parquet).toEqual([
      {
        symbol: 'AAPL',
        kind: 'bars',
        interval: '1s',
        date: '2024-03-04',
        rows: 23_400 - 234 + 10,
        first: '2024-03-04T13:00:00.000Z',
        last: '2024-03-04T20:59:59.000Z',
        quality: 99,
      },
      {
        symbol: 'AAPL',
        kind: 'bars',
        interval: '1s',
        date: '2024-03-05',
        rows: 23_410,
        first: '2024-03-05T13:00:00.000Z',
        last: '2024-03-05T20:59:59.000Z',
        quality: 100,
      },
      {
        symbol: 'AAPL',
        kind: 'quotes',
        date: '2024-03-04',
        rows: 30,
        first: '2024-03-04T14:30:00.000Z',
        last: '2024-03-04T14:30:29.000Z',
        quality: null,
      },
      {
        symbol: 'BTC-USD',
        kind: 'bars',
        interval: '1m',
        date: '2024-03-09',
        rows: 5,
        first: '2024-03-09T17:00:00.000Z',
        last: '2024-03-09T17:04:00.000Z',
        quality: null,
      },
      {
        symbol: 'RIVN',
        kind: 'bars',
        interval: '1m',
        date: '2024-11-29',
        rows: 105,
        first: '2024-11-29T14:30:00.000Z',
        last: '2024-11-29T16:14:00.000Z',
        quality: 50,
      },
    ]);
    expect(without(entries, 'sqlite')).toEqual(parquet);
  });

  it('stays current after an import (cached footers are re-read when a file changes)', async () => {
    const catalog = new DataCatalog(dir, sessionOf);
    expect((await catalog.list()).entries).toEqual([]);
    await commitImport(
      iterate(chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 9, 30, 60) })),
      {
        dataDir: dir,
        to: 'parquet',
      },
    );
    expect((await catalog.list()).entries.map((e) => e.rows)).toEqual([60]);
    await commitImport(
      iterate(chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 9, 31, 60) })),
      {
        dataDir: dir,
        to: 'parquet',
      },
    );
    const [entry] = (await catalog.list()).entries;
    expect(entry).toMatchObject({ rows: 120, last: '2024-03-04T14:31:59.000Z' });
  });

  it('reads files other writers made (no minute profile) by their timestamps, once', async () => {
    const key = { symbol: 'TSLA', type: 'bars', interval: '1m' } as const;
    const ts = Float64Array.from([
      ...barTimes('2024-03-04', 9, 0, 30, 60_000), // 30 pre-market
      ...barTimes('2024-03-04', 9, 30, 39, 60_000), // 39 of 390 regular
    ]);
    writeStreamParquet(streamFilePath(dir, key, '2024-03-04'), 'bars', {
      timestamp: ts,
      values: [1, 2, 3, 4, 5].map(() => new Float64Array(ts.length).fill(10)),
    });
    const { entries } = await new DataCatalog(dir, sessionOf).list();
    expect(entries).toMatchObject([{ symbol: 'TSLA', rows: 69, quality: 10 }]);
  });

  it('reports an unreadable file and lists the rest', async () => {
    const { writeFileSync, mkdirSync } = await import('node:fs');
    const bad = streamFilePath(dir, { symbol: 'BAD', type: 'ticks' }, '2024-03-04');
    mkdirSync(bad.slice(0, bad.lastIndexOf('/')), { recursive: true });
    writeFileSync(bad, 'not parquet at all');
    await commitImport(
      iterate(chunksOf({ symbol: 'AAPL', kind: 'ticks', timestamps: [1_709_562_600_000] })),
      {
        dataDir: dir,
        to: 'parquet',
      },
    );
    const { entries, problems } = await new DataCatalog(dir, sessionOf).list();
    expect(entries.map((e) => e.symbol)).toEqual(['AAPL']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(join('symbol=BAD', 'date=2024-03-04', 'part-0.parquet'));
  });
});
