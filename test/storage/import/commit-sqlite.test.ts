import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitImport } from '../../../src/main/storage/import/import-commit';
import type { ImportChunk } from '../../../src/main/storage/import/import-types';
import { openMarketDb } from '../../../src/main/storage/sqlite/market-db';
import { MarketDataRepository } from '../../../src/main/storage/sqlite/market-data-repository';
import { makeDataDir, removeDataDir } from '../fixtures';
import { barTimes, chunksOf, iterate } from './commit-helpers';

let dir: string;
beforeEach(async () => {
  dir = await makeDataDir();
});
afterEach(async () => removeDataDir(dir));

function count(sql: string): number {
  const db = new Database(join(dir, 'market.db'), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('commitImport into SQLite', () => {
  it('writes every chunk in one transaction: another connection sees nothing until the commit', async () => {
    await commitImport(iterate(chunksOf({ symbol: 'MSFT', timestamps: [1_700_000_000_000] })), {
      dataDir: dir,
      to: 'sqlite',
    });
    const seen: number[] = [];
    const times = barTimes('2024-03-04', 9, 30, 5000);
    async function* chunks(): AsyncGenerator<ImportChunk> {
      for (const chunk of chunksOf({ symbol: 'AAPL', timestamps: times, chunkRows: 1000 })) {
        yield chunk;
        seen.push(count(`SELECT COUNT(*) AS n FROM market_data WHERE symbol = 'AAPL'`));
      }
    }
    let beforeCommit = -1;
    await commitImport(chunks(), {
      dataDir: dir,
      to: 'sqlite',
      faults: {
        beforeSqliteCommit: () => {
          beforeCommit = count(`SELECT COUNT(*) AS n FROM market_data WHERE symbol = 'AAPL'`);
        },
      },
    });
    expect(seen).toEqual([0, 0, 0, 0, 0]);
    expect(beforeCommit).toBe(0);
    expect(count(`SELECT COUNT(*) AS n FROM market_data WHERE symbol = 'AAPL'`)).toBe(5000);
  });

  it('bars: new replace old by (symbol, interval, timestamp), counted; re-import adds nothing', async () => {
    const first = chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 9, 30, 100) });
    await commitImport(iterate(first), { dataDir: dir, to: 'sqlite' });
    const overlap = barTimes('2024-03-04', 9, 30, 160).slice(60);
    const result = await commitImport(
      iterate(chunksOf({ symbol: 'AAPL', timestamps: overlap, priceOffset: 1000 })),
      { dataDir: dir, to: 'sqlite' },
    );
    expect(result.streams[0]).toMatchObject({ rows: 100, replaced: 40 });
    const again = await commitImport(iterate(first), { dataDir: dir, to: 'sqlite' });
    expect(again.streams[0]).toMatchObject({ rows: 100, replaced: 100 });
    const db = openMarketDb(join(dir, 'market.db'), { write: true });
    const bars = new MarketDataRepository(db).getBarsBySymbol('AAPL', 0, 4e12, '1s');
    db.close();
    expect(bars).toHaveLength(160);
    expect(bars[0].open).toBeLessThan(1000);
    expect(bars[99].open).toBeLessThan(1000); // the re-import of `first` replaced them back
    expect(bars[100].open).toBeGreaterThan(1000);
  });

  it('quotes and ticks: every stored row at an imported timestamp is replaced, counted', async () => {
    const t = barTimes('2024-03-04', 9, 30, 4);
    for (const kind of ['quotes', 'ticks'] as const) {
      await commitImport(
        iterate(chunksOf({ symbol: 'AAPL', kind, timestamps: [t[0], t[0], t[1], t[2]] })),
        { dataDir: dir, to: 'sqlite' },
      );
      const result = await commitImport(
        iterate(chunksOf({ symbol: 'AAPL', kind, timestamps: [t[0], t[3]], priceOffset: 5 })),
        { dataDir: dir, to: 'sqlite' },
      );
      expect(result.streams[0]).toMatchObject({ kind, rows: 2, replaced: 2 });
      expect(count(`SELECT COUNT(*) AS n FROM ${kind} WHERE symbol = 'AAPL'`)).toBe(4);
    }
  });

  it('both: the two stores report the same counts', async () => {
    const chunks = chunksOf({ symbol: 'AAPL', timestamps: barTimes('2024-03-04', 15, 59, 120) });
    await commitImport(iterate(chunks), { dataDir: dir, to: 'both' });
    const result = await commitImport(iterate(chunks), { dataDir: dir, to: 'both' });
    expect(result.streams[0]).toMatchObject({
      rows: 120,
      replaced: 120,
      tradingDays: ['2024-03-04'],
    });
    expect(count(`SELECT COUNT(*) AS n FROM market_data`)).toBe(120);
  });
});
