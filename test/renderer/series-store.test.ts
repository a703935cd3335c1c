import { describe, expect, it } from 'vitest';
import type { BarColumns, FormingBar, SessionUpdate } from '../../src/shared/ipc-contract';
import { SeriesStore } from '../../src/renderer/src/state/series-store';

const status = {
  state: 'running' as const,
  clock: 0,
  speed: 0,
  progress: 0,
  events: 0,
  error: null,
};

function cols(times: number[]): BarColumns {
  return {
    time: times,
    open: times.map(() => 1),
    high: times.map(() => 2),
    low: times.map(() => 0.5),
    close: times.map(() => 1.5),
    volume: times.map(() => 10),
  };
}

function forming(time: number, close = 1.7): FormingBar {
  return { time, open: 1, high: 2, low: 0.5, close, volume: 5, baseBars: 2 };
}

function update(partial: Partial<SessionUpdate>): SessionUpdate {
  return { status, bars: {}, forming: {}, quotes: {}, ...partial };
}

describe('SeriesStore', () => {
  it('ignores updates for series nobody shows', () => {
    const store = new SeriesStore();
    store.apply(update({ bars: { AAPL: { '1s': cols([0]) } } }));
    expect(store.bars('AAPL', '1s')).toBeUndefined();
  });

  it('buffers updates while history loads, then joins them without duplicates', () => {
    const store = new SeriesStore();
    expect(store.beginBars('AAPL', '1s')).toBe(true);
    expect(store.beginBars('AAPL', '1s')).toBe(false);
    // Pushed while getBars was in flight: 2000 is also in the history, 3000 is not.
    store.apply(update({ bars: { AAPL: { '1s': cols([2000, 3000]) } } }));
    store.completeBars('AAPL', '1s', cols([0, 1000, 2000]));
    const s = store.bars('AAPL', '1s')!;
    expect(s.state).toBe('ready');
    expect(s.bars.length).toBe(4);
    expect(s.bars.lastTime).toBe(3000);
    store.apply(update({ bars: { AAPL: { '1s': cols([4000]) } } }));
    expect(s.bars.length).toBe(5);
  });

  it('keeps the forming bar, and drops it once a completed bar covers it', () => {
    const store = new SeriesStore();
    store.beginBars('AAPL', '5m');
    store.completeBars('AAPL', '5m', cols([0]));
    store.apply(update({ forming: { AAPL: { '5m': forming(300_000) } } }));
    const s = store.bars('AAPL', '5m')!;
    expect(s.forming?.close).toBe(1.7);
    store.apply(update({ forming: { AAPL: { '5m': forming(300_000, 1.9) } } }));
    expect(s.forming?.close).toBe(1.9);
    store.apply(
      update({ bars: { AAPL: { '5m': cols([300_000]) } }, forming: { AAPL: { '5m': null } } }),
    );
    expect(s.forming).toBeNull();
    expect(s.bars.length).toBe(2);
  });

  it('starts a series loaded later from the forming bar last heard of', () => {
    const store = new SeriesStore();
    store.clear({ AAPL: { '15m': forming(900_000) } });
    store.apply(update({ forming: { AAPL: { '5m': forming(300_000, 1.8) } } }));
    store.beginBars('AAPL', '5m');
    store.completeBars('AAPL', '5m', cols([0]));
    expect(store.bars('AAPL', '5m')!.forming?.close).toBe(1.8);
    store.beginBars('AAPL', '15m');
    store.completeBars('AAPL', '15m', cols([0]));
    expect(store.bars('AAPL', '15m')!.forming?.time).toBe(900_000);
  });

  it('ignores a load that lands after the store was cleared', () => {
    const store = new SeriesStore();
    store.beginBars('AAPL', '1s');
    store.clear();
    store.completeBars('AAPL', '1s', cols([0]));
    expect(store.bars('AAPL', '1s')).toBeUndefined();
  });

  it('drops the series an update says were revised in the past, so they load again', () => {
    const store = new SeriesStore();
    for (const [symbol, interval] of [
      ['AAPL', '1s'],
      ['AAPL', '5m'],
      ['TSLA', '1s'],
    ] as const) {
      store.beginBars(symbol, interval);
      store.completeBars(symbol, interval, cols([0]));
    }
    store.apply(update({ revised: { AAPL: ['1s', '5m'] } }));
    expect(store.bars('AAPL', '1s')).toBeUndefined();
    expect(store.bars('AAPL', '5m')).toBeUndefined();
    expect(store.bars('TSLA', '1s')).toBeDefined();
    expect(store.beginBars('AAPL', '1s')).toBe(true);
  });

  it('lets a failed load be retried', () => {
    const store = new SeriesStore();
    store.beginBars('AAPL', '1s');
    store.failBars('AAPL', '1s');
    expect(store.beginBars('AAPL', '1s')).toBe(true);
  });

  it('appends quotes after their history, skipping ones older than held', () => {
    const store = new SeriesStore();
    store.beginQuotes('AAPL');
    const q = (times: number[]) => ({
      time: times,
      bid: times.map(() => 1),
      ask: times.map(() => 1.01),
      bidSize: times.map(() => 100),
      askSize: times.map(() => 200),
    });
    store.apply(update({ quotes: { AAPL: q([1500, 2500]) } }));
    store.completeQuotes('AAPL', q([500, 2000]));
    const s = store.quotes('AAPL')!;
    expect(s.quotes.length).toBe(3);
    expect(s.quotes.last?.time).toBe(2500);
  });
});

describe('SeriesStore trade prints', () => {
  // Print i of the tape at time i, but the tape's rows 2 and 3 share a millisecond.
  const tapeTime = (row: number) => (row >= 3 ? row - 1 : row);
  const prints = (rows: number[]) => ({
    time: rows.map(tapeTime),
    price: rows.map((r) => 100 + r),
    size: rows.map(() => 1),
    row: rows,
  });

  it('joins pushes that arrive while the history loads, with no print twice', () => {
    const store = new SeriesStore();
    store.apply(update({ ticks: { ETH: prints([1]) } }));
    expect(store.trades('ETH')).toBeUndefined(); // not shown: not kept
    expect(store.beginTrades('ETH')).toBe(true);
    expect(store.beginTrades('ETH')).toBe(false);
    // Pushed while the history was in flight; its first print is also in the history, and
    // the next one has the same time as that one.
    store.apply(update({ ticks: { ETH: prints([2, 3, 4]) } }));
    store.completeTrades('ETH', prints([0, 1, 2]));
    store.apply(update({ ticks: { ETH: prints([5]) } }));
    const s = store.trades('ETH')!;
    expect(s.state).toBe('ready');
    expect(Array.from(s.prints.time.subarray(0, s.prints.length))).toEqual([0, 1, 2, 2, 3, 4]);
    expect(Array.from(s.prints.price.subarray(0, s.prints.length))).toEqual([
      100, 101, 102, 103, 104, 105,
    ]);
    expect(s.prints.last).toEqual({ time: 4, price: 105, size: 1 });
  });

  it('forgets prints on clear, so a resync loads them again', () => {
    const store = new SeriesStore();
    store.beginTrades('ETH');
    store.completeTrades('ETH', prints([1]));
    store.clear();
    expect(store.trades('ETH')).toBeUndefined();
    expect(store.beginTrades('ETH')).toBe(true);
  });
});
