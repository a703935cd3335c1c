import { describe, expect, it } from 'vitest';
import { exchangeTimeToUtc } from '../../src/shared/time';
import { FakeWallClock } from '../../src/main/engine/wall-clock';
import type { Gap } from '../../src/main/engine/upkeep/gap-tracker';
import { FakeFillSource, barsAt, withUpkeep } from './upkeep-helpers';

const DAY = '2024-01-02';
const t = (h: number, m: number, s = 0, day = DAY) => exchangeTimeToUtc(day, h, m) + s * 1000;
const seconds = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => from + i * 1000);
const minutes = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => from + i * 60_000);

describe('derived bars (docs/design.md §2)', () => {
  it('seed plan §6.2 scenario 4: 300 one-second bars give 5 one-minute bars and 1 five-minute bar', async () => {
    const { coordinator, upkeep, sessionData } = withUpkeep();
    coordinator.register(barsAt('AAPL', '1s', seconds(t(9, 30), 300)));
    await coordinator.start();
    const oneMinute = upkeep.derivedOf('AAPL', '1m')!;
    const fiveMinute = upkeep.derivedOf('AAPL', '5m')!;
    expect(oneMinute.completed.length).toBe(5);
    expect(fiveMinute.completed.length).toBe(1);
    expect(sessionData.getSymbolData('AAPL')!.bars_derived.get('1m')).toBe(oneMinute.completed);
    const first = oneMinute.bar(0);
    const base = sessionData.getSymbolData('AAPL')!;
    expect(first.start).toBe(t(9, 30));
    expect(first.base_bars).toBe(60);
    expect(first.open).toBe(base.bar(0).open);
    expect(first.close).toBe(base.bar(59).close);
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    for (let i = 0; i < 60; i++) {
      high = Math.max(high, base.bar(i).high);
      low = Math.min(low, base.bar(i).low);
      volume += base.bar(i).volume;
    }
    expect(first).toMatchObject({ high, low, volume });
    expect(fiveMinute.bar(0)).toMatchObject({
      start: t(9, 30),
      base_bars: 300,
      volume: expect.any(Number),
    });
  });

  it('buckets are time buckets: a missing bar makes a partial bar, never a shifted one', async () => {
    const { coordinator, upkeep } = withUpkeep();
    // 09:30:00-09:32:59 with 09:30:30 missing.
    const times = seconds(t(9, 30), 180).filter((x) => x !== t(9, 30, 30));
    coordinator.register(barsAt('AAPL', '1s', times));
    await coordinator.start();
    const m = upkeep.derivedOf('AAPL', '1m')!;
    expect([0, 1, 2].map((i) => m.bar(i).start)).toEqual([t(9, 30), t(9, 31), t(9, 32)]);
    expect([0, 1, 2].map((i) => m.bar(i).base_bars)).toEqual([59, 60, 60]);
  });

  it('a bucket with no base bar gives no bar; a 1m symbol derives 5m and 15m but not 1m', async () => {
    const { coordinator, upkeep } = withUpkeep();
    const times = [...minutes(t(9, 30), 5), ...minutes(t(9, 45), 20)]; // 09:35-09:44 empty
    coordinator.register(barsAt('RIVN', '1m', times));
    await coordinator.start();
    expect(upkeep.derivedOf('RIVN', '1m')).toBeUndefined();
    const five = upkeep.derivedOf('RIVN', '5m')!;
    expect(Array.from(five.completed.timestamp.subarray(0, five.completed.length))).toEqual([
      t(9, 30),
      t(9, 45),
      t(9, 50),
      t(9, 55),
      t(10, 0),
    ]);
    const fifteen = upkeep.derivedOf('RIVN', '15m')!;
    expect(fifteen.bar(0)).toMatchObject({ start: t(9, 30), base_bars: 5 });
    expect(fifteen.bar(1)).toMatchObject({ start: t(9, 45), base_bars: 15 });
  });

  it('the bucket running past an early close is cut at 13:00, and the forming bar is kept apart', async () => {
    const day = '2024-11-29';
    const { coordinator, upkeep, system } = withUpkeep({ derivedIntervals: ['15m'] });
    coordinator.register(barsAt('AAPL', '1m', minutes(exchangeTimeToUtc(day, 12, 30), 30)));
    system.setState('paused');
    const done = coordinator.start();
    await coordinator.runUntil(exchangeTimeToUtc(day, 12, 50));
    const d = upkeep.derivedOf('AAPL', '15m')!;
    expect(d.completed.length).toBe(1);
    expect(d.forming).toMatchObject({ start: exchangeTimeToUtc(day, 12, 45), base_bars: 5 });
    coordinator.resume();
    await done;
    expect(d.completed.length).toBe(2);
    expect(d.bar(1)).toMatchObject({
      start: exchangeTimeToUtc(day, 12, 45),
      end: exchangeTimeToUtc(day, 13, 0),
      base_bars: 15,
    });
    expect(d.forming).toBeNull();
  });
});

