/**
 * The upkeep on real-shaped data: refills at random places and random times, against a
 * from-scratch recomputation over the final base bars; gaps as ranges; a gap settled once the
 * source has answered that it has nothing; refused refill rows.
 */
import { describe, expect, it } from 'vitest';
import { exchangeTimeToUtc } from '../../src/shared/time';
import { intervalMs, isDerivableFrom, type Interval } from '../../src/shared/interval';
import type { BarFillSource, StreamBatch } from '../../src/shared/stream-cursor';
import { FLAG_SYNTHETIC, type ColumnStore } from '../../src/main/engine/column-store';
import type { DerivedBar } from '../../src/main/engine/upkeep/derived-bars';
import { foldedGaps, gapSummaryOf, largestGapsOf } from '../../src/main/engine/upkeep/gap-overview';
import type { GapInfo } from '../../src/shared/ipc-contract';
import { largestGaps, summariseGaps } from '../../src/shared/gap-summary';
import { FakeFillSource, barValues, barsAt, withUpkeep } from './upkeep-helpers';

const NORMAL = '2024-11-27';
const HALF = '2024-11-29'; // 13:00 close; 11-28 (Thanksgiving) is closed
const SESSIONS = [
  { open: exchangeTimeToUtc(NORMAL, 9, 30), close: exchangeTimeToUtc(NORMAL, 16, 0) },
  { open: exchangeTimeToUtc(HALF, 9, 30), close: exchangeTimeToUtc(HALF, 13, 0) },
];
const DERIVED: Interval[] = ['1m', '5m', '15m', '30m', '1h'];

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Every expected slot of `step` in the sessions, optionally only from `from` of each day. */
function slots(step: number, fromMinute = 0): number[] {
  const out: number[] = [];
  for (const s of SESSIONS) {
    for (let t = s.open + fromMinute * 60_000; t < s.close; t += step) out.push(t);
  }
  return out;
}

/** Holes: runs of 1-20 slots at random places, plus runs placed at bucket starts and ends. */
function holes(all: number[], step: number, random: () => number): Set<number> {
  const out = new Set<number>();
  const runs = 12 + Math.floor(random() * 12);
  for (let r = 0; r < runs; r++) {
    const length = 1 + Math.floor(random() * 20);
    let at = Math.floor(random() * all.length);
    if (r % 4 === 0) {
      // Aligned to a 15m bucket's start or end.
      const bucket = (15 * 60_000) / step;
      at = Math.floor(at / bucket) * bucket - (r % 8 === 0 ? length : 0);
    }
    for (let i = Math.max(0, at); i < Math.min(all.length, at + length); i++) out.add(all[i]!);
  }
  // Up to the early close: the slots before the half day's last one. Each session's last slot
  // stays, so the stream reaches the close and the final cycle sees every bucket end.
  const halfDay = all.filter((t) => t < SESSIONS[1]!.close);
  for (const t of halfDay.slice(-4, -1)) out.add(t);
  for (const s of SESSIONS) out.delete(all.filter((t) => t < s.close).at(-1)!);
  return out;
}

/** A fill source over fixed bars that fails at random, like a store another process locks. */
class FlakySource implements BarFillSource {
  readonly description = 'flaky';
  calls = 0;
  constructor(
    private readonly inner: FakeFillSource,
    private readonly random: () => number,
    private readonly failRate: number,
  ) {}
  async fetchBars(symbol: string, interval: string, start: number, end: number) {
    this.calls++;
    if (this.random() < this.failRate) throw new Error('database is locked');
    return this.inner.fetchBars(symbol, interval, start, end);
  }
}

/** Derived bars from scratch: buckets from each session's open, cut at its close. */
function fromScratch(base: ColumnStore, interval: Interval): DerivedBar[] {
  const span = intervalMs(interval);
  const out: DerivedBar[] = [];
  for (const s of SESSIONS) {
    for (let b = s.open; b < s.close; b += span) {
      const end = Math.min(b + span, s.close);
      let bar: DerivedBar | null = null;
      for (let i = 0; i < base.length; i++) {
        const t = base.timestamp[i]!;
        if (t < b || t >= end || (base.flags[i]! & FLAG_SYNTHETIC) !== 0) continue;
        const [o, h, l, c, v] = base.values.map((col) => col[i]!) as number[];
        if (!bar) {
          bar = { start: b, end, open: o!, high: h!, low: l!, close: c!, volume: v!, base_bars: 1 };
        } else {
          bar.high = Math.max(bar.high, h!);
          bar.low = Math.min(bar.low, l!);
          bar.close = c!;
          bar.volume += v!;
          bar.base_bars++;
        }
      }
      if (bar) out.push(bar);
    }
  }
  return out;
}

