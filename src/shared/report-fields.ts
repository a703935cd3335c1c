/**
 * Kept apart from the sweep spec's schema so that a sweep worker, which only copies these
 * fields out of a report, does not load zod (docs/sweeps.md).
 */

/** The report's scalar fields, one column each in the results and each a valid `rank_by`. */
export const REPORT_FIELDS = [
  'net_pnl',
  'realized_pnl',
  'unrealized_pnl',
  'fees',
  'return_pct',
  'max_drawdown_pct',
  'sharpe',
  'trade_count',
  'win_rate',
  'profit_factor',
  'avg_win',
  'avg_loss',
  'exposure_pct',
  'fill_count',
  'initial_cash',
  'ending_equity',
] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];