describe('gaps, refill and quality (docs/design.md §3)', () => {
  it('detects gaps as ranges, refills them from the fill source, and recomputes only the touched buckets', async () => {
    const all = seconds(t(9, 30), 600);
    const hole = (x: number) => (x >= t(9, 31, 10) && x < t(9, 31, 20)) || x === t(9, 33, 0);
    const source = new FakeFillSource(all);
    const { coordinator, upkeep, sessionData } = withUpkeep({ fillSource: source });
    const revised: number[] = [];
    upkeep.onDerivedBar((_s, interval, bar, isRevision) => {
      if (isRevision && interval === '1m') revised.push(bar.start);
    });
    coordinator.register(
      barsAt(
        'AAPL',
        '1s',
        all.filter((x) => !hole(x)),
      ),
    );
    await coordinator.start();
    const gaps = upkeep
      .gapsOf('AAPL')
      .map((g) => [g.start, g.end, g.expected, g.filled, g.outcome]);
    expect(gaps).toEqual([
      [t(9, 31, 10), t(9, 31, 20), 10, 10, 'filled'],
      [t(9, 33, 0), t(9, 33, 1), 1, 1, 'filled'],
    ]);
    const base = sessionData.getSymbolData('AAPL')!.bars_base;
    expect(base.length).toBe(600);
    expect(Array.from(base.timestamp.subarray(0, 600))).toEqual(all);
    expect(upkeep.trackerOf('AAPL')!.quality).toBe(100);
    // 09:31 had completed when its refill came: revised once. The 09:33:00 refill came while
    // its minute was still forming: that bucket completes once, whole, and is not a revision.
    expect(revised).toEqual([t(9, 31)]);
    const oneMinute = upkeep.derivedOf('AAPL', '1m')!;
    expect(
      Array.from(oneMinute.completed.timestamp.subarray(0, oneMinute.completed.length)),
    ).toEqual(minutes(t(9, 30), 10));
    expect(oneMinute.bar(1).base_bars).toBe(60);
    expect(oneMinute.bar(3).base_bars).toBe(60);
  });

  it('retries with exponential backoff on backtest time and succeeds after injected failures', async () => {
    const all = seconds(t(9, 30), 1200);
    const source = new FakeFillSource(all, 2);
    const { coordinator, upkeep } = withUpkeep({ fillSource: source, maxRetries: 5 });
    const reports: Gap[] = [];
    upkeep.onGap((g) => reports.push({ ...g }));
    coordinator.register(
      barsAt(
        'AAPL',
        '1s',
        all.filter((x) => x !== t(9, 30, 30)),
      ),
    );
    await coordinator.start();
    const gap = upkeep.gapsOf('AAPL')[0]!;
    expect(gap).toMatchObject({
      outcome: 'filled',
      attempts: 3,
      filled: 1,
      lastError: 'database is locked',
    });
    expect(source.calls).toBe(3);
    expect(reports.at(-1)).toMatchObject({ outcome: 'filled' });
  });

  it('a gap no source can fill ends as missing after max_retries, and counts against quality', async () => {
    const all = seconds(t(9, 30), 300);
    const source = new FakeFillSource([], Infinity);
    const { coordinator, upkeep, sessionData } = withUpkeep({ fillSource: source, maxRetries: 3 });
    coordinator.register(
      barsAt(
        'AAPL',
        '1s',
        all.filter((x) => x < t(9, 31) || x >= t(9, 31, 30)),
      ),
    );
    await coordinator.start();
    const gap = upkeep.gapsOf('AAPL')[0]!;
    expect(gap).toMatchObject({
      start: t(9, 31),
      end: t(9, 31, 30),
      outcome: 'missing',
      attempts: 4,
      filled: 0,
    });
    expect(source.calls).toBe(4);
    expect(upkeep.trackerOf('AAPL')!.quality).toBeCloseTo((270 / 300) * 100, 9);
    expect(sessionData.getSymbolData('AAPL')!.bar_quality).toBeCloseTo(90, 9);
    expect(upkeep.trackerOf('AAPL')!.missingBars).toBe(30);
  });

  it('fill_forward adds flat synthetic bars that never count toward quality', async () => {
    const all = seconds(t(9, 30), 120);
    const { coordinator, upkeep, sessionData } = withUpkeep({ fillForward: true, maxRetries: 0 });
    coordinator.register(
      barsAt(
        'AAPL',
        '1s',
        all.filter((x) => x !== t(9, 30, 5)),
      ),
    );
    await coordinator.start();
    const data = sessionData.getSymbolData('AAPL')!;
    expect(data.bars_base.length).toBe(120);
    const i = data.bars_base.lowerBound(t(9, 30, 5));
    expect(data.isSynthetic(i)).toBe(true);
    const prev = data.bar(i - 1).close;
    expect(data.bar(i)).toMatchObject({
      open: prev,
      high: prev,
      low: prev,
      close: prev,
      volume: 0,
    });
    expect(upkeep.trackerOf('AAPL')!.quality).toBeCloseTo((119 / 120) * 100, 9);
  });

  it('holidays expect nothing and a 1m symbol expects one bar a minute', async () => {
    // 2024-03-29 is Good Friday: a bar stream spanning Thursday and Monday expects only those days.
    const thu = minutes(exchangeTimeToUtc('2024-03-28', 9, 30), 390);
    const mon = minutes(exchangeTimeToUtc('2024-04-01', 9, 30), 390);
    const { coordinator, upkeep } = withUpkeep({ derivedIntervals: [] });
    coordinator.register(barsAt('RIVN', '1m', [...thu, ...mon]));
    await coordinator.start();
    const tracker = upkeep.trackerOf('RIVN')!;
    expect(tracker.expected).toBe(780);
    expect(tracker.quality).toBe(100);
    expect(upkeep.gapsOf('RIVN')).toEqual([]);
  });

  it('results do not depend on speed: cycles run on backtest time', async () => {
    const all = seconds(t(9, 30), 900);
    const run = async (speed: number) => {
      const wall = new FakeWallClock(0);
      const source = new FakeFillSource(all, 1);
      const { coordinator, upkeep } = withUpkeep({ fillSource: source }, { speed, wall });
      const cycles: number[] = [];
      upkeep.onCycle((asOf) => cycles.push(asOf));
      coordinator.register(
        barsAt(
          'AAPL',
          '1s',
          all.filter((x) => x % 7000 !== 0),
        ),
      );
      await coordinator.start();
      return { cycles, gaps: upkeep.gapsOf('AAPL').map((g) => ({ ...g })) };
    };
    const fast = await run(0);
    const slow = await run(60);
    expect(slow).toEqual(fast);
    expect(fast.cycles.slice(0, 3)).toEqual([t(9, 31, 1), t(9, 32, 1), t(9, 33, 1)]);
  });
});

