/**
 * The backtest report (`--report`, the Performance panel): every figure computed once here
 * from the fill ledger, the round trips, the equity curve and the open positions.
 *
 *   net_pnl          = ending_equity - initial_cash = realized_pnl + unrealized_pnl - fees
 *   return_pct       = net_pnl / initial_cash × 100
 *   max_drawdown_pct = deepest fall of equity below its running peak, % of the peak
 *   sharpe           = mean / sample stdev of daily returns × √252 (null under 5 days)
 *   exposure_pct     = % of minutes with data spent holding any position
 */
import type { ExecutionConfig } from '../execution-config';
import type { Fill, StrategyParams } from '../types';
import { dailyReturns, sharpe, type DailyReturn } from './daily-returns';
import type { RoundTrip } from './round-trips';
import { tradeStats } from './trade-stats';

export interface SymbolState {
  symbol: string;
  position: number;
  /** NaN when flat. */
  avg_price: number;
  /** Last mark (quote mid, bar close or trade); NaN before any price. */
  mark: number;
  realized: number;
  fees: number;
}

export interface ReportInput {
  initial_cash: number;
  ending_equity: number;
  fills: readonly Fill[];
  trips: readonly RoundTrip[];
  symbols: readonly SymbolState[];
  max_drawdown_pct: number;
  exposure_pct: number;
  days: readonly { date: string; equity: number }[];
  strategy: { file: string; params: StrategyParams } | null;
  execution: ExecutionConfig;
}

export interface SymbolReport {
  position: number;
  avg_price: number | null;
  mark: number | null;
  realized_pnl: number;
  unrealized_pnl: number;
  fees: number;
  net_pnl: number;
  trades: number;
  win_rate: number | null;
  profit_factor: number | null;
}

export interface BacktestReport {
  initial_cash: number;
  ending_equity: number;
  net_pnl: number;
  realized_pnl: number;
  unrealized_pnl: number;
  fees: number;
  return_pct: number;
  max_drawdown_pct: number;
  sharpe: number | null;
  trade_count: number;
  /** Round trips, FIFO, in closing order. */
  trades: RoundTrip[];
  win_rate: number | null;
  profit_factor: number | null;
  avg_win: number | null;
  avg_loss: number | null;
  exposure_pct: number;
  fill_count: number;
  per_symbol: Record<string, SymbolReport>;
  daily: DailyReturn[];
  strategy: { file: string; params: StrategyParams } | null;
  execution: ExecutionConfig;
}

function unrealizedOf(s: SymbolState): number {
  return s.position === 0 || !Number.isFinite(s.mark) ? 0 : (s.mark - s.avg_price) * s.position;
}

export function buildReport(input: ReportInput): BacktestReport {
  const stats = tradeStats(input.trips);
  let realized = 0;
  let unrealized = 0;
  let fees = 0;
  const per_symbol: Record<string, SymbolReport> = {};
  for (const s of input.symbols) {
    const u = unrealizedOf(s);
    realized += s.realized;
    unrealized += u;
    fees += s.fees;
    const own = tradeStats(input.trips.filter((t) => t.symbol === s.symbol));
    per_symbol[s.symbol] = {
      position: s.position,
      avg_price: s.position === 0 ? null : s.avg_price,
      mark: Number.isFinite(s.mark) ? s.mark : null,
      realized_pnl: s.realized,
      unrealized_pnl: u,
      fees: s.fees,
      net_pnl: s.realized + u - s.fees,
      trades: own.trades,
      win_rate: own.win_rate,
      profit_factor: own.profit_factor,
    };
  }
  const daily = dailyReturns(input.initial_cash, input.days);
  const net = input.ending_equity - input.initial_cash;
  return {
    initial_cash: input.initial_cash,
    ending_equity: input.ending_equity,
    net_pnl: net,
    realized_pnl: realized,
    unrealized_pnl: unrealized,
    fees,
    return_pct: (net / input.initial_cash) * 100,
    max_drawdown_pct: input.max_drawdown_pct,
    sharpe: sharpe(daily.map((d) => d.return)),
    trade_count: stats.trades,
    trades: [...input.trips],
    win_rate: stats.win_rate,
    profit_factor: stats.profit_factor,
    avg_win: stats.avg_win,
    avg_loss: stats.avg_loss,
    exposure_pct: input.exposure_pct,
    fill_count: input.fills.length,
    per_symbol,
    daily,
    strategy: input.strategy,
    execution: input.execution,
  };
}
