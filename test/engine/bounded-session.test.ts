/**
 * Bounded session data (retain_days): a session that releases old days of base bars gives the
 * same events, derived bars, summary, chart history and strategy look-backs as one that keeps
 * every day; a day file lost or changed after its day was released is a clear error to whoever
 * reads it, and the session itself carries on. The oracle is the same session with every day
 * retained (retain_days "all"), which never reads anything back.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventBatch } from '../../src/main/engine/event-batch';
import { HistoryError } from '../../src/main/engine/bar-history';
import { createDataStore } from '../../src/main/host/data-store';
import { gapSummaryOf, largestGapsOf } from '../../src/main/engine/upkeep/gap-overview';
import { buildSummary } from '../../src/main/host/session-summary';
import { openSession, type Session } from '../../src/main/host/session-host';
import { attachStrategy, prepareStrategy } from '../../src/main/host/strategy-session';
import { DeferredTask } from '../../src/main/engine/strategy/deferred-task';
import type { StrategyRunner } from '../../src/main/engine/strategy/strategy-runner';
import { ParquetBarFillSource } from '../../src/main/storage/parquet/parquet-fill-source';
import { streamFilePath } from '../../src/main/storage/parquet/parquet-layout';
import {
  barsFromPath,
  simulateDay,
  type SecondSpan,
} from '../../src/main/storage/synthetic/market-path';
import { writeStream } from '../../src/main/storage/synthetic/synthetic-day';
import { parseSessionConfig } from '../../src/shared/session-config';
import { calendarFor } from '../../src/shared/market/calendars';
import { tradingDayStart } from '../../src/shared/market/zoned-time';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-bounded-'));
  dirs.push(dir);
  return dir;
}

const SYMBOLS = ['AAA', 'BBB'];
const DATES = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07'];

/** Deterministic runs of minutes to leave out of a day. */
function holes(seed: number): SecondSpan[] {
  let x = seed >>> 0;
  // AAA opens every other day with a hole while BBB trades: fill-forward carries AAA's close of
  // the day before, which must still be there.
  const spans: SecondSpan[] = seed < 100 && seed % 2 === 0 ? [[0, 120]] : [];
  for (let i = 0; i < 12; i++) {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    const minute = 3 + (x % 380);
    spans.push([minute * 60, (minute + 1 + (x % 3)) * 60]);
  }
  return spans;
}

/**
 * The streamed store has holes; a second store (the fill source) has every bar but those at the
 * open, so refills put bars into the session that the streamed store does not have, in every
 * day, and the opening holes stay missing.
 */
function writeStores(): { streamed: string; full: string } {
  const streamed = tempDir();
  const full = tempDir();
  SYMBOLS.forEach((symbol, s) => {
    DATES.forEach((date, d) => {
      const day = simulateDay({ symbol, date, seed: 5 + s });
      const key = { symbol, type: 'bars' as const, interval: '1m' as const, date };
      writeStream(streamed, key, barsFromPath(day, '1m', holes(100 * s + d + 1)), undefined);
      // The fill source lacks the opening holes too: those stay missing (and fill forward).
      const open = holes(100 * s + d + 1).filter(([from]) => from === 0);
      writeStream(full, key, barsFromPath(day, '1m', open), undefined);
    });
  });
  return { streamed, full };
}

const LOOK_BACK = 1000;
/** Derived look-backs on most bars: short, as most strategies' are. */
const DERIVED_LOOK_BACK = { '5m': 20, '15m': 10 };
/** 19:00 UTC (14:00 in New York in March): a 5m and a 15m bucket start there every day. */
const BIG_ASK_UTC_MS = 19 * 3_600_000;
const strategySource = `
  const lengths = { '1m': ${LOOK_BACK}, '5m': ${DERIVED_LOOK_BACK['5m']}, '15m': ${DERIVED_LOOK_BACK['15m']} };
  let asks = 0;
  export default {
    onBar(bar, ctx) {
      let n = lengths[bar.interval];
      // Once a day each derived interval asks further back than ever before: past the bars
      // memory keeps for the longest look-back so far, so the store is read.
      if (bar.interval !== '1m' && bar.timestamp % 86400000 === ${BIG_ASK_UTC_MS}) n = 50 * ++asks;
      const bars = ctx.bars(bar.symbol, bar.interval, n);
      let h = bars.length;
      for (const b of bars) {
        h = (h * 31 + b.timestamp / 1000 + b.open * 3 + b.high * 5 + b.low * 11 + b.close * 7 + b.volume) % 1e12;
      }
      globalThis.__lookBacks.push(
        bar.interval + ' ' + bar.symbol + ' ' + bar.timestamp + ' ' + bars.length + ' ' + h,
      );
    },
  };`;

