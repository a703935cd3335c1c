/**
 * Turns the session's strategy runner into TradingUpdates: what is new since the last one
 * (fills, equity points, plot points), and positions and stats when asked (at the stats
 * cadence), so a frame stays small however long the session has run.
 */
import type {
  PlotPoints,
  PositionInfo,
  TradingStats,
  TradingUpdate,
} from '../../shared/strategy/trading-contract';
import type { StrategyRunner } from '../engine/strategy/strategy-runner';

export class TradingFeed {
  private sentFills = 0;
  private sentEquity = 0;
  private sentOrders = -1;
  private readonly sentPlots = new Map<string, number>();

  private readonly strategy: TradingUpdate['strategy'];

  constructor(private readonly runner: StrategyRunner) {
    this.strategy = runner.report().strategy;
  }

  /** Everything so far, and the cursors moved to the end. */
  snapshot(): TradingUpdate {
    this.sentFills = 0;
    this.sentEquity = 0;
    this.sentOrders = -1;
    this.sentPlots.clear();
    return this.next(true);
  }

  /** What is new; `withStats` adds positions and stats. */
  next(withStats: boolean): TradingUpdate {
    const runner = this.runner;
    const fills = runner.broker.fills.slice(this.sentFills);
    this.sentFills = runner.broker.fills.length;
    const update: TradingUpdate = { fills, strategy: this.strategy };
    const curve = runner.curve;
    if (curve.length > 0) {
      // The last point sent may have moved on within its minute: send it again.
      const from = Math.max(0, Math.min(this.sentEquity, curve.length) - 1);
      if (curve.length > this.sentEquity || withStats) {
        update.equity = {
          time: Array.from(curve.time.subarray(from, curve.length)),
          equity: Array.from(curve.equity.subarray(from, curve.length)),
        };
      }
      this.sentEquity = curve.length;
    }
    const plots: PlotPoints[] = [];
    for (const [key, line] of runner.plots.lines) {
      const sent = this.sentPlots.get(key) ?? 0;
      if (line.time.length <= sent) continue;
      const from = Math.max(0, sent - 1);
      plots.push({
        symbol: line.symbol,
        name: line.name,
        color: line.color,
        time: line.time.slice(from),
        value: line.value.slice(from),
      });
      this.sentPlots.set(key, line.time.length);
    }
    if (plots.length > 0) update.plots = plots;
    if (runner.broker.ordersVersion !== this.sentOrders) {
      update.orders = runner.broker.orders();
      this.sentOrders = runner.broker.ordersVersion;
    }
    // Positions are cheap and follow every fill; the stats (the whole report) wait for the
    // stats cadence, so a strategy filling every frame does not rebuild them every frame.
    if (withStats || fills.length > 0) update.positions = positions(runner);
    if (withStats) update.stats = stats(runner);
    if (runner.failed) update.error = runner.failed.message;
    return update;
  }
}

function positions(runner: StrategyRunner): PositionInfo[] {
  const out: PositionInfo[] = [];
  for (const book of runner.broker.books.values()) {
    const p = book.position;
    if (p.position === 0 && p.realized === 0 && p.fees === 0) continue;
    out.push({
      symbol: book.symbol,
      position: p.position,
      avg_price: p.position === 0 ? null : p.avgPrice,
      mark: Number.isFinite(book.mark) ? book.mark : null,
      unrealized_pnl: Number.isFinite(book.mark) ? p.unrealized(book.mark) : 0,
      realized_pnl: p.realized,
    });
  }
  return out;
}

function stats(runner: StrategyRunner): TradingStats {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { trades, daily, per_symbol, strategy, execution, ...headline } = runner.report();
  return headline;
}
