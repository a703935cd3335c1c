/**
 * Live mode's merge on a watermark: a silent stream does not hold the others back for longer
 * than the allowed lateness, and what it sends after the merge has passed its place is
 * emitted anyway and counted as late. Wall time is a manual clock the test moves.
 */
import { describe, expect, it } from 'vitest';
import { LiveCursor } from '../../src/main/feed/live-cursor';
import { at, setup } from './helpers';
import { ManualWallClock, settle } from './manual-wall-clock';

const bar = (cursor: LiveCursor, start: number) => cursor.push(start, 1, 2, 0.5, 1.5, 10);
const quote = (cursor: LiveCursor, time: number) => cursor.push(time, 100, 100.01, 1, 2);

function liveSetup(allowedLatenessMs: number, wallAt: number) {
  const wall = new ManualWallClock(wallAt);
  const s = setup({ mode: 'live', wall, allowedLatenessMs });
  const bars = new LiveCursor({ symbol: 'BTCUSDT', type: 'bars', interval: '1s' });
  const quotes = new LiveCursor({ symbol: 'BTCUSDT', type: 'quotes' });
  const ticks = new LiveCursor({ symbol: 'ETHUSDT', type: 'ticks' });
  s.coordinator.register(bars);
  s.coordinator.register(quotes);
  s.coordinator.register(ticks);
  return { ...s, wall, bars, quotes, ticks };
}

describe('live merge: the watermark and late items', () => {
  it('emits a talking stream once wall time passes its items by the allowed lateness', async () => {
    const t0 = at(9, 30);
    const { coordinator, events, wall, bars } = liveSetup(2000, t0);
    const done = coordinator.start();
    for (let i = 0; i < 5; i++) bar(bars, t0 + i * 1000); // available t0+1s .. t0+5s
    await settle();
    expect(events).toEqual([]); // the watermark (t0 - 2s) is before every bar

    await wall.advance(3000); // watermark t0+1s: the first bar only
    expect(events.map((e) => e.available)).toEqual([t0 + 1000]);
    await wall.advance(10_000); // watermark past every bar
    expect(events.map((e) => e.timestamp)).toEqual([0, 1, 2, 3, 4].map((i) => t0 + i * 1000));
    expect(coordinator.late).toBe(0);
    await coordinator.stop();
    expect(await done).toBe('stopped');
  });

  it('counts an item that arrives after its place was passed as late, per symbol, and keeps it', async () => {
    const t0 = at(9, 30);
    const { coordinator, events, wall, bars, quotes, ticks, sessionData } = liveSetup(
      1000,
      t0 + 60_000,
    );
    const done = coordinator.start();
    for (let i = 0; i < 10; i++) bar(bars, t0 + i * 1000);
    await settle();
    expect(events).toHaveLength(10);
    // A quote from before the newest bar emitted: its place is gone; it still goes out.
    quote(quotes, t0 + 4500);
    ticks.push(t0 + 2000, 3000, 0.1);
    await settle();
    expect(events.slice(10).map((e) => [e.type, e.timestamp])).toEqual([
      ['ticks', t0 + 2000],
      ['quotes', t0 + 4500],
    ]);
    expect(coordinator.late).toBe(2);
    expect(coordinator.lateBySymbol()).toEqual({ BTCUSDT: 1, ETHUSDT: 1 });
    expect(coordinator.getQueueStats().map((s) => [s.type, s.late])).toEqual([
      ['bars', 0],
      ['quotes', 1],
      ['ticks', 1],
    ]);
    expect(sessionData.getSymbolData('BTCUSDT')!.quotes.length).toBe(1);
    expect(sessionData.getSymbolData('ETHUSDT')!.ticks.length).toBe(1);

    // Items newer than everything emitted are in time: not late.
    quote(quotes, t0 + 10_500);
    bar(bars, t0 + 10_000);
    await wall.advance(1000);
    expect(events.slice(12).map((e) => [e.type, e.available])).toEqual([
      ['quotes', t0 + 10_500],
      ['bars', t0 + 11_000],
    ]);
    expect(coordinator.late).toBe(2);
    await coordinator.stop();
    expect(await done).toBe('stopped');
  });

  it('with every stream talking the merge is exact and waits for no watermark', async () => {
    const t0 = at(9, 30);
    const { coordinator, events, bars, quotes, ticks } = liveSetup(5000, t0);
    const done = coordinator.start();
    quote(quotes, t0 + 1500);
    ticks.push(t0 + 500, 3000, 0.1);
    bar(bars, t0); // available t0+1s
    bar(bars, t0 + 1000);
    bars.end();
    quotes.end();
    ticks.end();
    expect(await done).toBe('completed');
    expect(events.map((e) => [e.type, e.available])).toEqual([
      ['ticks', t0 + 500],
      ['bars', t0 + 1000],
      ['quotes', t0 + 1500],
      ['bars', t0 + 2000],
    ]);
    expect(coordinator.late).toBe(0);
  });

  it('stop() ends a merge that is waiting on the watermark', async () => {
    const t0 = at(9, 30);
    const { coordinator, events, bars } = liveSetup(2000, t0);
    const done = coordinator.start();
    bar(bars, t0);
    await settle();
    await coordinator.stop();
    expect(await done).toBe('stopped');
    expect(events).toEqual([]);
  });
});
