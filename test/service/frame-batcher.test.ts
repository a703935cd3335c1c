import { describe, expect, it } from 'vitest';
import type { SessionStatus, SessionUpdate } from '../../src/shared/ipc-contract';
import { SessionData } from '../../src/main/engine/session-data';
import { FrameBatcher, type FrameTimer } from '../../src/main/service/frame-batcher';
import { DerivedBars } from '../../src/main/engine/upkeep/derived-bars';
import type { DataUpkeep } from '../../src/main/engine/upkeep/data-upkeep';
import { calendarFor } from '../../src/shared/market/calendars';

/** A timer that runs only when told: frames become explicit, no wall time involved. */
function manualTimer(): FrameTimer & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let tasks: Array<{ at: number; run: () => void }> = [];
  return {
    now: () => now,
    schedule(run, ms) {
      const task = { at: now + ms, run };
      tasks.push(task);
      return () => {
        tasks = tasks.filter((t) => t !== task);
      };
    },
    advance(ms) {
      now += ms;
      const due = tasks.filter((t) => t.at <= now);
      tasks = tasks.filter((t) => t.at > now);
      for (const t of due) t.run();
    },
    pending: () => tasks.length,
  };
}

const STATUS: SessionStatus = {
  state: 'running',
  clock: 0,
  speed: 0,
  progress: 0,
  events: 0,
  error: null,
};

function setup(options: { maxQuotesPerFrame?: number; before?: number[] } = {}) {
  const sessionData = new SessionData();
  const data = sessionData.setBaseInterval('X', '1s');
  for (const t of options.before ?? []) data.bars_base.append(t, [1, 2, 0.5, 1.5, 10]);
  const timer = manualTimer();
  const updates: SessionUpdate[] = [];
  let statsBuilt = 0;
  const batcher = new FrameBatcher(
    {
      sessionData,
      upkeep: null,
      symbols: [
        { symbol: 'X', baseInterval: '1s', derivedIntervals: [], hasQuotes: true, hasTicks: false },
      ],
      status: () => STATUS,
      stats: () => {
        statsBuilt++;
        return { stats: [], queues: [], queueText: [] };
      },
    },
    (u) => updates.push(u),
    { frameMs: 16, statsMs: 250, timer, maxQuotesPerFrame: options.maxQuotesPerFrame },
  );
  // As the app does: it fetched the series (getBars) and follows it from the end of that.
  batcher.follow('X', '1s', options.before?.at(-1) ?? -Infinity);
  const bar = (t: number): void => data.bars_base.append(t, [1, 2, 0.5, 1.5, 10]);
  const quote = (t: number): void => data.quotes.append(t, [1, 1.1, 5, 6]);
  return { data, timer, updates, batcher, bar, quote, stats: () => statsBuilt };
}

/** A symbol of 1s bars with a 1m derived interval, which the batcher asks the upkeep for. */
function withDerived(symbol: string) {
  const sessionData = new SessionData();
  const data = sessionData.setBaseInterval(symbol, '1s');
  const derived = new DerivedBars('1m', calendarFor('24x7'));
  const upkeep = { derivedOf: () => derived } as unknown as DataUpkeep;
  const timer = manualTimer();
  const updates: SessionUpdate[] = [];
  const batcher = new FrameBatcher(
    {
      sessionData,
      upkeep,
      symbols: [
        { symbol, baseInterval: '1s', derivedIntervals: ['1m'], hasQuotes: false, hasTicks: false },
      ],
      status: () => STATUS,
      stats: () => ({ stats: [], queues: [], queueText: [] }),
    },
    (u) => updates.push(u),
    { frameMs: 16, statsMs: 250, timer },
  );
  return { data, derived, timer, updates, batcher };
}

