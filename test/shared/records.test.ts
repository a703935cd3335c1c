import { describe, expect, it } from 'vitest';
import { BarDataSchema, QuoteSchema, TickSchema } from '../../src/shared/records';

const bar = {
  timestamp: 1_704_205_800_000,
  symbol: 'AAPL',
  open: 10,
  high: 11,
  low: 9,
  close: 10.5,
  volume: 100,
};

describe('records', () => {
  it('a bar without an interval is an old 1m bar', () => {
    expect(BarDataSchema.parse(bar).interval).toBe('1m');
    expect(BarDataSchema.parse({ ...bar, interval: '1s' }).interval).toBe('1s');
  });

  it.each([
    [{ open: 0 }, 'open'],
    [{ close: -1 }, 'close'],
    [{ volume: -1 }, 'volume'],
    [{ high: 10.2 }, 'high'],
    [{ low: 10.2 }, 'low'],
    [{ interval: '7m' }, 'interval'],
    [{ open: Number.NaN }, 'open'],
  ])('refuses %j, naming the field', (patch, field) => {
    const result = BarDataSchema.safeParse({ ...bar, ...patch });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path[0])).toContain(field);
  });

  it('accepts valid quotes and ticks and refuses bad ones', () => {
    expect(
      QuoteSchema.safeParse({ timestamp: 1, bid: 1, ask: 1.01, bid_size: 1, ask_size: 0 }).success,
    ).toBe(true);
    expect(
      QuoteSchema.safeParse({ timestamp: 1, bid: 0, ask: 1.01, bid_size: 1, ask_size: 0 }).success,
    ).toBe(false);
    expect(TickSchema.safeParse({ timestamp: 1, price: 5, size: 10 }).success).toBe(true);
    expect(TickSchema.safeParse({ timestamp: 1, price: 5, size: -1 }).success).toBe(false);
  });
});
