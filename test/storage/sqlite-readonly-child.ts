/**
 * Run by sqlite-failures.test.ts as an unprivileged user: reads a stream from the database, then
 * tries to write to it, and prints what happened as JSON on stdout.
 *
 *   tsx sqlite-readonly-child.ts <db file> <symbol>
 */
import { MarketDataRepository } from '../../src/main/storage/sqlite/market-data-repository';
import { openMarketDb } from '../../src/main/storage/sqlite/market-db';
import { SqliteStreamSource } from '../../src/main/storage/sqlite/sqlite-source';

async function main(): Promise<void> {
  const [file, symbol] = process.argv.slice(2);
  const result: {
    rows?: number;
    readError?: string;
    preflightOk?: boolean;
    inMemoryCopy?: boolean;
    writeError?: string;
    wrote?: boolean;
  } = {};
  const source = new SqliteStreamSource(file!);
  try {
    const cursor = await source.open({ symbol: symbol!, type: 'bars', interval: '1m' }, {});
    let rows = 0;
    for (let batch = await cursor.next(1000); batch; batch = await cursor.next(1000)) {
      rows += batch.length;
    }
    result.rows = rows;
    result.inMemoryCopy = source.connect().inMemoryCopy;
    const report = await source.preflight({ symbol: symbol!, type: 'bars', interval: '1m' }, {});
    result.preflightOk = report.ok;
  } catch (error) {
    result.readError = (error as Error).message;
  } finally {
    source.close();
  }
  try {
    const store = openMarketDb(file!, { write: true, busyTimeoutMs: 100 });
    try {
      new MarketDataRepository(store).insertBars(symbol!, '1m', {
        timestamp: [Date.UTC(2030, 0, 2, 15)],
        open: [1],
        high: [1],
        low: [1],
        close: [1],
        volume: [1],
      });
      result.wrote = true;
    } finally {
      store.close();
    }
  } catch (error) {
    result.writeError = (error as Error).message;
  }
  process.stdout.write(JSON.stringify(result));
}

void main();