describe('state awareness', () => {
  it('backtest mode: no cycle runs while paused', async () => {
    const { coordinator, upkeep, system } = withUpkeep();
    coordinator.register(barsAt('AAPL', '1s', seconds(t(9, 30), 600)));
    system.setState('paused');
    const done = coordinator.start();
    await coordinator.runUntil(t(9, 32));
    const before = upkeep.cycles;
    await new Promise((r) => setTimeout(r, 20));
    expect(upkeep.cycles).toBe(before);
    coordinator.resume();
    await done;
    expect(upkeep.cycles).toBeGreaterThan(before);
  });
});

describe('cycle timing', () => {
  it('each cycle sees exactly the items available by its time, whatever the batch size', async () => {
    for (const batchSize of [1, 7, 4096]) {
      const { coordinator, upkeep, sessionData } = withUpkeep({}, { batchSize });
      const seen: Array<[number, number]> = [];
      upkeep.onCycle((asOf) =>
        seen.push([asOf, sessionData.getSymbolData('AAPL')!.bars_base.length]),
      );
      coordinator.register(barsAt('AAPL', '1s', seconds(t(9, 30), 600)));
      await coordinator.start();
      // Cycles every 60 s from the first item (available 09:30:01); the last is the final one.
      expect(seen.slice(0, 9)).toEqual(
        Array.from({ length: 9 }, (_, i) => [t(9, 31 + i, 1), 61 + i * 60]),
      );
      expect(seen.at(-1)).toEqual([t(9, 40), 600]);
    }
  });
});

describe('buckets ending at an instant shared by several streams', () => {
  it('a batch ending between two bars available at the same time does not split the bucket', async () => {
    // AAPL's 15:59:59 1s bar and RIVN's 15:59 1m bar are both available at 16:00; with one item
    // per batch, a batch ends between them.
    const { coordinator, upkeep } = withUpkeep({ derivedIntervals: ['5m'] }, { batchSize: 1 });
    coordinator.register(barsAt('AAPL', '1s', seconds(t(15, 55), 300)));
    coordinator.register(barsAt('RIVN', '1m', minutes(t(15, 55), 5)));
    await coordinator.start();
    const rivn = upkeep.derivedOf('RIVN', '5m')!;
    expect(rivn.completed.length).toBe(1);
    expect(rivn.bar(0)).toMatchObject({ start: t(15, 55), end: t(16, 0), base_bars: 5 });
    expect(upkeep.derivedOf('AAPL', '5m')!.bar(0).base_bars).toBe(300);
  });
});
