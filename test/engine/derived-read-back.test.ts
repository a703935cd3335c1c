/**
 * Derived bars of released days, made again from the store's base bars, against the same
 * session with every day retained: on a 24x7 calendar (UTC days, bars round the clock, a
 * weekend) and on XNYS across an early close, with bars outside regular hours in the files.
 * Also what happens when a calendar's session crosses the day's bounds: a clear error, not
 * wrong bars.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BarHistory, HistoryError } from '../../src/main/engine/bar-history';
import { createDataStore } from '../../src/main/host/data-store';
import { openSession, type Session } from '../../src/main/host/session-host';
import { barsFromPath, simulateDay } from '../../src/main/storage/synthetic/market-path';
import { writeStream } from '../../src/main/storage/synthetic/synthetic-day';
import type { Interval } from '../../src/shared/interval';
import { calendarFor } from '../../src/shared/market/calendars';
import type { ExchangeCalendar } from '../../src/shared/market/exchange-calendar';
import { tradingDayStart } from '../../src/shared/market/zoned-time';
import { parseSessionConfig } from '../../src/shared/session-config';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const DERIVED: Interval[] = ['5m', '15m', '1h'];

/** A minute bar every minute of each UTC day but a few deterministic holes. */
function roundTheClock(dir: string, dates: string[]): void {
  dates.forEach((date, d) => {
    const open = Date.parse(`${date}T00:00:00Z`);
    const times: number[] = [];
    for (let m = 0; m < 1440; m++) if ((m * 7 + d) % 31 !== 0) times.push(open + m * 60_000);
    const n = times.length;
    const o = new Float64Array(n);
    const h = new Float64Array(n);
    const l = new Float64Array(n);
    const c = new Float64Array(n);
    const v = new Float64Array(n);
    times.forEach((t, i) => {
      const p = 60_000 + 500 * Math.sin(t / 3.6e6 + d) + (i % 13) * 0.25;
      o[i] = p;
      h[i] = p + 3.5;
      l[i] = p - 2.25;
      c[i] = p + 0.75;
      v[i] = 0.1 + (i % 17) * 0.013;
    });
    writeStream(
      dir,
      { symbol: 'BTC', type: 'bars', interval: '1m', date },
      { timestamp: Float64Array.from(times), values: [o, h, l, c, v] },
      undefined,
    );
  });
}

