import { describe, expect, it } from 'vitest';
import {
  crosshairLabel,
  formatExchangeClock,
  formatUtc,
  tickLabel,
  zoneAbbreviation,
} from '../../src/renderer/src/state/exchange-time';
import { startAtToUtc, utcToStartAt } from '../../src/renderer/src/state/start-at';

describe('exchange clock', () => {
  it('shows New York time with the date, in winter (EST) and summer (EDT)', () => {
    expect(formatExchangeClock(Date.UTC(2024, 2, 8, 14, 30, 5))).toBe('2024-03-08 09:30:05');
    expect(zoneAbbreviation(Date.UTC(2024, 2, 8, 14, 30))).toBe('EST');
    // After the 10 March 2024 switch, 09:30 New York is 13:30 UTC.
    expect(formatExchangeClock(Date.UTC(2024, 2, 11, 13, 30, 0))).toBe('2024-03-11 09:30:00');
    expect(zoneAbbreviation(Date.UTC(2024, 2, 11, 13, 30))).toBe('EDT');
  });

  it('gets the hours around the spring-forward and fall-back switches right', () => {
    // 2024-03-10 06:59:59Z is 01:59:59 EST; one second later it is 03:00:00 EDT.
    expect(formatExchangeClock(Date.UTC(2024, 2, 10, 6, 59, 59))).toBe('2024-03-10 01:59:59');
    expect(formatExchangeClock(Date.UTC(2024, 2, 10, 7, 0, 0))).toBe('2024-03-10 03:00:00');
    // 2024-11-03: 01:30 happens twice, once EDT (05:30Z) and once EST (06:30Z).
    expect(formatExchangeClock(Date.UTC(2024, 10, 3, 5, 30))).toBe('2024-11-03 01:30:00');
    expect(formatExchangeClock(Date.UTC(2024, 10, 3, 6, 30))).toBe('2024-11-03 01:30:00');
    expect(zoneAbbreviation(Date.UTC(2024, 10, 3, 6, 30))).toBe('EST');
  });

  it('shows midnight as 00, not 24', () => {
    expect(formatExchangeClock(Date.UTC(2024, 2, 5, 5, 0, 0))).toBe('2024-03-05 00:00:00');
  });

  it('has a placeholder before the first item', () => {
    expect(formatExchangeClock(null)).toBe('—');
    expect(formatUtc(null)).toBe('no clock yet');
  });

  it('gives UTC with milliseconds for the tooltip', () => {
    expect(formatUtc(Date.UTC(2024, 2, 4, 15, 15, 3, 250))).toBe('2024-03-04 15:15:03.250 UTC');
  });
});

describe('chart labels', () => {
  const t = Date.UTC(2024, 2, 4, 14, 35, 7) / 1000;
  it('labels ticks in exchange time by their kind', () => {
    expect(tickLabel(t, 0)).toBe('2024');
    expect(tickLabel(t, 1)).toBe('Mar');
    expect(tickLabel(t, 2)).toBe('4 Mar');
    expect(tickLabel(t, 3)).toBe('09:35');
    expect(tickLabel(t, 4)).toBe('09:35:07');
  });
  it('labels the crosshair with the date, and seconds only for second data', () => {
    expect(crosshairLabel(t, true)).toBe('2024-03-04 09:35:07');
    expect(crosshairLabel(t, false)).toBe('2024-03-04 09:35');
  });
});

describe('Start at', () => {
  it('reads the picker as exchange time, across DST', () => {
    expect(startAtToUtc('2024-03-04T10:00')).toBe(Date.UTC(2024, 2, 4, 15, 0));
    expect(startAtToUtc('2024-03-11T10:00:30')).toBe(Date.UTC(2024, 2, 11, 14, 0, 30));
  });
  it('refuses empty and malformed values', () => {
    expect(startAtToUtc('')).toBeNull();
    expect(startAtToUtc('2024-03-04')).toBeNull();
    expect(startAtToUtc('2024-03-04T25:00')).toBeNull();
  });
  it('round-trips', () => {
    const t = Date.UTC(2024, 6, 1, 17, 45, 12);
    expect(startAtToUtc(utcToStartAt(t))).toBe(t);
    expect(utcToStartAt(t)).toBe('2024-07-01T13:45:12');
  });
  it("reads and shows a round-the-clock session's picker in UTC", () => {
    expect(startAtToUtc('2024-03-04T10:00', 'UTC')).toBe(Date.UTC(2024, 2, 4, 10, 0));
    const t = Date.UTC(2024, 6, 1, 17, 45, 12);
    expect(utcToStartAt(t, 'UTC')).toBe('2024-07-01T17:45:12');
    expect(startAtToUtc(utcToStartAt(t, 'UTC'), 'UTC')).toBe(t);
  });
});
