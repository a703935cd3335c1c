import { describe, expect, it } from 'vitest';
import {
  chooseCalendar,
  firstWeekendDate,
  isWeekendDay,
  weekendDates,
} from '../../../src/main/storage/import/calendar-choice';
import { exchangeDate, weekday } from '../../../src/shared/time';

const HOUR = 3_600_000;

describe('choosing a file’s calendar', () => {
  it('takes the given one, then the vendor’s, then the store’s, then the data’s', () => {
    const sample = [Date.parse('2024-03-09T15:00:00Z')]; // a Saturday
    const known = { known: (s: string) => (s === 'AAPL' ? ('XNYS' as const) : undefined) };
    const vendor = { name: '24x7' as const, why: 'LEAN crypto data' };
    expect(chooseCalendar({ given: 'XNYS', vendor, sample }).name).toBe('XNYS');
    expect(chooseCalendar({ vendor, symbol: 'AAPL', context: known })).toBe(vendor);
    expect(chooseCalendar({ symbol: 'AAPL', context: known, sample }).name).toBe('XNYS');
    expect(chooseCalendar({ symbol: 'ETH', context: known, sample })).toMatchObject({
      name: '24x7',
      why: expect.stringContaining('2024-03-09'),
    });
    expect(chooseCalendar({ sample: [Date.parse('2024-03-08T15:00:00Z')] }).name).toBe('XNYS');
    expect(chooseCalendar({ sample: [NaN, Infinity] }).name).toBe('XNYS');
  });

  it('finds weekend rows by their New York date, as brute force over each hour says', () => {
    const from = Date.parse('2023-12-25T00:00:00Z');
    for (let t = from; t < from + 14 * 24 * HOUR; t += HOUR) {
      const date = exchangeDate(t);
      const dow = weekday(date);
      const weekend = dow === 0 || dow === 6;
      expect(firstWeekendDate([t])).toBe(weekend ? date : undefined);
      expect(isWeekendDay(Math.floor((t - 5 * HOUR) / 86_400_000))).toBe(
        [0, 6].includes(new Date(t - 5 * HOUR).getUTCDay()),
      );
    }
    expect(weekendDates(['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11'])).toEqual([
      '2024-03-09',
      '2024-03-10',
    ]);
  });
});
