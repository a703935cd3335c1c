/**
 * What the UI is told about trading during a replay (the strategy's and the manual orders):
 * fills, positions, the equity curve, the key statistics and the strategy's plot lines, sent
 * as what is new since the last update.
 */
import { z } from 'zod';
import type { ParamField } from './params';
import type { BacktestReport } from './stats/backtest-report';
import type { Fill, OrderView, StrategyParams } from './types';

export interface PositionInfo {
  symbol: string;
  position: number;
  avg_price: number | null;
  mark: number | null;
  unrealized_pnl: number;
  realized_pnl: number;
}

/** The report's headline figures (no trade list), for the live Performance panel. */
export type TradingStats = Omit<
  BacktestReport,
  'trades' | 'daily' | 'per_symbol' | 'strategy' | 'execution'
>;

export interface PlotPoints {
  symbol: string;
  name: string;
  color: string | null;
  time: number[];
  value: number[];
}

export interface TradingUpdate {
  /** Fills since the last update (all of them in a snapshot), in fill order. */
  fills: Fill[];
  /** Every open or traded symbol, when anything changed. */
  positions?: PositionInfo[];
  stats?: TradingStats;
  /**
   * Equity points since the last update; the first may repeat the last one sent with a newer
   * value (one point per minute, updated while the minute lasts).
   */
  equity?: { time: number[]; equity: number[] };
  plots?: PlotPoints[];
  /** Every open order (pending or working: resting limits and stops), whenever they changed. */
  orders?: OrderView[];
  /** The strategy running, or null for a replay with manual trading only. */
  strategy: { file: string; params: StrategyParams } | null;
  /** Set once the strategy failed: `file:line: message`. */
  error?: string | null;
}

export interface StrategyListing {
  file: string;
  fields: ParamField[];
  /** Why the file cannot be used (a syntax error, say), or null. */
  error: string | null;
}

export const ManualOrderRequestSchema = z.strictObject({
  symbol: z.string().min(1).max(32),
  /** `flatten` closes the symbol's position (qty is ignored). */
  side: z.enum(['buy', 'sell', 'flatten']),
  qty: z.number().finite().positive().optional(),
});
export type ManualOrderRequest = z.infer<typeof ManualOrderRequestSchema>;

/** Cancels an open order (the strategy's or a manual one) by id. */
export const CancelOrderRequestSchema = z.strictObject({
  orderId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});
export type CancelOrderRequest = z.infer<typeof CancelOrderRequestSchema>;

export interface CancelOrderResponse {
  /** False when the order had already filled or been cancelled. */
  cancelled: boolean;
}

export interface ManualOrderResponse {
  /** Null when flatten found the position already flat. */
  orderId: number | null;
  /** Fills the order made at once (none while it waits for a first price). */
  fills: Fill[];
}
