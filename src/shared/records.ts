/**
 * Record shapes at the edges (API responses, test assertions, imports). Hot paths keep
 * these as columns; an object is made only where something needs one (docs/design.md §4).
 */
import { z } from 'zod';
import { INTERVALS } from './interval';
import { SYMBOL_PATTERN } from './symbol';
import { valueProblemAt } from './market/value-rules';

const epochMs = z.number().int().nonnegative();
const positivePrice = z.number().finite().positive();

export const BarDataSchema = z
  .object({
    /** Bar start, UTC epoch milliseconds. */
    timestamp: epochMs,
    symbol: z.string().regex(SYMBOL_PATTERN),
    /** Absent in old data, which was all 1m. */
    interval: z.enum(INTERVALS).default('1m'),
    open: positivePrice,
    high: positivePrice,
    low: positivePrice,
    close: positivePrice,
    volume: z.number().finite().nonnegative(),
  })
  .superRefine((bar, ctx) => {
    const values = [bar.open, bar.high, bar.low, bar.close, bar.volume];
    const problem = valueProblemAt('bars', (k) => values[k]!);
    if (problem) {
      ctx.addIssue({
        code: 'custom',
        path: [problem.field],
        message: `${problem.field} ${problem.message}`,
      });
    }
  });
export type BarData = z.output<typeof BarDataSchema>;

export const QuoteSchema = z.object({
  timestamp: epochMs,
  bid: positivePrice,
  ask: positivePrice,
  bid_size: z.number().finite().nonnegative(),
  ask_size: z.number().finite().nonnegative(),
});
export type Quote = z.output<typeof QuoteSchema>;

export const TickSchema = z.object({
  timestamp: epochMs,
  price: positivePrice,
  size: z.number().finite().nonnegative(),
});
export type Tick = z.output<typeof TickSchema>;
