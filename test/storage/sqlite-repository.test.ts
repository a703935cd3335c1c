import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MarketDataRepository } from '../../src/main/storage/sqlite/market-data-repository';
import type { MarketDb } from '../../src/main/storage/sqlite/market-db';
import { DataError } from '../../src/shared/stream-cursor';
import { bars } from './fixtures';
import { asBarColumns, makeTempDir, removeTempDir, writableDb } from './sqlite-helpers';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const MIN = 60_000;

describe('MarketDataRepository', () => {
  let dir: string;
  let store: MarketDb;
  let repo: MarketDataRepository;
  beforeEach(() => {
    dir = makeTempDir();
    ({ store, repo } = writableDb(join(dir, 'market.db')));
  });
  afterEach(() => {
    store.close();
    removeTempDir(dir);
  });

  function oneBar(ts: number, price: number) {
    return {
      timestamp: [ts],
      open: [price],
      high: [price + 1],
      low: [price - 1],
      close: [price],
      volume: [10],
    };
  }

  it('returns bars of one symbol and interval in time order, start inclusive, end exclusive', () => {
    // Written out of order, with other symbols and intervals around.
    for (const i of [3, 0, 4, 1, 2]) repo.insertBars('AAPL', '1m', oneBar(T0 + i * MIN, 100 + i));
    repo.insertBars('MSFT', '1m', oneBar(T0 + MIN, 50));
    repo.insertBars('AAPL', '1s', oneBar(T0 + MIN, 70));
    repo.insertBars('AAPL', '5m', oneBar(T0, 80));

    const got = repo.getBarsBySymbol('aapl', T0 + MIN, T0 + 4 * MIN);
    expect(got.map((b) => b.timestamp)).toEqual([T0 + MIN, T0 + 2 * MIN, T0 + 3 * MIN]);
    expect(got[0]).toEqual({
      timestamp: T0 + MIN,
      symbol: 'AAPL',
      interval: '1m',
      open: 101,
      high: 102,
      low: 100,
      close: 101,
      volume: 10,
    });
    expect(repo.getBarsBySymbol('AAPL', T0, T0 + 10 * MIN, '1s').map((b) => b.open)).toEqual([70]);
    expect(repo.getBarsBySymbol('AAPL', T0, T0 + 10 * MIN, '5m').map((b) => b.open)).toEqual([80]);
    expect(repo.getBarsBySymbol('AAPL', T0 + 10 * MIN, T0 + 20 * MIN)).toEqual([]);
  });

  it('replaces a bar written again for the same symbol, interval and start', () => {
    repo.insertBars('AAPL', '1m', oneBar(T0, 100));
    repo.insertBars('AAPL', '1m', oneBar(T0, 200));
    const got = repo.getBarsBySymbol('AAPL', T0, T0 + MIN);
    expect(got).toHaveLength(1);
    expect(got[0].open).toBe(200);
  });

  it('writes a whole batch in one transaction: a failure part way writes nothing', () => {
    // A trigger that fails on the 500th row of the batch.
    store.db.exec(`CREATE TRIGGER fail_midway BEFORE INSERT ON market_data
      WHEN NEW.volume = 1499 BEGIN SELECT RAISE(ABORT, 'midway'); END`);
    expect(() => repo.insertBars('AAPL', '1m', asBarColumns(bars(1000)))).toThrow(/midway/);
    expect(repo.getBarsBySymbol('AAPL', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    store.db.exec('DROP TRIGGER fail_midway');
    expect(repo.insertBars('AAPL', '1m', asBarColumns(bars(1000)))).toBe(1000);
    expect(repo.getBarsBySymbol('AAPL', 0, Number.MAX_SAFE_INTEGER)).toHaveLength(1000);
  });

  it('refuses bad arguments before writing anything', () => {
    const columns = asBarColumns(bars(3));
    expect(() =>
      repo.insertBars('AAPL', '1m', { ...columns, timestamp: [T0, T0 + 0.5, T0 + 2] }),
    ).toThrow('timestamp 1704205800000.5 at index 1 is not whole epoch milliseconds');
    expect(() => repo.insertBars('AAPL', '1m', { ...columns, close: [1, 2] })).toThrow(
      'column close has 2 values for 3 timestamps',
    );
    expect(() => repo.insertBars('aa/pl', '1m', columns)).toThrow(DataError);
    expect(repo.getBarsBySymbol('AAPL', 0, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it('stores NaN and null as NULL, read back as NaN', () => {
    repo.insertBars('AAPL', '1m', { ...oneBar(T0, 100), open: [Number.NaN], close: [null] });
    const [bar] = repo.getBarsBySymbol('AAPL', T0, T0 + MIN);
    expect(bar.open).toBeNaN();
    expect(bar.close).toBeNaN();
    const types = store.db
      .prepare('SELECT typeof(open), typeof(close) FROM market_data')
      .raw(true)
      .get();
    expect(types).toEqual(['null', 'null']);
  });

  it('appends quotes and ticks, keeping input order among equal timestamps', () => {
    repo.insertQuotes('SPY', {
      timestamp: [T0, T0, T0],
      bid: [1, 2, 3],
      ask: [2, 3, 4],
      bid_size: [1, 1, 1],
      ask_size: [1, 1, 1],
    });
    repo.insertTicks('SPY', { timestamp: [T0, T0], price: [5, 4], size: [1, 2] });
    expect(store.db.prepare('SELECT bid FROM quotes ORDER BY seq').pluck().all()).toEqual([
      1, 2, 3,
    ]);
    expect(store.db.prepare('SELECT price FROM ticks ORDER BY seq').pluck().all()).toEqual([5, 4]);
  });
});
