/**
 * A parquet file to import, written the way a vendor export would arrive: outside the data
 * directory, named `<SYMBOL>_<interval>_<date>.parquet`, one regular session of synthetic bars.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BaseInterval } from '../../src/shared/interval';
import { writeStreamParquet } from '../../src/main/storage/parquet/parquet-writer';
import { barsFromPath, simulateDay } from '../../src/main/storage/demo-data';

export interface ParquetFixture {
  path: string;
  name: string;
  bytes: Buffer;
  rows: number;
}

export function writeBarsParquet(
  symbol: string,
  date: string,
  interval: BaseInterval = '1m',
): ParquetFixture {
  const name = `${symbol}_${interval}_${date}.parquet`;
  const path = join(mkdtempSync(join(tmpdir(), 'tapedeck-import-')), name);
  const day = simulateDay({ symbol, date, startPrice: 42 });
  const result = writeStreamParquet(path, 'bars', barsFromPath(day, interval));
  return { path, name, bytes: readFileSync(path), rows: result.rows };
}
