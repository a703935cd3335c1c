import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AlwaysOpenCalendar } from '../../../src/shared/market/always-open-calendar';
import { calendarFor } from '../../../src/shared/market/calendars';
import { XnysCalendar } from '../../../src/shared/market/xnys-calendar';
import { openMillisBetween } from '../../../src/shared/market/market-hours';
import { exchangeClock, exchangeTimeToUtc, nextDate } from '../../../src/shared/time';
import { outsideData } from '../../outside-data';

const xnys = calendarFor('XNYS');
const et = (date: string, h: number, m = 0): number => exchangeTimeToUtc(date, h, m);
const utc = (iso: string): number => Date.parse(iso);
const toIso = (t: number): string => new Date(t).toISOString();

const LEAN = outsideData('calendars/lean-equity-usa-market-hours.json');
const FIRST_YEAR = 2000;
const LAST_YEAR = 2028;

interface ExpectedDifference {
  date: string;
  /** Which list has the date the other lacks. */
  only: 'lean' | 'ours';
  reason: string;
}

/**
 * Where LEAN and our calendar disagree on full-day closures. Our list holds only days the
 * market would otherwise have traded, so LEAN's weekend entries show up here.
 */
const EXPECTED_HOLIDAY_DIFFERENCES: ExpectedDifference[] = [
  {
    date: '2011-01-01',
    only: 'lean',
    reason: "Saturday New Year's Day: a weekend, and NYSE traded on Friday 2010-12-31",
  },
  {
    date: '2022-01-01',
    only: 'lean',
    reason: "Saturday New Year's Day: a weekend, and NYSE traded on Friday 2021-12-31",
  },
];

/** Where LEAN and our calendar disagree on 13:00 early closes. */
const EXPECTED_EARLY_CLOSE_DIFFERENCES: ExpectedDifference[] = [
  {
    date: '2017-12-24',
    only: 'lean',
    reason: 'Christmas Eve fell on a Sunday: no session to shorten',
  },
];

interface LeanEntry {
  holidays: string[];
  earlyCloses: Record<string, string>;
}

function loadLean(): LeanEntry {
  const json = JSON.parse(readFileSync(LEAN.path!, 'utf8')) as Record<string, LeanEntry>;
  const entry = json['Equity-usa-[*]'];
  if (!entry || !Array.isArray(entry.holidays) || typeof entry.earlyCloses !== 'object') {
    throw new Error(`${LEAN.path} has no "Equity-usa-[*]" holidays/earlyCloses lists`);
  }
  return entry;
}

