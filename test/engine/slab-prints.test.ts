/**
 * Fingerprints made by the reader (docs/long-sessions.md): the reader worker fingerprints each
 * slab it decodes, and a bounded session releasing a day that is exactly one slab takes that
 * print instead of making it on the merge's thread. The oracle is the same session read on
 * the merge's thread, which makes every print itself: the released days must be the same, and
 * a day read back must still check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReleasedBars } from '../../src/main/engine/released-bars';
import { createDataStore } from '../../src/main/host/data-store';
import { openSession } from '../../src/main/host/session-host';
import { barsFromPath, simulateDay } from '../../src/main/storage/synthetic/market-path';
import { writeStream } from '../../src/main/storage/synthetic/synthetic-day';
import { parseSessionConfig } from '../../src/shared/session-config';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const SYMBOLS = ['AAA', 'BBB'];
const DATES = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07'];

function writeStore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-prints-'));
  dirs.push(dir);
  SYMBOLS.forEach((symbol, s) => {
    DATES.forEach((date) => {
      const day = simulateDay({ symbol, date, seed: 3 + s });
      // A few seconds missing every day: real data is sparse, and the upkeep finds gaps.
      const holes: [number, number][] = [
        [600, 660],
        [9000, 9002],
      ];
      writeStream(
        dir,
        { symbol, type: 'bars', interval: '1s', date },
        barsFromPath(day, '1s', holes),
        undefined,
      );
    });
  });
  return dir;
}

async function run(dir: string, readerWorker: boolean) {
  const parsed = parseSessionConfig({
    session_name: 'prints',
    data_streams: SYMBOLS.map((symbol) => ({ type: 'bars', symbol, interval: '1s' })),
    session_data_config: {
      retain_days: 1,
      data_upkeep: { derived_intervals: ['1m'], check_interval_seconds: 60 },
    },
    backtest_config: { start_date: DATES[0], end_date: DATES.at(-1), speed_multiplier: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const store = createDataStore(parsed.config, dir, { readerWorker });
  if (!store.ok) throw new Error(store.problems.join('\n'));
  const session = await openSession(parsed.config, store.store, { speed: 0 });
  // Counts the days whose print came from a slab.
  let fromSlabs = 0;
  for (const data of session.sessionData.all()) {
    const released = data.released;
    const slabFingerprint = released.slabFingerprint.bind(released);
    released.slabFingerprint = (first, last, rows) => {
      const print = slabFingerprint(first, last, rows);
      if (print !== undefined) fromSlabs++;
      return print;
    };
  }
  await session.coordinator.start();
  const days = session.sessionData.all().map((d) => [d.symbol, d.released.days]);
  return { session, days, fromSlabs };
}

describe('slab fingerprints from the reader worker', () => {
  const dir = writeStore();

  it('releases the same days, with the same prints, as a session that makes them all itself', async () => {
    const direct = await run(dir, false);
    const worker = await run(dir, true);
    expect(direct.fromSlabs).toBe(0);
    // Every released day was one slab: none of its prints was made on the merge's thread.
    const released = worker.days.reduce((n, [, days]) => n + (days as unknown[]).length, 0);
    expect(released).toBe(SYMBOLS.length * (DATES.length - 2));
    expect(worker.fromSlabs).toBe(released);
    expect(worker.days).toEqual(direct.days);
    // And reading a released day back checks against the slab's print.
    for (const symbol of SYMBOLS) {
      const back = worker.session.history.between(symbol, '1s', -Infinity);
      const held = direct.session.history.between(symbol, '1s', -Infinity);
      expect(back.timestamp.length).toBeGreaterThan(3 * 23_000);
      expect(Array.from(back.values[3]!)).toEqual(Array.from(held.values[3]!));
    }
  });
});

describe('ReleasedBars.slabFingerprint', () => {
  function withPrints(...prints: [number, number, number, number][]): ReleasedBars {
    const released = new ReleasedBars();
    for (const [first, last, rows, fingerprint] of prints) {
      released.streamed.push({ first, last, rows, fingerprint });
    }
    return released;
  }

  it('gives the print of the slab with the same ends and row count, once', () => {
    const released = withPrints([0, 9, 10, 111], [10, 19, 10, 222]);
    expect(released.slabFingerprint(10, 19, 10)).toBe(222);
    // The older slab ended before: it was dropped, and the given one is used up.
    expect(released.streamed).toEqual([]);
    expect(released.slabFingerprint(10, 19, 10)).toBeUndefined();
  });

  it('gives none when a row was skipped or added, or the ends differ', () => {
    const released = withPrints([0, 9, 10, 111]);
    expect(released.slabFingerprint(0, 9, 9)).toBeUndefined();
    expect(released.slabFingerprint(0, 9, 11)).toBeUndefined();
    expect(released.slabFingerprint(1, 9, 10)).toBeUndefined();
    expect(released.slabFingerprint(0, 8, 10)).toBeUndefined();
    // Not used up by a miss: the slab is still there for the day it is.
    expect(released.slabFingerprint(0, 9, 10)).toBe(111);
  });
});
