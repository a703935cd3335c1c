/**
 * The store as a lake engine sees it: DuckDB reads each stream type's dataset with
 * hive_partitioning, gets symbol / interval / date columns from the paths (symbols such as
 * BRK.B and BTC-USDT verbatim), a WHERE on them returns exactly the rows Tapedeck's own reader
 * streams, and files outside the WHERE are pruned: never opened.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitImport } from '../../src/main/storage/import/import-commit';
import { ParquetStreamSource } from '../../src/main/storage/parquet/parquet-source';
import { streamFilePath } from '../../src/main/storage/parquet/parquet-layout';
import { STREAM_FIELDS } from '../../src/shared/stream-types';
import type { StreamKey } from '../../src/shared/stream-cursor';
import { drain } from './fixtures';
import { barTimes, chunksOf, iterate } from './import/commit-helpers';
import { duckColumns, firstDifference, sql } from './import/real-helpers';
import { DemoStores } from './legacy-store';

let stores: DemoStores;
let data: string;

beforeAll(async () => {
  stores = new DemoStores();
  data = stores.partitionedCopy();
  // Symbols with the separators real venues use, through the real importer.
  const chunks = [
    ...chunksOf({
      symbol: 'BRK.B',
      interval: '1m',
      timestamps: barTimes('2024-03-04', 9, 30, 390, 60_000),
    }),
    ...chunksOf({
      symbol: 'BRK.B',
      interval: '1m',
      timestamps: barTimes('2024-03-05', 9, 30, 200, 60_000),
    }),
    ...chunksOf({
      symbol: 'BTC-USDT',
      kind: 'quotes',
      timestamps: barTimes('2024-03-05', 10, 0, 500, 250),
    }),
  ];
  await commitImport(iterate(chunks), { dataDir: data, to: 'parquet' });
}, 60_000);
afterAll(() => stores.remove());

function dataset(type: string): string {
  return sql(path.join(data, 'parquet', type, '**', '*.parquet'));
}

/** Tapedeck's reader: the stream's rows on one date, column-major (timestamp first). */
async function ours(key: StreamKey, date: string): Promise<number[][]> {
  const source = new ParquetStreamSource(data);
  const rows = await drain(await source.open(key, { start_date: date, end_date: date }));
  return [rows.timestamp, ...rows.values];
}

describe('the store read by DuckDB with hive_partitioning', { timeout: 60_000 }, () => {
  const bars: [string, '1s' | '1m', string][] = [
    ['AAPL', '1s', '2024-03-04'],
    ['TSLA', '1s', '2024-03-05'],
    ['RIVN', '1m', '2024-03-04'],
    ['BRK.B', '1m', '2024-03-05'],
  ];
  for (const [symbol, interval, date] of bars) {
    it(`WHERE symbol = ${symbol}, interval = ${interval}, date = ${date} gives Tapedeck's rows`, async () => {
      const fields = STREAM_FIELDS.bars;
      const theirs = await duckColumns(
        `SELECT epoch_ms(timestamp), ${fields.join(', ')}
         FROM read_parquet(${dataset('bars')}, hive_partitioning = true)
         WHERE symbol = ${sql(symbol)} AND interval = ${sql(interval)} AND date = DATE ${sql(date)}
         ORDER BY timestamp`,
      );
      const mine = await ours({ symbol, type: 'bars', interval }, date);
      expect(theirs[0]!.length).toBeGreaterThan(0);
      expect(firstDifference(mine, theirs, ['timestamp', ...fields])).toBeNull();
    });
  }

  it('quotes by symbol and date, BTC-USDT included, give Tapedeck rows', async () => {
    const fields = STREAM_FIELDS.quotes;
    for (const [symbol, date] of [
      ['AAPL', '2024-03-05'],
      ['BTC-USDT', '2024-03-05'],
    ] as const) {
      // Quotes may share a timestamp: the stored order breaks ties, as Tapedeck streams them.
      const theirs = await duckColumns(
        `SELECT epoch_ms(timestamp), ${fields.join(', ')}
         FROM read_parquet(${dataset('quotes')}, hive_partitioning = true, file_row_number = true)
         WHERE symbol = ${sql(symbol)} AND date = ${sql(date)}
         ORDER BY timestamp, file_row_number`,
      );
      const mine = await ours({ symbol, type: 'quotes' }, date);
      expect(theirs[0]!.length).toBeGreaterThan(0);
      expect(firstDifference(mine, theirs, ['timestamp', ...fields])).toBeNull();
    }
  });

  it('partition columns come out typed, and symbols verbatim', async () => {
    const rows = await duckRows(
      `SELECT DISTINCT symbol, interval, CAST(date AS VARCHAR), typeof(symbol), typeof(date)
       FROM read_parquet(${dataset('bars')}, hive_partitioning = true) ORDER BY ALL`,
    );
    expect(rows).toEqual([
      ['AAPL', '1s', '2024-03-04', 'VARCHAR', 'DATE'],
      ['AAPL', '1s', '2024-03-05', 'VARCHAR', 'DATE'],
      ['BRK.B', '1m', '2024-03-04', 'VARCHAR', 'DATE'],
      ['BRK.B', '1m', '2024-03-05', 'VARCHAR', 'DATE'],
      ['RIVN', '1m', '2024-03-04', 'VARCHAR', 'DATE'],
      ['RIVN', '1m', '2024-03-05', 'VARCHAR', 'DATE'],
      ['TSLA', '1s', '2024-03-04', 'VARCHAR', 'DATE'],
      ['TSLA', '1s', '2024-03-05', 'VARCHAR', 'DATE'],
    ]);
  });

  it('prunes: a WHERE on symbol, interval or date never opens the other partitions', async () => {
    // Not parquet at all: any query that opens it fails.
    const poison = streamFilePath(
      data,
      { symbol: 'ZZZ', type: 'bars', interval: '1m' },
      '2024-03-06',
    );
    fs.mkdirSync(path.dirname(poison), { recursive: true });
    fs.writeFileSync(poison, 'not a parquet file');
    try {
      const from = `FROM read_parquet(${dataset('bars')}, hive_partitioning = true)`;
      await expect(duckRows(`SELECT count(*) ${from}`)).rejects.toThrow(/ZZZ/);
      const counts = await Promise.all(
        [
          `symbol = 'AAPL'`,
          `interval = '1s'`,
          `date = DATE '2024-03-04'`,
          `symbol IN ('RIVN', 'BRK.B') AND date <= DATE '2024-03-05'`,
        ].map(async (where) =>
          Number((await duckRows(`SELECT count(*) ${from} WHERE ${where}`))[0]![0]),
        ),
      );
      expect(counts[0]).toBe(23_280 + 23_400);
      expect(counts[1]).toBe(23_280 + 23_400 + 23_400 + 23_088);
      expect(counts[3]).toBe(387 + 390 + 390 + 200);
      expect(counts[2]).toBeGreaterThan(0);
    } finally {
      fs.rmSync(path.join(data, 'parquet', 'bars', 'interval=1m', 'symbol=ZZZ'), {
        recursive: true,
      });
    }
  });
});

async function duckRows(query: string): Promise<unknown[][]> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    return (await db.runAndReadAll(query))
      .getRows()
      .map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : String(v))));
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}