async function run(
  dir: string,
  calendar: 'XNYS' | '24x7',
  symbol: string,
  dates: string[],
  retain: number | 'all',
): Promise<Session> {
  const parsed = parseSessionConfig({
    session_name: 'read-back',
    calendar,
    data_streams: [{ type: 'bars', symbol, interval: '1m' }],
    session_data_config: {
      retain_days: retain,
      data_upkeep: { derived_intervals: DERIVED, check_interval_seconds: 60 },
    },
    backtest_config: { start_date: dates[0], end_date: dates.at(-1), speed_multiplier: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const store = createDataStore(parsed.config, dir, { readerWorker: false });
  if (!store.ok) throw new Error(store.problems.join('\n'));
  const session = await openSession(parsed.config, store.store, { speed: 0 });
  await session.coordinator.start();
  return session;
}

function columns(rows: { timestamp: Float64Array; values: Float64Array[] }): number[][] {
  return [Array.from(rows.timestamp), ...rows.values.map((v) => Array.from(v))];
}

describe('derived bars of released days', () => {
  it.each([
    {
      name: '24x7, over a weekend',
      calendar: '24x7' as const,
      symbol: 'BTC',
      dates: ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04'],
      write: (dir: string, dates: string[]) => roundTheClock(dir, dates),
    },
    {
      name: 'XNYS, across the early close of 3 July, with bars after the close in the files',
      calendar: 'XNYS' as const,
      symbol: 'AAA',
      dates: ['2024-07-01', '2024-07-02', '2024-07-03', '2024-07-05'],
      write: (dir: string, dates: string[]) => {
        for (const date of dates) {
          // A full 6.5-hour path on every day, so 3 July has bars past its 13:00 close.
          const day = simulateDay({ symbol: 'AAA', date, seed: 3 });
          const key = { symbol: 'AAA', type: 'bars' as const, interval: '1m' as const, date };
          writeStream(dir, key, barsFromPath(day, '1m', [[600, 720]]), undefined);
        }
      },
    },
  ])('equal what a session that keeps every day holds: $name', async (c) => {
    const dir = mkdtempSync(join(tmpdir(), 'tapedeck-read-back-'));
    dirs.push(dir);
    c.write(dir, c.dates);
    const all = await run(dir, c.calendar, c.symbol, c.dates, 'all');
    const bounded = await run(dir, c.calendar, c.symbol, c.dates, 0);
    const data = bounded.sessionData.getSymbolData(c.symbol)!;
    expect(data.released.days.length).toBeGreaterThanOrEqual(c.dates.length - 2);
    const calendar = calendarFor(c.calendar);
    // Inside the second day (released), and the start of the last (held).
    const inside = tradingDayStart(calendar, c.dates[1]!) + 15 * 3_600_000;
    const lastDay = tradingDayStart(calendar, c.dates.at(-1)!);
    for (const interval of DERIVED) {
      const held = bounded.upkeep!.derivedOf(c.symbol, interval)!;
      const want = all.history.between(c.symbol, interval);
      expect(held.completed.length).toBeLessThan(want.length);
      expect(held.count).toBe(want.length);
      expect(columns(bounded.history.between(c.symbol, interval))).toEqual(columns(want));
      expect(columns(bounded.history.between(c.symbol, interval, inside, lastDay))).toEqual(
        columns(all.history.between(c.symbol, interval, inside, lastDay)),
      );
      // The last bars before a time inside a released day, reaching back into the day before.
      const secondDay = tradingDayStart(calendar, c.dates[1]!);
      const n = all.history.between(c.symbol, interval, secondDay, inside).length + 5;
      const last = bounded.history.last(c.symbol, interval, inside, n);
      expect(last.length).toBe(n);
      expect(columns(last)).toEqual(columns(all.history.last(c.symbol, interval, inside, n)));
    }
    if (c.calendar === 'XNYS') {
      // The early close cuts the last bucket of 3 July at 13:00 New York (17:00 UTC).
      const july3 = all.history.between('AAA', '1h', Date.parse('2024-07-03T00:00:00Z'));
      expect(july3.timestamp.filter((t) => t < Date.parse('2024-07-04T00:00:00Z')).at(-1)).toBe(
        Date.parse('2024-07-03T16:30:00Z'),
      );
    }
  });

  it('refuses to make a day again when a session of its calendar crosses the day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapedeck-read-back-'));
    dirs.push(dir);
    const dates = ['2024-03-01', '2024-03-02', '2024-03-03'];
    roundTheClock(dir, dates);
    const bounded = await run(dir, '24x7', 'BTC', dates, 0);
    const all = await run(dir, '24x7', 'BTC', dates, 'all');
    const utc = calendarFor('24x7');
    // A calendar whose sessions run 18:00 to 18:00, as futures trade: a bucket of the evening
    // would need the next day's bars.
    const evening: ExchangeCalendar = {
      ...utc,
      sessionsBetween: (start, end) =>
        utc.sessionsBetween(start, end).map((s) => ({
          ...s,
          open: s.open - 6 * 3_600_000,
          close: s.close - 6 * 3_600_000,
        })),
    };
    const store = createDataStore(parseSessionConfigOrThrow(dates), dir, { readerWorker: false });
    if (!store.ok) throw new Error(store.problems.join('\n'));
    const history = new BarHistory(bounded.sessionData, store.store.history!, () => evening);
    expect(() => history.between('BTC', '5m')).toThrow(HistoryError);
    expect(() => history.between('BTC', '5m')).toThrow(
      'BTC 5m bars of 2024-03-01 were released from memory and cannot be made again',
    );
    // Base bars read back as ever, and the held days' derived bars are there.
    expect(history.between('BTC', '1m').length).toBe(
      bounded.sessionData.getSymbolData('BTC')!.baseBarCount,
    );
    const held = Date.parse('2024-03-03T00:00:00Z');
    expect(bounded.sessionData.getSymbolData('BTC')!.released.before).toBe(held);
    expect(columns(history.between('BTC', '5m', held))).toEqual(
      columns(all.history.between('BTC', '5m', held)),
    );
  });
});

function parseSessionConfigOrThrow(dates: string[]) {
  const parsed = parseSessionConfig({
    session_name: 'read-back',
    calendar: '24x7',
    data_streams: [{ type: 'bars', symbol: 'BTC', interval: '1m' }],
    backtest_config: { start_date: dates[0], end_date: dates.at(-1), speed_multiplier: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return parsed.config;
}
