/**
 * Trading during the replay: manual Buy/Sell/Flatten, positions, performance (equity curve,
 * drawdown and the key stats, live) and the orders & fills list (a row jumps the chart there).
 */
import { formatExchangeClock } from '../../state/exchange-time';
import type { SessionController } from '../../state/session-controller';
import { EquityChart } from './EquityChart';
import { ManualTrade } from './ManualTrade';
import { WorkingOrders } from './WorkingOrders';
import { useTrading } from './use-trading';
import { formatPrice } from '../../../../shared/price-precision';
import { priceDecimals } from '../../state/price-decimals';

/** The latest fills listed; the full ledger is in the report and the --fills file. */
const SHOWN_FILLS = 50;

function money(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

export function TradingPanel({
  controller,
  zone,
  onJump,
}: {
  controller: SessionController;
  zone: string;
  onJump: (symbol: string, time: number) => void;
}) {
  useTrading(controller.trading);
  const t = controller.trading;
  const s = t.stats;
  const recent = t.fills.slice(-SHOWN_FILLS).reverse();
  const stats: [string, string][] = s
    ? [
        ['Equity', money(s.ending_equity)],
        ['Net P&L', money(s.net_pnl)],
        ['Return', `${money(s.return_pct)} %`],
        ['Max drawdown', `${money(s.max_drawdown_pct)} %`],
        ['Trades', String(s.trade_count)],
        ['Win rate', s.win_rate === null ? '—' : `${(s.win_rate * 100).toFixed(1)} %`],
        ['Profit factor', money(s.profit_factor)],
        ['Sharpe', money(s.sharpe)],
        ['Fees', money(s.fees)],
        ['Exposure', `${money(s.exposure_pct, 1)} %`],
      ]
    : [];
  return (
    <section className="panel trading-panel" aria-labelledby="trading-title">
      <h2 id="trading-title">
        Trading <span className="muted">{t.strategy ? t.strategy.file : '(manual)'}</span>
      </h2>
      {t.error && (
        <p className="error" role="alert">
          {t.error}
        </p>
      )}
      <ManualTrade controller={controller} />
      <h3 id="positions-title">Positions</h3>
      {t.positions.length === 0 ? (
        <p className="empty">Flat.</p>
      ) : (
        <table className="data-table" aria-labelledby="positions-title">
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Avg
              </th>
              <th scope="col" className="num">
                Unrealized
              </th>
              <th scope="col" className="num">
                Realized
              </th>
            </tr>
          </thead>
          <tbody>
            {t.positions.map((p) => (
              <tr key={p.symbol}>
                <th scope="row">{p.symbol}</th>
                <td className="num">{p.position}</td>
                <td className="num">
                  {formatPrice(p.avg_price, priceDecimals(controller.model.stats, p.symbol))}
                </td>
                <td className={`num ${p.unrealized_pnl >= 0 ? 'up' : 'down'}`}>
                  {money(p.unrealized_pnl)}
                </td>
                <td className="num">{money(p.realized_pnl)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3 id="performance-title">Performance</h3>
      <div aria-labelledby="performance-title" className="performance">
        <EquityChart equity={t.equity} />
        <dl className="stats-grid">
          {stats.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </div>
      <h3 id="fills-title">
        Orders &amp; fills <span className="muted">{t.fills.length}</span>
      </h3>
      <WorkingOrders controller={controller} />
      {recent.length === 0 ? (
        <p className="empty">No fills yet.</p>
      ) : (
        <div className="fills-scroll">
          <table className="data-table fills-table" aria-labelledby="fills-title">
            <thead>
              <tr>
                <th scope="col">Time (NY)</th>
                <th scope="col">Symbol</th>
                <th scope="col">Side</th>
                <th scope="col" className="num">
                  Qty
                </th>
                <th scope="col" className="num">
                  Price
                </th>
                <th scope="col" className="num">
                  Fee
                </th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((f, row) => (
                // Keyed by row, not by fill: a strategy filling every bar at 300× brings more
                // than 50 fills per refresh, and keys by fill then made all 50 rows again four
                // times a second; by row, they stay and only their text changes.
                <tr
                  key={row}
                  className="clickable"
                  onClick={() => onJump(f.symbol, f.time)}
                  title="Show on the chart"
                >
                  <td>{formatExchangeClock(f.time, zone)}</td>
                  <th scope="row">{f.symbol}</th>
                  <td className={f.side === 'buy' ? 'up' : 'down'}>{f.side}</td>
                  <td className="num">{f.qty}</td>
                  <td className="num">{money(f.price, 4)}</td>
                  <td className="num">{money(f.fee)}</td>
                  <td>{f.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