declare global {
  var __lookBacks: string[];
}

interface Run {
  session: Session;
  runner: StrategyRunner | null;
  events: string[];
  lookBacks: string[];
}

async function run(
  stores: { streamed: string; full: string },
  retain: number | 'all',
  options: {
    fillForward?: boolean;
    strategy?: boolean;
    readerWorker?: boolean;
    onBatch?: (session: Session, batch: EventBatch) => void;
    onOpen?: (session: Session) => void;
  } = {},
): Promise<Run> {
  const parsed = parseSessionConfig({
    session_name: 'bounded',
    data_streams: SYMBOLS.map((symbol) => ({ type: 'bars', symbol, interval: '1m' })),
    session_data_config: {
      retain_days: retain,
      fill_forward: options.fillForward ?? false,
      data_upkeep: { derived_intervals: ['5m', '15m'], check_interval_seconds: 60 },
    },
    backtest_config: { start_date: DATES[0], end_date: DATES.at(-1), speed_multiplier: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const store = createDataStore(parsed.config, stores.streamed, {
    readerWorker: options.readerWorker ?? false,
  });
  if (!store.ok) throw new Error(store.problems.join('\n'));
  // As the hosts do: a strategy's due derived bars are delivered before each upkeep cycle, so
  // a refill in that cycle revises a bar the strategy was already shown.
  const beforeUpkeep = options.strategy ? new DeferredTask() : undefined;
  const session = await openSession(parsed.config, store.store, {
    speed: 0,
    fillSource: new ParquetBarFillSource(stores.full),
    ...(beforeUpkeep ? { beforeUpkeep } : {}),
  });
  options.onOpen?.(session);
  globalThis.__lookBacks = [];
  let runner: StrategyRunner | null = null;
  if (options.strategy) {
    const file = join(tempDir(), 'look-back.ts');
    writeFileSync(file, strategySource);
    const { loaded, params } = await prepareStrategy(file, {});
    runner = attachStrategy(session, loaded, params, beforeUpkeep ? { beforeUpkeep } : {});
  }
  const events: string[] = [];
  session.coordinator.subscribe((batch) => {
    for (let i = 0; i < batch.length; i++) {
      const values = batch.stores[batch.stream[i]!]!.values;
      const row = batch.row[i]!;
      events.push(
        `${batch.stream[i]} ${batch.timestamp[i]} ${batch.clock[i]} ${values.map((c) => c[row]).join(' ')}`,
      );
    }
    options.onBatch?.(session, batch);
  });
  await session.coordinator.start();
  runner?.finish(true);
  return { session, runner, events, lookBacks: globalThis.__lookBacks };
}

/** Every derived bar as a chart or export reads it: held, or made again for a released day. */
function derivedOf(session: Session, from = -Infinity): Record<string, number[][]> {
  const out: Record<string, number[][]> = {};
  for (const data of session.sessionData.all()) {
    for (const interval of data.bars_derived.keys()) {
      const { timestamp, values } = session.history.between(data.symbol, interval, from);
      out[`${data.symbol} ${interval}`] = [
        Array.from(timestamp),
        ...values.map((v) => Array.from(v)),
      ];
    }
  }
  return out;
}

/** Derived bars held in memory, all symbols and intervals. */
function heldDerived(session: Session): number {
  let n = 0;
  for (const data of session.sessionData.all()) {
    for (const store of data.bars_derived.values()) n += store.length;
  }
  return n;
}

function summaryOf(session: Session) {
  return buildSummary(session, null, 0);
}

function columns(rows: { timestamp: Float64Array; values: Float64Array[]; flags: Uint8Array }) {
  return [
    Array.from(rows.timestamp),
    ...rows.values.map((v) => Array.from(v)),
    Array.from(rows.flags),
  ];
}

describe('bounded session data', () => {
  const stores = writeStores();

  it.each([false, true])(
    'gives the same events, derived bars and summary with retain_days 0, 1 and all, read directly or through the reader worker (fill_forward %s)',
    async (fillForward) => {
      const all = await run(stores, 'all', { fillForward });
      expect(all.session.retention).toBeNull();
      for (const [retain, readerWorker] of [
        [0, false],
        [1, false],
        [1, true],
      ] as const) {
        // Releases ask the upkeep what it still holds (slots not scanned, gaps not settled).
        let holdsAsked = 0;
        const bounded = await run(stores, retain, {
          fillForward,
          readerWorker,
          onOpen: (session) => {
            const upkeep = session.upkeep!;
            const heldFrom = upkeep.heldFrom.bind(upkeep);
            upkeep.heldFrom = (symbol) => (holdsAsked++, heldFrom(symbol));
          },
        });
        expect(holdsAsked).toBeGreaterThan(0);
        // The check can fail: days were really released, bars inserted by refills among them.
        const released = bounded.session.sessionData.all().map((d) => d.released);
        expect(released.every((r) => r.days.length >= DATES.length - 1 - retain)).toBe(true);
        expect(released.some((r) => r.days.some((d) => d.inserted > 0))).toBe(true);
        expect(bounded.session.sessionData.heldBaseBars).toBeLessThan(
          all.session.sessionData.heldBaseBars,
        );
        // Derived bars went with their days, and are made again from the store when read.
        expect(heldDerived(bounded.session)).toBeLessThan(heldDerived(all.session));
        expect(bounded.events.length).toBe(all.events.length);
        expect(bounded.events).toEqual(all.events);
        expect(derivedOf(bounded.session)).toEqual(derivedOf(all.session));
        expect(summaryOf(bounded.session)).toEqual(summaryOf(all.session));
        // Settled gaps of released days were packed; the panels' overview of them is the same.
        for (const symbol of SYMBOLS) {
          const kept = all.session.upkeep!.trackerOf(symbol)!;
          const packed = bounded.session.upkeep!.trackerOf(symbol)!;
          expect(kept.released.count).toBe(0);
          expect(packed.released.count).toBeGreaterThan(0);
          expect(packed.table.size).toBeLessThan(kept.table.size);
          expect(gapSummaryOf(packed)).toEqual(gapSummaryOf(kept));
          expect(largestGapsOf(packed)).toEqual(largestGapsOf(kept));
          expect(largestGapsOf(packed, 40)).toEqual(largestGapsOf(kept, 40));
        }
      }
    },
  );

  it("sizes each symbol's base bars once, from its fullest day, and never grows them", async () => {
    const bounded = await run(stores, 1);
    SYMBOLS.forEach((symbol, s) => {
      const fullest = Math.max(
        ...DATES.map((date, d) => {
          const day = simulateDay({ symbol, date, seed: 5 + s });
          const bars = barsFromPath(day, '1m', holes(100 * s + d + 1));
          return bars.length ?? bars.timestamp.length;
        }),
      );
      const data = bounded.session.sessionData.getSymbolData(symbol)!;
      // retain_days 1 holds two days, and a quarter day more for the hourly release's slack.
      expect(data.bars_base.capacity).toBe(Math.ceil(fullest * 2.25));
    });
  });

  it('sizes each derived store once: for the held days when days are released, else for the session range', async () => {
    const all = await run(stores, 'all');
    for (const symbol of SYMBOLS) {
      const data = all.session.sessionData.getSymbolData(symbol)!;
      expect(data.bars_derived.get('5m')!.capacity).toBe(4 * 78);
      expect(data.bars_derived.get('15m')!.capacity).toBe(4 * 26);
    }
    // Sized when the session opens, before the first batch: the reader is still decoding then.
    const atOpen: number[] = [];
    const bounded = await run(stores, 1, {
      onOpen: (session) => {
        for (const symbol of SYMBOLS) {
          const data = session.sessionData.getSymbolData(symbol)!;
          atOpen.push(data.bars_derived.get('5m')?.capacity ?? 0);
          atOpen.push(data.bars_derived.get('15m')?.capacity ?? 0);
        }
      },
    });
    // Full XNYS days (6.5 h): 78 five-minute and 26 fifteen-minute buckets a day. retain_days 1
    // holds two days, and the next one fills before the hourly release: three days.
    expect(atOpen).toEqual([3 * 78, 3 * 26, 3 * 78, 3 * 26]);
    for (const symbol of SYMBOLS) {
      const data = bounded.session.sessionData.getSymbolData(symbol)!;
      for (const [interval, buckets] of [
        ['5m', 3 * 78],
        ['15m', 3 * 26],
      ] as const) {
        const store = data.bars_derived.get(interval)!;
        expect(store.capacity).toBe(buckets);
        expect(store.length).toBeGreaterThan(0);
        expect(store.length).toBeLessThanOrEqual(buckets);
      }
    }
  });

  it('reads base bars back across released days exactly as retained (charts, exports)', async () => {
    const all = await run(stores, 'all', { fillForward: true });
    const bounded = await run(stores, 0, { fillForward: true });
    for (const symbol of SYMBOLS) {
      const want = all.session.sessionData.getSymbolData(symbol)!.bars_base;
      const got = bounded.session.history.between(symbol, '1m');
      expect(got.length).toBe(want.length);
      expect(columns(got)).toEqual(columns(want.columns()));
      // A window that starts inside a released day and ends inside the held one.
      const from = Date.parse('2024-03-05T17:00:00Z');
      const to = Date.parse('2024-03-07T15:00:00Z');
      const window = all.session.history.between(symbol, '1m', from, to);
      expect(columns(bounded.session.history.between(symbol, '1m', from, to))).toEqual(
        columns(window),
      );
      expect(window.length).toBeGreaterThan(390);
      // The last n bars before a time, reaching back over two released days.
      const last = bounded.session.history.last(symbol, '1m', to, 900);
      expect(last.length).toBe(900);
      expect(columns(last)).toEqual(columns(all.session.history.last(symbol, '1m', to, 900)));
      // Derived bars of released days are made again from the store's base bars.
      for (const interval of ['5m', '15m'] as const) {
        expect(columns(bounded.session.history.between(symbol, interval))).toEqual(
          columns(all.session.history.between(symbol, interval)),
        );
        expect(columns(bounded.session.history.between(symbol, interval, from, to))).toEqual(
          columns(all.session.history.between(symbol, interval, from, to)),
        );
        expect(columns(bounded.session.history.last(symbol, interval, to, 150))).toEqual(
          columns(all.session.history.last(symbol, interval, to, 150)),
        );
      }
      const held = bounded.session.sessionData.getSymbolData(symbol)!.bars_derived.get('5m')!;
      expect(held.length).toBeLessThan(all.session.history.between(symbol, '5m').length);
    }
  });

  it("gives a strategy's ctx.bars look-back across released days the bars it gets when retained", async () => {
    const all = await run(stores, 'all', { strategy: true });
    // Derived look-backs that reach past what memory keeps read the session's history.
    let historyReads = 0;
    const bounded = await run(stores, 0, {
      strategy: true,
      onOpen: (session) => {
        const last = session.history.last.bind(session.history);
        session.history.last = (symbol, interval, end, n) => {
          if (interval !== '1m') historyReads++;
          return last(symbol, interval, end, n);
        };
      },
    });
    expect(historyReads).toBeGreaterThan(0);
    expect(all.runner!.failed).toBeNull();
    expect(bounded.runner!.failed).toBeNull();
    // The look-backs reach past the first day: they really cross released days.
    const full = (interval: string, n: number) =>
      all.lookBacks.some(
        (line) => line.startsWith(`${interval} `) && line.split(' ')[3] === String(n),
      );
    expect(full('1m', LOOK_BACK)).toBe(true);
    expect(full('5m', DERIVED_LOOK_BACK['5m'])).toBe(true);
    expect(full('15m', DERIVED_LOOK_BACK['15m'])).toBe(true);
    expect(bounded.lookBacks.length).toBe(all.lookBacks.length);
    expect(bounded.lookBacks).toEqual(all.lookBacks);
    // The delivered derived bars of released days left memory, but for the longest look-back
    // asked; what a refill changed after it was shown was kept as shown (gaps in a bucket's
    // last minute are refilled after its end).
    let kept = 0;
    let inMemory = 0;
    let delivered = 0;
    for (const symbol of SYMBOLS) {
      for (const [interval, perDay] of [
        ['5m', 78],
        ['15m', 26],
      ] as const) {
        const held = bounded.runner!.deliveredOf(symbol, interval)!;
        expect(held.delivered.length).toBeLessThanOrEqual(
          Math.max(held.longestLookBack, 2 * perDay),
        );
        inMemory += held.delivered.length;
        delivered += all.runner!.deliveredOf(symbol, interval)!.delivered.length;
        kept += held.released!.kept.asDelivered;
      }
    }
    expect(inMemory).toBeLessThan(delivered);
    expect(kept).toBeGreaterThan(0);
    expect(all.runner!.revisions.length).toBeGreaterThan(0);
  });

  it('delivers the last buckets before days of silence with retain_days 0 as with all', async () => {
    // AAA halts at 14:07 on the first day, streams nothing on the second, and resumes at 11:00
    // on the third: the 14:05 5m and 14:00 15m buckets wait for time to pass them, days later,
    // and are made from bars a release must not take first.
    const dir = tempDir();
    const silence: Record<string, SecondSpan[]> = {
      [DATES[0]!]: [[(14 * 60 + 7 - 570) * 60, 23_400]],
      [DATES[1]!]: [[0, 23_400]],
      [DATES[2]!]: [[0, 90 * 60]],
      [DATES[3]!]: [],
    };
    for (const date of DATES) {
      const day = simulateDay({ symbol: 'AAA', date, seed: 5 });
      const key = { symbol: 'AAA', type: 'bars' as const, interval: '1m' as const, date };
      writeStream(dir, key, barsFromPath(day, '1m', silence[date]), undefined);
    }
    const file = join(tempDir(), 'shown.ts');
    writeFileSync(
      file,
      `export default { onBar(bar) { if (bar.interval !== '1m') globalThis.__lookBacks.push(
        bar.interval + ' ' + bar.timestamp + ' ' + bar.close + ' ' + bar.volume); } };`,
    );
    const shown = async (retain: number | 'all'): Promise<string[]> => {
      const parsed = parseSessionConfig({
        session_name: 'silent',
        data_streams: [{ type: 'bars', symbol: 'AAA', interval: '1m' }],
        session_data_config: {
          retain_days: retain,
          fill_forward: true,
          data_upkeep: { derived_intervals: ['5m', '15m'], check_interval_seconds: 60 },
        },
        backtest_config: { start_date: DATES[0], end_date: DATES.at(-1), speed_multiplier: 0 },
      });
      if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
      const store = createDataStore(parsed.config, dir, { readerWorker: false });
      if (!store.ok) throw new Error(store.problems.join('\n'));
      const beforeUpkeep = new DeferredTask();
      const session = await openSession(parsed.config, store.store, { speed: 0, beforeUpkeep });
      globalThis.__lookBacks = [];
      const { loaded, params } = await prepareStrategy(file, {});
      const runner = attachStrategy(session, loaded, params, { beforeUpkeep });
      await session.coordinator.start();
      runner.finish(true);
      expect(runner.failed).toBeNull();
      expect(session.retention === null).toBe(retain === 'all');
      return globalThis.__lookBacks;
    };
    const all = await shown('all');
    const halted = Date.parse(`${DATES[0]}T19:05:00Z`);
    expect(all).toContainEqual(expect.stringMatching(new RegExp(`^5m ${halted} `)));
    expect(await shown(0)).toEqual(all);
  });

  it.each(['directly', 'through the reader worker'])(
    'reports a day file removed or changed after its day was released, and the session carries on (read %s)',
    async (reader) => {
      const all = await run(stores, 'all');
      const copy = { streamed: tempDir(), full: stores.full };
      // A private copy of the streamed store, so the damage stays in this test.
      for (const symbol of SYMBOLS) {
        for (const date of DATES) {
          const key = { symbol, type: 'bars' as const, interval: '1m' as const };
          const day = simulateDay({ symbol, date, seed: 5 + SYMBOLS.indexOf(symbol) });
          const s = SYMBOLS.indexOf(symbol);
          const d = DATES.indexOf(date);
          writeStream(
            copy.streamed,
            { ...key, date },
            barsFromPath(day, '1m', holes(100 * s + d + 1)),
            undefined,
          );
        }
      }
      const removed = streamFilePath(
        copy.streamed,
        { symbol: 'AAA', type: 'bars', interval: '1m' },
        DATES[0]!,
      );
      const changed = streamFilePath(
        copy.streamed,
        { symbol: 'BBB', type: 'bars', interval: '1m' },
        DATES[1]!,
      );
      const errors: string[] = [];
      let damaged = false;
      const bounded = await run(copy, 0, {
        readerWorker: reader !== 'directly',
        onBatch: (session, batch) => {
          // In the last day, once the first two are released: lose one file, rewrite another.
          if (damaged || batch.timestamp[0]! < Date.parse(`${DATES[3]}T15:00:00Z`)) return;
          damaged = true;
          expect(
            session.sessionData.getSymbolData('BBB')!.released.days.length,
          ).toBeGreaterThanOrEqual(2);
          unlinkSync(removed);
          const day = simulateDay({ symbol: 'BBB', date: DATES[1]!, seed: 99 });
          writeStream(
            copy.streamed,
            { symbol: 'BBB', type: 'bars', interval: '1m', date: DATES[1]! },
            barsFromPath(day, '1m'),
            undefined,
          );
          for (const symbol of SYMBOLS) {
            try {
              session.history.between(symbol, '1m');
            } catch (error) {
              expect(error).toBeInstanceOf(HistoryError);
              errors.push((error as Error).message);
            }
          }
        },
      });
      expect(damaged).toBe(true);
      expect(errors).toHaveLength(2);
      expect(errors[0]).toContain(
        `AAA 1m bars of ${DATES[0]} were released from memory and cannot be read back`,
      );
      expect(errors[0]).toContain(removed);
      expect(errors[1]).toContain(`BBB 1m bars of ${DATES[1]} were released from memory`);
      expect(errors[1]).toContain('changed or damaged');
      expect(errors[1]).toContain(changed);
      // Asked later, still the same clear error; the held days still read.
      expect(() => bounded.session.history.between('AAA', '1m')).toThrow(HistoryError);
      // The held day (retain_days 0), from its New York midnight.
      const lastDay = tradingDayStart(calendarFor('XNYS'), DATES[3]!);
      expect(columns(bounded.session.history.between('AAA', '1m', lastDay))).toEqual(
        columns(all.session.history.between('AAA', '1m', lastDay)),
      );
      // The session itself was not affected.
      expect(bounded.session.coordinator.finished).toBe(true);
      expect(bounded.events).toEqual(all.events);
      expect(summaryOf(bounded.session)).toEqual(summaryOf(all.session));
      // Derived bars of a lost day cannot be made again: the same error names the day and file.
      expect(() => bounded.session.history.between('AAA', '15m')).toThrow(
        `AAA 1m bars of ${DATES[0]} were released from memory and cannot be read back`,
      );
      expect(derivedOf(bounded.session, lastDay)).toEqual(derivedOf(all.session, lastDay));
    },
  );

  it('refuses a retain_days that is not a whole number of days or "all"', () => {
    for (const bad of [-1, 1.5, 'some', null]) {
      const parsed = parseSessionConfig({
        session_name: 'x',
        data_streams: [{ type: 'bars', symbol: 'A', interval: '1m' }],
        session_data_config: { retain_days: bad },
      });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok)
        expect(parsed.problems.map((p) => p.message).join(' ')).toContain('retain_days');
    }
    for (const good of [0, 3, 'all']) {
      const parsed = parseSessionConfig({
        session_name: 'x',
        data_streams: [{ type: 'bars', symbol: 'A', interval: '1m' }],
        session_data_config: { retain_days: good },
      });
      expect(parsed.ok).toBe(true);
    }
  });
});
