/**
 * The session config's `strategy` and `execution` sections: which strategy file runs with
 * which params, and how the simulated broker fills (each part of the fill model configurable).
 */
import { z } from 'zod';

/** A strategy file name inside `<data>/strategies/`: no folders, a .ts/.js/.mjs/.mts file. */
export const STRATEGY_FILE_PATTERN = /^[\w][\w .-]*\.(ts|mts|js|mjs)$/;

export const StrategyConfigSchema = z.strictObject({
  file: z
    .string()
    .trim()
    .regex(
      STRATEGY_FILE_PATTERN,
      'Expected a file name in data/strategies/ ending in .ts, .mts, .js or .mjs (no folders)',
    ),
  /** Checked against the strategy's declared params once the file is loaded. */
  params: z.record(z.string(), z.union([z.number(), z.boolean(), z.string()])).default({}),
});
export type StrategyConfig = z.output<typeof StrategyConfigSchema>;

const money = z.number().finite().nonnegative();

export const CommissionSchema = z.strictObject({
  per_share: money.default(0),
  per_order: money.default(0),
  /** The least a fill costs when it costs anything. */
  minimum: money.default(0),
});

export const ExecutionConfigSchema = z.strictObject({
  /** An order becomes active this long after it is placed. */
  latency_ms: z.number().int().nonnegative().max(86_400_000).default(0),
  commission: CommissionSchema.prefault({}),
  /** Market and stop fills move this many basis points against the order. */
  slippage_bps: z.number().finite().nonnegative().max(10_000).default(0),
  initial_cash: z.number().finite().positive().default(100_000),
  /** A fill takes at most the quoted size; the rest waits for later quotes. */
  respect_quote_size: z.boolean().default(false),
});
export type ExecutionConfig = z.output<typeof ExecutionConfigSchema>;

export const DEFAULT_EXECUTION: ExecutionConfig = ExecutionConfigSchema.parse({});
