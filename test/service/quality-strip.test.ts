import { describe, expect, it } from 'vitest';
import { BAR_FIELDS } from '../../src/shared/stream-types';
import { calendarFor } from '../../src/shared/market/calendars';
import { ColumnStore, FLAG_SYNTHETIC } from '../../src/main/engine/column-store';
import type { Gap } from '../../src/main/engine/upkeep/gap-tracker';
import {
  CELL_MISSING,
  CELL_PARTIAL,
  CELL_PRESENT,
  CELL_REFILLED,
  qualityStrip,
} from '../../src/main/service/quality-strip';

const OPEN = Date.parse('2024-03-04T14:30:00Z');
const MIN = 60_000;

function gap(start: number, end: number, filled: number): Gap {
  return {
    symbol: 'X',
    interval: '1s',
    start,
    end,
    expected: (end - start) / 1000,
    filled,
    attempts: 1,
    pendingFrom: end,
    outcome: filled > 0 ? 'filled' : 'missing',
    nextAttemptAt: 0,
  };
}

describe('quality strip', () => {
  it('marks each finished regular-hours minute present, partial, missing or refilled', () => {
    const bars = new ColumnStore(BAR_FIELDS);
    const second = (t: number, flags = 0): void => bars.append(t, [1, 1, 1, 1, 1], flags);
    // Minute 0 complete; minute 1 half; minute 2 empty; minute 3 complete after a refill;
    // minute 4 only synthetic (fill-forward) bars; minute 5 still running at the clock.
    for (let s = 0; s < 60; s++) second(OPEN + s * 1000);
    for (let s = 0; s < 30; s++) second(OPEN + MIN + s * 1000);
    for (let s = 0; s < 60; s++) second(OPEN + 3 * MIN + s * 1000);
    for (let s = 0; s < 60; s++) second(OPEN + 4 * MIN + s * 1000, FLAG_SYNTHETIC);
    for (let s = 0; s < 10; s++) second(OPEN + 5 * MIN + s * 1000);
    const strip = qualityStrip({
      symbol: 'X',
      baseInterval: '1s',
      bars,
      gaps: [gap(OPEN + 3 * MIN, OPEN + 3 * MIN + 20_000, 20)],
      calendar: calendarFor('XNYS'),
      from: OPEN - 3_600_000,
      to: OPEN + 5 * MIN + 10_000,
    });
    expect(strip.minutes).toEqual([0, 1, 2, 3, 4].map((m) => OPEN + m * MIN));
    expect(strip.states).toEqual([
      CELL_PRESENT,
      CELL_PARTIAL,
      CELL_MISSING,
      CELL_REFILLED,
      CELL_MISSING,
    ]);
  });

  it('marks refilled minutes as a scan of every gap would, over two days of many gaps', () => {
    // Every minute complete (1m bars), and gaps of 1-300 s anywhere, half of them refilled:
    // some inside a minute, some across minute ends, some into the next day's open.
    const XNYS = calendarFor('XNYS');
    const tuesday = XNYS.sessionAfter(OPEN + 86_400_000 - 1)!;
    const bars = new ColumnStore(BAR_FIELDS);
    for (const session of [XNYS.sessionAfter(OPEN - 1)!, tuesday]) {
      for (let t = session.open; t < session.close; t += MIN) bars.append(t, [1, 1, 1, 1, 1]);
    }
    let x = 11;
    const next = (): number => (x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32;
    const gaps: Gap[] = [];
    for (let t = OPEN; t < tuesday.close;) {
      t += 1000 * Math.floor(1 + next() * 900);
      const end = t + 1000 * Math.floor(1 + next() * 300);
      gaps.push(gap(t, end, next() < 0.5 ? 1 : 0));
      t = end;
    }
    expect(gaps.filter((g) => g.filled > 0).length).toBeGreaterThan(20);
    const strip = qualityStrip({
      symbol: 'X',
      baseInterval: '1m',
      bars,
      gaps,
      calendar: XNYS,
      from: OPEN,
      to: tuesday.close,
    });
    const expected = strip.minutes.map((m) =>
      gaps.some((g) => g.filled > 0 && g.start < m + MIN && g.end > m)
        ? CELL_REFILLED
        : CELL_PRESENT,
    );
    expect(strip.minutes.length).toBe(780);
    expect(strip.states).toEqual(expected);
    expect(strip.states.filter((c) => c === CELL_REFILLED).length).toBeGreaterThan(20);
  });

  it('skips the night and the weekend, and counts 1m bars one a minute', () => {
    const bars = new ColumnStore(BAR_FIELDS);
    const fridayClose = Date.parse('2024-03-01T21:00:00Z');
    bars.append(fridayClose - MIN, [1, 1, 1, 1, 1]);
    bars.append(OPEN, [1, 1, 1, 1, 1]);
    const strip = qualityStrip({
      symbol: 'X',
      baseInterval: '1m',
      bars,
      gaps: [],
      calendar: calendarFor('XNYS'),
      from: fridayClose - 2 * MIN,
      to: OPEN + 2 * MIN,
    });
    expect(strip.minutes).toEqual([fridayClose - 2 * MIN, fridayClose - MIN, OPEN, OPEN + MIN]);
    expect(strip.states).toEqual([CELL_MISSING, CELL_PRESENT, CELL_PRESENT, CELL_MISSING]);
  });
});