/** LEAN's `M/D/YYYY` (sometimes zero-padded) to `YYYY-MM-DD`. */
function leanDate(s: string): string {
  const [m, d, y] = s.split('/').map(Number) as [number, number, number];
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const inRange = (date: string): boolean => {
  const year = Number(date.slice(0, 4));
  return year >= FIRST_YEAR && year <= LAST_YEAR;
};

function datesInRange(): string[] {
  const out: string[] = [];
  for (let d = `${FIRST_YEAR}-01-01`; d <= `${LAST_YEAR}-12-31`; d = nextDate(d)) out.push(d);
  return out;
}

function compare(lean: Set<string>, ours: Set<string>, expected: ExpectedDifference[]) {
  const sorted = (xs: Iterable<string>) => [...xs].sort();
  expect({
    leanOnly: sorted([...lean].filter((d) => !ours.has(d))),
    oursOnly: sorted([...ours].filter((d) => !lean.has(d))),
  }).toEqual({
    leanOnly: sorted(expected.filter((e) => e.only === 'lean').map((e) => e.date)),
    oursOnly: sorted(expected.filter((e) => e.only === 'ours').map((e) => e.date)),
  });
}

describe.skipIf(LEAN.path === null)(
  `XNYS calendar against the LEAN reference list, 2000-2028${LEAN.reason ? ` (${LEAN.reason})` : ''}`,
  () => {
    it('has the same full-day holidays, modulo the expected-difference table', () => {
      const lean = new Set(loadLean().holidays.map(leanDate).filter(inRange));
      const ours = new Set(
        datesInRange().filter((d) => {
          const reason = xnys.closedReason(d);
          return reason !== null && reason !== 'weekend';
        }),
      );
      compare(lean, ours, EXPECTED_HOLIDAY_DIFFERENCES);
      // Every LEAN-only entry is a day we are closed on anyway.
      for (const e of EXPECTED_HOLIDAY_DIFFERENCES.filter((x) => x.only === 'lean')) {
        expect(xnys.closedReason(e.date)).toBe('weekend');
      }
    });

    it('has the same 13:00 early closes, modulo the expected-difference table', () => {
      const entries = Object.entries(loadLean().earlyCloses);
      for (const [, time] of entries) expect(time).toBe('13:00:00');
      const lean = new Set(entries.map(([d]) => leanDate(d)).filter(inRange));
      const ours = new Set(datesInRange().filter((d) => xnys.sessionOn(d)?.earlyClose));
      compare(lean, ours, EXPECTED_EARLY_CLOSE_DIFFERENCES);
      for (const e of EXPECTED_EARLY_CLOSE_DIFFERENCES.filter((x) => x.only === 'lean')) {
        expect(xnys.sessionOn(e.date)).toBeNull();
      }
    });
  },
);

describe('XNYS sessions across daylight saving', () => {
  it.each([
    // Friday before the March change: still EST.
    ['2024-03-08', '2024-03-08T14:30:00Z', '2024-03-08T21:00:00Z'],
    // Monday after the 2024-03-10 change: EDT.
    ['2024-03-11', '2024-03-11T13:30:00Z', '2024-03-11T20:00:00Z'],
    // Friday before the November change: still EDT.
    ['2024-11-01', '2024-11-01T13:30:00Z', '2024-11-01T20:00:00Z'],
    // Monday after the 2024-11-03 change: EST.
    ['2024-11-04', '2024-11-04T14:30:00Z', '2024-11-04T21:00:00Z'],
  ])('%s opens at %s and closes at %s', (date, open, close) => {
    expect(xnys.sessionOn(date)).toEqual({
      date,
      open: utc(open),
      close: utc(close),
      earlyClose: false,
    });
  });
});

describe('XNYS early closes', () => {
  it('2024-11-29 (day after Thanksgiving) closes at 13:00 ET, last 1m bar at 12:59', () => {
    const s = xnys.sessionOn('2024-11-29')!;
    expect(s.earlyClose).toBe(true);
    expect(s.open).toBe(utc('2024-11-29T14:30:00Z'));
    expect(s.close).toBe(utc('2024-11-29T18:00:00Z'));
    expect(exchangeClock(s.close - 60_000)).toBe('12:59:00');
  });

  it.each([
    ['2024-12-24', '2024-12-24T18:00:00Z'], // Christmas Eve, EST
    ['2024-07-03', '2024-07-03T17:00:00Z'], // day before Independence Day, EDT
    ['2002-07-05', '2002-07-05T17:00:00Z'], // pre-2013 Thursday July 4: the Friday after
    ['2003-12-26', '2003-12-26T18:00:00Z'], // one-off
  ])('%s closes early at %s', (date, close) => {
    const s = xnys.sessionOn(date)!;
    expect(s.earlyClose).toBe(true);
    expect(s.close).toBe(utc(close));
  });

  it('regular days around them close at 16:00', () => {
    for (const date of ['2024-11-27', '2024-12-02', '2024-12-23', '2024-07-02', '2002-07-03']) {
      expect(xnys.sessionOn(date)).toMatchObject({ earlyClose: false, close: et(date, 16) });
    }
  });
});

describe('XNYS closures', () => {
  it.each([
    ['2024-03-29', 'Good Friday'],
    ['2022-06-20', 'Juneteenth National Independence Day'], // Sunday June 19 observed Monday
    ['2025-01-09', 'National Day of Mourning for Jimmy Carter'],
    ['2022-12-26', 'Christmas Day'], // Sunday Christmas observed Monday
    ['2023-01-02', "New Year's Day"], // Sunday New Year observed Monday
    ['2021-12-24', 'Christmas Day'], // Saturday Christmas observed Friday
    ['2027-06-18', 'Juneteenth National Independence Day'], // Saturday observed Friday
    ['2024-01-15', 'Martin Luther King Jr. Day'],
    ['2024-11-28', 'Thanksgiving Day'],
  ])('%s is closed for %s', (date, reason) => {
    expect(xnys.closedReason(date)).toBe(reason);
    expect(xnys.sessionOn(date)).toBeNull();
  });

  it.each(['2024-03-30', '2024-03-31', '2022-01-01', '2021-06-19'])('%s is a weekend', (date) => {
    expect(xnys.closedReason(date)).toBe('weekend');
    expect(xnys.sessionOn(date)).toBeNull();
  });

  it.each([
    ['2021-06-18', 'Juneteenth was first observed in 2022'],
    ['2021-12-31', "a Saturday New Year's Day is not observed on Friday"],
    ['2024-04-01', 'Easter Monday is not an NYSE holiday'],
  ])('%s is open (%s)', (date) => {
    expect(xnys.closedReason(date)).toBeNull();
    expect(xnys.sessionOn(date)).toMatchObject({
      date,
      open: et(date, 9, 30),
      close: et(date, 16),
    });
  });

  it('caches sessions per date', () => {
    expect(xnys.sessionOn('2024-05-01')).toBe(xnys.sessionOn('2024-05-01'));
  });
});

describe('XNYS sessionAfter / sessionsBetween', () => {
  it('skips a weekend', () => {
    expect(xnys.sessionAfter(et('2024-01-05', 16))?.open).toBe(et('2024-01-08', 9, 30));
    expect(xnys.sessionAfter(et('2024-01-06', 12))?.open).toBe(et('2024-01-08', 9, 30));
  });

  it('skips a holiday and the weekend after it', () => {
    expect(xnys.sessionAfter(et('2024-03-28', 16))?.date).toBe('2024-04-01');
  });

  it('returns the current session while it is open, and the next one at its close', () => {
    expect(xnys.sessionAfter(et('2024-01-05', 9, 0))?.open).toBe(et('2024-01-05', 9, 30));
    expect(xnys.sessionAfter(et('2024-01-05', 12))?.close).toBe(et('2024-01-05', 16));
    expect(xnys.sessionAfter(et('2024-11-29', 13))?.open).toBe(et('2024-12-02', 9, 30));
  });

  it('answers from its last session exactly as a fresh search would, in any order of asks', () => {
    const calendar = new XnysCalendar();
    const oracle = (t: number) => {
      // Brute force: every date from two days before to two weeks after, the first close after t.
      let date = new Date(t - 2 * 86_400_000).toISOString().slice(0, 10);
      for (let i = 0; i < 16; i++, date = nextDate(date)) {
        const session = new XnysCalendar().sessionOn(date);
        if (session && session.close > t) return session.date;
      }
      return null;
    };
    const times: number[] = [];
    // Every 7 minutes over a holiday week, pre-market and nights included, then a jump back.
    for (let t = utc('2024-03-26T00:00:00Z'); t < utc('2024-04-03T00:00:00Z'); t += 7 * 60_000) {
      times.push(t);
    }
    times.push(
      et('2024-03-27', 4),
      et('2024-03-27', 9, 29),
      et('2024-03-26', 12),
      et('2024-03-27', 16),
    );
    for (const t of times) expect(calendar.sessionAfter(t)?.date ?? null, toIso(t)).toBe(oracle(t));
  });

  it('lists the sessions overlapping a range across a holiday and a weekend', () => {
    const dates = xnys
      .sessionsBetween(et('2024-03-27', 12), et('2024-04-02', 9, 30))
      .map((s) => s.date);
    // 04-02 opens exactly at the range end, so it does not overlap.
    expect(dates).toEqual(['2024-03-27', '2024-03-28', '2024-04-01']);
    expect(xnys.sessionsBetween(et('2024-03-29', 0), et('2024-03-31', 23))).toEqual([]);
    expect(xnys.sessionsBetween(et('2024-01-05', 16), et('2024-01-08', 9, 30))).toEqual([]);
    expect(xnys.sessionsBetween(et('2024-01-08', 12), et('2024-01-08', 11))).toEqual([]);
  });

  it('openMillisBetween counts only open market: Fri 15:00 to Mon 10:00 ET is 1h30', () => {
    const ninetyMin = 90 * 60_000;
    expect(openMillisBetween(xnys, et('2024-01-05', 15), et('2024-01-08', 10))).toBe(ninetyMin);
    // Over Good Friday: Thursday 15:00 to Monday 10:00.
    expect(openMillisBetween(xnys, et('2024-03-28', 15), et('2024-04-01', 10))).toBe(ninetyMin);
    // From 12:00 on a 13:00 half day to Monday 10:00.
    expect(openMillisBetween(xnys, et('2024-11-29', 12), et('2024-12-02', 10))).toBe(ninetyMin);
  });
});

describe('24x7 calendar', () => {
  const always = calendarFor('24x7');

  it('has a 00:00-24:00 UTC session on every date, never closed', () => {
    for (let d = '2023-12-30'; d <= '2025-01-02'; d = nextDate(d)) {
      expect(always.sessionOn(d)).toEqual({
        date: d,
        open: utc(`${d}T00:00:00Z`),
        close: utc(`${d}T00:00:00Z`) + 86_400_000,
        earlyClose: false,
      });
      expect(always.closedReason(d)).toBeNull();
    }
  });

  it('sessionAfter holds the instant; sessionsBetween lists each touched date', () => {
    const t = utc('2024-03-10T07:15:00Z');
    expect(always.sessionAfter(t)).toMatchObject({ date: '2024-03-10' });
    expect(always.sessionAfter(utc('2024-03-11T00:00:00Z'))).toMatchObject({ date: '2024-03-11' });
    const dates = always
      .sessionsBetween(utc('2024-02-28T12:00:00Z'), utc('2024-03-02T00:00:00Z'))
      .map((s) => s.date);
    expect(dates).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(
      openMillisBetween(always, utc('2024-03-08T20:00:00Z'), utc('2024-03-11T20:00:00Z')),
    ).toBe(3 * 86_400_000);
  });
});

describe('calendarFor', () => {
  it('returns one shared instance per name', () => {
    expect(calendarFor('XNYS')).toBeInstanceOf(XnysCalendar);
    expect(calendarFor('XNYS')).toBe(calendarFor('XNYS'));
    expect(calendarFor('24x7')).toBeInstanceOf(AlwaysOpenCalendar);
    expect(calendarFor('24x7')).toBe(calendarFor('24x7'));
    expect(calendarFor('XNYS').timeZone).toBe('America/New_York');
    expect(calendarFor('24x7').timeZone).toBe('UTC');
  });
});
