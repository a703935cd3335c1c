/**
 * Record shapes at the edges (API responses, test assertions, imports). Hot paths keep
 * these as columns; an object is made only where something needs one (docs/design.md §4).
 */
import { z } from 'zod';
import { INTERVALS } from './interval';
import { SYMBOL_PATTERN } from './symbol';

const HIGH_RULE = 'high must be >= max(open, close)';
const LOW_RULE = 'low must be <= min(open, close)';

/**
 * The bar rules of BarDataSchema on plain numbers, for columns (no object per row): the first
 * broken rule in the schema's words, or null.
 */
export function barValuesProblem(
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): string | null {
  if (!(open > 0) || open === Infinity) return 'open must be a positive number';
  if (!(high > 0) || high === Infinity) return 'high must be a positive number';
  if (!(low > 0) || low === Infinity) return 'low must be a positive number';
  if (!(close > 0) || close === Infinity) return 'close must be a positive number';
  if (!Number.isFinite(volume) || volume < 0) return 'volume must be a non-negative number';
  if (high < Math.max(open, close)) return HIGH_RULE;
  if (low > Math.min(open, close)) return LOW_RULE;
  return null;
}

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
    if (bar.high < Math.max(bar.open, bar.close)) {
      ctx.addIssue({ code: 'custom', path: ['high'], message: HIGH_RULE });
    }
    if (bar.low > Math.min(bar.open, bar.close)) {
      ctx.addIssue({ code: 'custom', path: ['low'], message: LOW_RULE });
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