function gapInfo({ start, end, expected, filled, attempts, outcome }: GapInfo) {
  return { start, end, expected, filled, attempts, outcome };
}

describe('refills at random places and times match a from-scratch recomputation', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}: every derived bar of a 1m and a 1s symbol, over a normal and an early-close day`, async () => {
      const random = rng(seed * 7919);
      const minuteSlots = slots(60_000);
      // 1s data only for the last 40 minutes of each day: the rest is one long settled gap.
      const secondSlots = slots(1000, 0).filter((t) =>
        SESSIONS.some((s) => t >= s.close - 40 * 60_000 && t < s.close),
      );
      const minuteHoles = holes(minuteSlots, 60_000, random);
      const secondHoles = holes(secondSlots, 1000, random);
      // The source has about 70 % of the missing bars (and every bar the stream has).
      const inSource = (t: number, hole: Set<number>) => !hole.has(t) || random() < 0.7;
      const source = new Map<string, FakeFillSource>([
        ['MIN', new FakeFillSource(minuteSlots.filter((t) => inSource(t, minuteHoles)))],
        ['SEC', new FakeFillSource(secondSlots.filter((t) => inSource(t, secondHoles)))],
      ]);
      const flaky = new FlakySource(
        {
          fetchBars: (symbol: string, interval: string, s: number, e: number) =>
            source.get(symbol)!.fetchBars(symbol, interval, s, e),
        } as FakeFillSource,
        random,
        0.4,
      );
      const checkIntervalSeconds = [30, 60, 90][seed % 3]!;
      const { coordinator, upkeep, sessionData } = withUpkeep({
        fillSource: flaky,
        derivedIntervals: DERIVED,
        // Enough retries that a failing source gives in before them (0.4^13 per range).
        maxRetries: 12,
        checkIntervalSeconds,
        sessionStart: SESSIONS[0]!.open,
      });
      const revisions = new Map<string, number>();
      upkeep.onDerivedBar((symbol, interval, bar, revised) => {
        if (!revised) return;
        const key = `${symbol} ${interval} ${bar.start}`;
        revisions.set(key, (revisions.get(key) ?? 0) + 1);
      });
      // The panels' overview mid-session too, while refills fill, split, settle and join gaps:
      // the same as one built from every record, read afresh.
      let checks = 0;
      coordinator.subscribe(() => {
        for (const symbol of ['MIN', 'SEC']) {
          const tracker = upkeep.trackerOf(symbol);
          if (!tracker) continue;
          const now = Array.from({ length: tracker.size }, (_, i) => tracker.gap(tracker.idAt(i)));
          expect(gapSummaryOf(tracker)).toEqual(summariseGaps(now));
          expect(largestGapsOf(tracker)).toEqual(largestGaps(now).map(gapInfo));
          checks++;
        }
      });
      coordinator.register(
        barsAt(
          'MIN',
          '1m',
          minuteSlots.filter((t) => !minuteHoles.has(t)),
        ),
      );
      coordinator.register(
        barsAt(
          'SEC',
          '1s',
          secondSlots.filter((t) => !secondHoles.has(t)),
        ),
      );
      await coordinator.start();
      expect(flaky.calls).toBeGreaterThan(0);
      expect(checks).toBeGreaterThan(20);

      for (const [symbol, step, all, hole] of [
        ['MIN', 60_000, minuteSlots, minuteHoles],
        ['SEC', 1000, secondSlots, secondHoles],
      ] as const) {
        const base = sessionData.getSymbolData(symbol)!.bars_base;
        const final = Array.from(base.timestamp.subarray(0, base.length));
        // Every bar the source had for a hole is in, and nothing else was added.
        const want = all.filter((t) => !hole.has(t) || source.get(symbol)!.has(t));
        expect(final).toEqual(want);
        // Refilled values are the source's, untouched.
        const values = barValues(final);
        expect(Array.from(base.values[3]!.subarray(0, base.length))).toEqual(values.close);

        for (const interval of DERIVED.filter((d) =>
          isDerivableFrom(d, step === 1000 ? '1s' : '1m'),
        )) {
          const d = upkeep.derivedOf(symbol, interval)!;
          expect(d.forming).toBeNull();
          const ours = Array.from({ length: d.completed.length }, (_, i) => d.bar(i));
          expect(ours, `${symbol} ${interval}`).toEqual(fromScratch(base, interval));
        }

        // Gaps: ranges in time order, never overlapping, covering exactly the stream's holes.
        const gaps = upkeep.gapsOf(symbol);
        const covered: number[] = [];
        for (const [i, g] of gaps.entries()) {
          if (i > 0) expect(g.start).toBeGreaterThanOrEqual(gaps[i - 1]!.end);
          expect(g.expected).toBe((g.end - g.start) / step);
          expect(['filled', 'missing']).toContain(g.outcome);
          for (let t = g.start; t < g.end; t += step) covered.push(t);
          // A gap is one range: its neighbour, if touching, differs in outcome.
          const next = gaps[i + 1];
          if (next && next.start === g.end)
            expect(next.outcome, `${symbol} ${JSON.stringify([g, next])}`).not.toBe(g.outcome);
        }
        const expectedHoles = [
          ...hole,
          ...(symbol === 'SEC' ? slots(1000).filter((t) => !all.includes(t)) : []),
        ];
        expect(covered).toEqual([...new Set(expectedHoles)].sort((a, b) => a - b));
        const missing = gaps.filter((g) => g.outcome === 'missing');
        expect(upkeep.trackerOf(symbol)!.missingBars).toBe(
          missing.reduce((n, g) => n + g.expected, 0),
        );
        // The panels' overview, read from the columns, agrees with one built from the records.
        const tracker = upkeep.trackerOf(symbol)!;
        expect(gapSummaryOf(tracker)).toEqual(summariseGaps(gaps));
        for (const n of [1, 3, 5, 50]) {
          expect(largestGapsOf(tracker, n)).toEqual(largestGaps(gaps, n).map(gapInfo));
        }
        // Most of them are final by the end, and no longer read for each answer.
        expect(foldedGaps(tracker)).toBeGreaterThan(gaps.length / 2);
      }
      // Each revised bar is announced at most once per refill that touched it.
      expect([...revisions.values()].every((n) => n >= 1)).toBe(true);
    });
  }
});

describe('the reported case: a 1m refill at the start of a 15m bucket that already holds later bars', () => {
  const t = (h: number, m: number) => exchangeTimeToUtc(NORMAL, h, m);
  const minutes = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => from + i * 60_000);

  for (const [label, failures] of [
    ['the refill comes while the bucket forms', 0],
    ['the refill comes after the bucket completed', 20],
  ] as const) {
    it(`${label}: one 15m bar for [11:00, 11:15) with 15 base bars`, async () => {
      const all = minutes(t(10, 0), 120);
      const hole = (x: number) => x >= t(11, 0) && x < t(11, 5);
      const source = new FakeFillSource(all, failures);
      const { coordinator, upkeep } = withUpkeep({
        fillSource: source,
        maxRetries: 30,
        derivedIntervals: ['5m', '15m'],
      });
      const announced: Array<[number, boolean]> = [];
      upkeep.onDerivedBar((_s, interval, bar, revised) => {
        if (interval === '15m' && bar.start === t(11, 0)) announced.push([bar.base_bars, revised]);
      });
      coordinator.register(
        barsAt(
          'RIVN',
          '1m',
          all.filter((x) => !hole(x)),
        ),
      );
      await coordinator.start();
      const quarter = upkeep.derivedOf('RIVN', '15m')!;
      const starts = Array.from(quarter.completed.timestamp.subarray(0, quarter.completed.length));
      expect(starts).toEqual(Array.from({ length: 8 }, (_, i) => t(10, 0) + i * 15 * 60_000));
      expect(starts.filter((s) => s === t(11, 0))).toHaveLength(1);
      const bar = quarter.bar(starts.indexOf(t(11, 0)));
      expect(bar.base_bars).toBe(15);
      // Announced once whole; after completion it was first seen with 10 bars, then revised once.
      expect(announced).toEqual(
        failures === 0
          ? [[15, false]]
          : [
              [10, false],
              [15, true],
            ],
      );
      expect(upkeep.gapsOf('RIVN').filter((g) => g.start >= t(10, 0))).toMatchObject([
        { start: t(11, 0), end: t(11, 5), expected: 5, filled: 5, outcome: 'filled' },
      ]);
    });
  }
});

describe('gaps are ranges', () => {
  const t = (h: number, m: number, s = 0) => exchangeTimeToUtc(NORMAL, h, m) + s * 1000;
  const minutes = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => from + i * 60_000);

  it('five consecutive missing minutes found cycle by cycle are one gap of 5', async () => {
    const all = minutes(t(9, 30), 60);
    const { coordinator, upkeep } = withUpkeep({ fillSource: new FakeFillSource([]) });
    const reports: number[] = [];
    upkeep.onGap((g) => reports.push(g.expected));
    coordinator.register(
      barsAt(
        'RIVN',
        '1m',
        all.filter((x) => x < t(10, 0) || x >= t(10, 5)),
      ),
    );
    await coordinator.start();
    expect(upkeep.gapsOf('RIVN')).toMatchObject([
      {
        start: t(10, 0),
        end: t(10, 5),
        expected: 5,
        filled: 0,
        outcome: 'missing',
        lastError: 'no data in the fill source',
      },
    ]);
    // Found at 10:01 and extended by each later scan.
    expect(reports.at(-1)).toBe(5);
  });

  it('a refill that fills part of a range splits it into the filled part and what is still missing', async () => {
    const all = minutes(t(9, 30), 60);
    const hole = (x: number) => x >= t(9, 40) && x < t(9, 50);
    // The source has 09:42-09:44 and 09:47 only.
    const has = [t(9, 42), t(9, 43), t(9, 44), t(9, 47)];
    const source = new FakeFillSource(has, 12); // fails until the whole range is known
    const { coordinator, upkeep, sessionData } = withUpkeep({ fillSource: source, maxRetries: 20 });
    coordinator.register(
      barsAt(
        'RIVN',
        '1m',
        all.filter((x) => !hole(x)),
      ),
    );
    await coordinator.start();
    const ranges = upkeep
      .gapsOf('RIVN')
      .map((g) => [g.start, g.end, g.expected, g.filled, g.outcome]);
    expect(ranges).toEqual([
      [t(9, 40), t(9, 42), 2, 0, 'missing'],
      [t(9, 42), t(9, 45), 3, 3, 'filled'],
      [t(9, 45), t(9, 47), 2, 0, 'missing'],
      [t(9, 47), t(9, 48), 1, 1, 'filled'],
      [t(9, 48), t(9, 50), 2, 0, 'missing'],
    ]);
    expect(upkeep.trackerOf('RIVN')!.missingBars).toBe(6);
    expect(sessionData.getSymbolData('RIVN')!.bars_base.length).toBe(54);
  });
});

describe('settling gaps', () => {
  const t = (h: number, m: number, s = 0) => exchangeTimeToUtc(NORMAL, h, m) + s * 1000;
  const seconds = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => from + i * 1000);

  it('a source that answers with no rows is asked once per range, not max_retries times', async () => {
    const all = seconds(t(9, 30), 1800);
    // 300 separate one-second holes.
    const holesAt = new Set(all.filter((_, i) => i % 6 === 3));
    const source = new FakeFillSource([]);
    const { coordinator, upkeep } = withUpkeep({ fillSource: source, maxRetries: 5 });
    coordinator.register(
      barsAt(
        'AAPL',
        '1s',
        all.filter((x) => !holesAt.has(x)),
      ),
    );
    await coordinator.start();
    const gaps = upkeep.gapsOf('AAPL');
    expect(gaps).toHaveLength(300);
    expect(gaps.every((g) => g.attempts === 1 && g.outcome === 'missing')).toBe(true);
    // One fetch per cycle covers every gap that cycle found (30 cycles in 30 minutes).
    expect(source.calls).toBeLessThanOrEqual(31);
  });

  it('with no fill source at all a gap is settled at once, without attempts', async () => {
    const all = seconds(t(9, 30), 300);
    const { coordinator, upkeep } = withUpkeep({ fillSource: null });
    coordinator.register(
      barsAt(
        'AAPL',
        '1s',
        all.filter((x) => x !== t(9, 31)),
      ),
    );
    await coordinator.start();
    expect(upkeep.gapsOf('AAPL')).toMatchObject([
      { expected: 1, attempts: 0, outcome: 'missing', lastError: 'no fill source' },
    ]);
  });

  it('a failing source is still retried with backoff, up to max_retries', async () => {
    const all = seconds(t(9, 30), 600);
    const source = new FakeFillSource(all, Infinity);
    const { coordinator, upkeep } = withUpkeep({ fillSource: source, maxRetries: 2 });
    coordinator.register(
      barsAt(
        'AAPL',
        '1s',
        all.filter((x) => x !== t(9, 30, 30)),
      ),
    );
    await coordinator.start();
    expect(upkeep.gapsOf('AAPL')[0]).toMatchObject({
      attempts: 3,
      outcome: 'missing',
      lastError: 'database is locked',
    });
    expect(source.calls).toBe(3);
  });
});

describe('bad refill answers', () => {
  const t = (h: number, m: number, s = 0) => exchangeTimeToUtc(NORMAL, h, m) + s * 1000;

  /** Answers with whatever rows it is given, whatever was asked. */
  class RawSource implements BarFillSource {
    readonly description = 'sqlite /data/other.db';
    constructor(private readonly rows: Array<[number, number, number, number, number, number]>) {}
    async fetchBars(): Promise<StreamBatch> {
      return {
        length: this.rows.length,
        timestamp: Float64Array.from(this.rows.map((r) => r[0])),
        values: [1, 2, 3, 4, 5].map((k) => Float64Array.from(this.rows.map((r) => r[k]!))),
      };
    }
  }

  it('rows outside the window, duplicates, out of order, off the grid or breaking the bar rules are refused, counted and logged', async () => {
    const all = Array.from({ length: 120 }, (_, i) => t(9, 30, i));
    const hole = [t(9, 30, 40), t(9, 30, 41), t(9, 30, 42), t(9, 30, 43)];
    const good = (ts: number) =>
      [ts, 10, 11, 9, 10.5, 100] as [number, number, number, number, number, number];
    const source = new RawSource([
      good(t(9, 20)), // outside the asked window
      good(t(9, 30, 40)),
      good(t(9, 30, 40)), // duplicate
      [t(9, 30, 41), 10, 9, 11, 10, 100], // high below low
      good(t(9, 30, 41) + 500), // off the 1s grid
      good(t(9, 30, 43)),
      good(t(9, 30, 42)), // out of order
      [t(9, 30, 43) + 1000, Number.NaN, 1, 1, 1, 1], // at the window's end: outside
    ]);
    const { coordinator, upkeep, sessionData } = withUpkeep({ fillSource: source });
    const notes: string[] = [];
    upkeep.onNote((m) => notes.push(m));
    coordinator.register(
      barsAt(
        'AAPL',
        '1s',
        all.filter((x) => !hole.includes(x)),
      ),
    );
    await coordinator.start();
    const base = sessionData.getSymbolData('AAPL')!.bars_base;
    expect(base.length).toBe(118);
    expect(base.lowerBound(t(9, 30, 40))).toBe(40);
    expect(base.timestamp[40]).toBe(t(9, 30, 40));
    expect(base.timestamp[41]).toBe(t(9, 30, 43));
    expect(upkeep.trackerOf('AAPL')!.refusedRows).toBe(6);
    const text = notes.join('\n');
    expect(text).toContain(
      'AAPL 1s refill from sqlite /data/other.db: refused 2 rows (outside the asked range',
    );
    expect(text).toContain('a duplicate of the row before');
    expect(text).toContain('(high 9 is below low 11;');
    expect(text).toContain('not on the 1s grid');
    expect(text).toContain('out of time order');
    expect(upkeep.gapsOf('AAPL').map((g) => [g.start, g.expected, g.outcome])).toEqual([
      [t(9, 30, 40), 1, 'filled'],
      [t(9, 30, 41), 2, 'missing'],
      [t(9, 30, 43), 1, 'filled'],
    ]);
  });
});
