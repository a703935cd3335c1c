/**
 * Statistics of closed round trips. Each is defined once here, judged on net P&L (after fees).
 */
import type { RoundTrip } from './round-trips';

export interface TradeStats {
  trades: number;
  wins: number;
  losses: number;
  /** wins / trades; null without trades. */
  win_rate: number | null;
  /** Sum of winning P&L / |sum of losing P&L|; null when there is no loss to divide by. */
  profit_factor: number | null;
  /** Mean P&L of winning trips; null without one. */
  avg_win: number | null;
  /** Mean P&L of losing trips (negative); null without one. */
  avg_loss: number | null;
}

export function tradeStats(trips: readonly RoundTrip[]): TradeStats {
  let wins = 0;
  let losses = 0;
  let won = 0;
  let lost = 0;
  for (const t of trips) {
    if (t.pnl > 0) {
      wins++;
      won += t.pnl;
    } else if (t.pnl < 0) {
      losses++;
      lost += t.pnl;
    }
  }
  return {
    trades: trips.length,
    wins,
    losses,
    win_rate: trips.length === 0 ? null : wins / trips.length,
    profit_factor: lost === 0 ? null : won / -lost,
    avg_win: wins === 0 ? null : won / wins,
    avg_loss: losses === 0 ? null : lost / losses,
  };
}