describe('FrameBatcher', () => {
  it('names the base series as revised when bars were released before they were sent', () => {
    const { data, timer, updates, batcher, bar } = setup();
    bar(0);
    batcher.markDirty();
    timer.advance(16);
    expect(updates[0]!.bars.X?.['1s']?.time).toEqual([0]);
    // Between two frames: more bars arrive and a bounded session releases some unsent ones.
    for (let t = 1000; t <= 5000; t += 1000) bar(t);
    data.bars_base.dropFront(4);
    data.released.rows += 4;
    data.released.lastTime = 3000;
    batcher.markDirty();
    timer.advance(16);
    // Appending cannot show them: the chart refetches the series (getBars reads them back).
    expect(updates[1]!.revised).toEqual({ X: ['1s'] });
    expect(updates[1]!.bars.X?.['1s']).toBeUndefined();
    bar(6000);
    batcher.markDirty();
    timer.advance(16);
    expect(updates[2]!.revised).toBeUndefined();
    expect(updates[2]!.bars.X?.['1s']?.time).toEqual([6000]);
  });

  it('names a derived series as revised when its bars were released before they were sent', () => {
    const { derived, timer, updates, batcher } = withDerived('X');
    batcher.follow('X', '1m', -Infinity);
    const minute = (m: number): void => {
      derived.add(m * 60_000, 1, 2, 0.5, 1.5, 10);
      derived.advanceTo(m * 60_000 + 60_000, true);
    };
    minute(0);
    batcher.markDirty();
    timer.advance(16);
    expect(updates[0]!.bars.X?.['1m']?.time).toEqual([0]);
    for (let m = 1; m <= 3; m++) minute(m);
    derived.releaseBefore(180_000);
    batcher.markDirty();
    timer.advance(16);
    expect(updates[1]!.revised).toEqual({ X: ['1m'] });
    expect(updates[1]!.bars.X?.['1m']).toBeUndefined();
    minute(4);
    batcher.markDirty();
    timer.advance(16);
    expect(updates[2]!.revised).toBeUndefined();
    expect(updates[2]!.bars.X?.['1m']?.time).toEqual([240_000]);
    // Every held bar released unsent, none completed since: the refetch is asked for once, and
    // the frames stop (a frame that asked again would schedule the next, for ever).
    minute(5);
    derived.releaseBefore(Infinity);
    expect(derived.completed.length).toBe(0);
    batcher.markDirty();
    timer.advance(16);
    expect(updates[3]!.revised).toEqual({ X: ['1m'] });
    for (let i = 0; i < 5; i++) timer.advance(16);
    expect(updates.length).toBeLessThanOrEqual(5);
    expect(updates.slice(4).some((u) => u.revised)).toBe(false);
    const settled = updates.length;
    // Bars sent, then released: nothing to refetch.
    minute(6);
    batcher.markDirty();
    timer.advance(16);
    expect(updates[settled]!.bars.X?.['1m']?.time).toEqual([360_000]);
    derived.releaseBefore(Infinity);
    batcher.markDirty();
    timer.advance(16);
    expect(updates.slice(settled + 1).some((u) => u.revised)).toBe(false);
  });

  it('sends one update per frame however many changes, with only the new bars', () => {
    const { timer, updates, batcher, bar } = setup();
    bar(0);
    for (let i = 1; i < 500; i++) {
      bar(i * 1000);
      batcher.markDirty();
    }
    expect(updates).toHaveLength(0);
    expect(timer.pending()).toBe(1);
    timer.advance(16);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.bars.X?.['1s']?.time).toHaveLength(500);
    bar(500_000);
    bar(501_000);
    batcher.markDirty();
    timer.advance(16);
    expect(updates).toHaveLength(2);
    expect(updates[1]!.bars.X?.['1s']?.time).toEqual([500_000, 501_000]);
    // Nothing new: an update still carries the status, but no bars.
    batcher.flush(false);
    expect(updates[2]!.bars).toEqual({});
  });

  it('does not re-send history held when it starts, nor a bar refilled into the past', () => {
    const { updates, batcher, bar, data } = setup({ before: [0, 1000] });
    bar(5000);
    batcher.flush(false);
    expect(updates.at(-1)!.bars.X?.['1s']?.time).toEqual([5000]);
    // A refill inserts a bar older than what was sent: getBars has it, the stream does not.
    data.bars_base.insertOrdered(3000, [1, 1, 1, 1, 1]);
    bar(6000);
    batcher.flush(false);
    expect(updates.at(-1)!.bars.X?.['1s']?.time).toEqual([6000]);
    expect(Array.from(data.bars_base.timestamp.subarray(0, 5))).toEqual([
      0, 1000, 3000, 5000, 6000,
    ]);
    expect(updates.at(-1)!.revised).toBeUndefined();
    // Told of it, the next update names the series once, so a chart showing it refetches.
    batcher.markRevised('X', '1s', 3000);
    batcher.markRevised('X', '1s', 9000); // not sent yet: it will simply be appended
    batcher.flush(false);
    expect(updates.at(-1)!.revised).toEqual({ X: ['1s'] });
    batcher.flush(false);
    expect(updates.at(-1)!.revised).toBeUndefined();
  });

  it('pushes the bars of followed series only, from the end of what their fetch returned', () => {
    const { updates, batcher, bar } = setup({ before: [0, 1000] });
    const { data, derived, updates: sent, batcher: y } = withDerived('Y');
    for (let t = 0; t < 120_000; t += 1000) data.bars_base.append(t, [1, 2, 0.5, 1.5, 10]);
    derived.add(0, 1, 2, 0.5, 1.5, 10);
    derived.advanceTo(60_000, true);
    derived.add(60_000, 1, 2, 0.5, 1.5, 10);
    y.flush(false);
    // Nobody fetched Y's series: no bars go, but the forming 1m bar does (a chart starting the
    // series shows it).
    expect(sent.at(-1)!.bars).toEqual({});
    expect(sent.at(-1)!.forming.Y?.['1m']?.time).toBe(60_000);
    // Fetched through 60 s: the bars after it go from the next frame on, none before.
    y.follow('Y', '1s', 60_000);
    data.bars_base.append(120_000, [1, 2, 0.5, 1.5, 10]);
    y.flush(false);
    expect(sent.at(-1)!.bars.Y?.['1s']?.time).toEqual(
      Array.from({ length: 60 }, (_, i) => 61_000 + i * 1000),
    );
    expect(sent.at(-1)!.bars.Y?.['1m']).toBeUndefined();
    // And X, followed from the start in setup, goes as before.
    bar(2000);
    batcher.flush(false);
    expect(updates.at(-1)!.bars.X?.['1s']?.time).toEqual([2000]);
  });

  it('caps quotes per frame at the latest ones', () => {
    const { updates, batcher, quote } = setup({ maxQuotesPerFrame: 3 });
    for (let i = 0; i < 10; i++) quote(i);
    batcher.flush(false);
    expect(updates[0]!.quotes.X?.time).toEqual([7, 8, 9]);
    // The seven left out are announced, so the renderer refetches instead of drawing a line.
    expect(updates[0]!.quotesDropped).toEqual({ X: 7 });
    quote(10);
    batcher.flush(false);
    expect(updates[1]!.quotes.X?.time).toEqual([10]);
    expect(updates[1]!.quotesDropped).toBeUndefined();
  });

  it('sends a ticks-only symbol’s trade prints, thinned to each bucket’s extremes past the limit', () => {
    const sessionData = new SessionData();
    const ticks = sessionData.ensureSymbol('BTC').ticks;
    const updates: SessionUpdate[] = [];
    const batcher = new FrameBatcher(
      {
        sessionData,
        upkeep: null,
        symbols: [
          {
            symbol: 'BTC',
            baseInterval: null,
            derivedIntervals: [],
            hasQuotes: false,
            hasTicks: true,
          },
        ],
        status: () => STATUS,
        stats: () => ({ stats: [], queues: [], queueText: [] }),
      },
      (u) => updates.push(u),
      { timer: manualTimer(), maxTicksPerFrame: 10 },
    );
    ticks.append(1, [100, 1]);
    ticks.append(2, [101, 2]);
    batcher.flush(false);
    expect(updates[0]!.ticks).toEqual({
      BTC: { time: [1, 2], price: [100, 101], size: [1, 2], row: [0, 1] },
    });
    expect(updates[0]!.ticksThinned).toBeUndefined();
    // 1,000 prints in a frame: a spike and a dip inside them must survive the thinning.
    for (let i = 0; i < 1000; i++) {
      const price = i === 333 ? 150 : i === 777 ? 50 : 100 + (i % 7) / 10;
      ticks.append(10 + i, [price, 1]);
    }
    batcher.flush(false);
    const sent = updates[1]!.ticks!.BTC!;
    expect(sent.time.length).toBeLessThanOrEqual(11);
    expect(sent.price).toContain(150);
    expect(sent.price).toContain(50);
    expect(sent.time.at(-1)).toBe(1009);
    expect(updates[1]!.ticksThinned).toEqual({ BTC: 1000 - sent.time.length });
    batcher.flush(false);
    expect(updates[2]!.ticks).toBeUndefined();
  });

  it('sends stats at most every statsMs, and the last change always', () => {
    const { timer, updates, batcher, bar, stats } = setup();
    batcher.markDirty();
    timer.advance(16);
    expect(updates[0]!.stats).toBeDefined();
    for (let frame = 1; frame <= 10; frame++) {
      bar(frame * 1000);
      batcher.markDirty();
      timer.advance(16);
    }
    // 160 ms of frames: no stats inside the 250 ms window ...
    expect(updates.slice(1).filter((u) => u.stats)).toHaveLength(0);
    expect(stats()).toBe(1);
    // A waiting trailing stats update never holds back the next frame's bars.
    bar(20_000);
    batcher.markDirty();
    const count = updates.length;
    timer.advance(16);
    expect(updates).toHaveLength(count + 1);
    expect(updates.at(-1)!.bars.X?.['1s']?.time).toEqual([20_000]);
    // ... and the trailing update brings the stats once the window is over.
    timer.advance(250);
    expect(updates.at(-1)!.stats).toBeDefined();
    expect(stats()).toBe(2);
    batcher.flush(true);
    expect(stats()).toBe(3);
  });
});
