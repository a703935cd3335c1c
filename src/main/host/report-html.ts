/**
 * The `--report file.html` page: one self-contained file (inline SVG and CSS, no script, no
 * network) with the equity curve and drawdown, daily returns, the stats, the trade list and
 * the config. Charts are drawn here as SVG paths, so the page needs nothing to open.
 */
import type { BacktestReport } from '../../shared/strategy/stats/backtest-report';
import { drawdownSeries } from '../../shared/strategy/stats/drawdown';
import { toIsoMs } from '../../shared/time';

export interface CurvePoints {
  time: ArrayLike<number>;
  equity: ArrayLike<number>;
  length: number;
}

const W = 900;
const H = 220;
const PAD = 72;

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function num(value: number | null, digits = 2): string {
  return value === null || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

/** A line chart of y over points (x = index, so nights and weekends take no room). */
function lineChart(
  values: ArrayLike<number>,
  labels: string[],
  title: string,
  id: string,
  fill: boolean,
): string {
  const n = values.length;
  if (n === 0) return `<p class="empty">${esc(title)}: no data</p>`;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  if (hi === lo) {
    hi += 1;
    lo -= 1;
  }
  const x = (i: number): number => PAD + (n === 1 ? 0 : (i / (n - 1)) * (W - PAD - 8));
  const y = (v: number): number => 8 + (1 - (v - lo) / (hi - lo)) * (H - 36);
  let d = '';
  for (let i = 0; i < n; i++)
    d += `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(values[i]!).toFixed(1)}`;
  const area = fill
    ? `<path d="${d}L${x(n - 1).toFixed(1)},${y(hi).toFixed(1)}L${x(0).toFixed(1)},${y(hi).toFixed(1)}Z" class="area"/>`
    : '';
  const ticks = [hi, (hi + lo) / 2, lo]
    .map(
      (v) =>
        `<text x="${PAD - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${esc(v.toFixed(2))}</text>`,
    )
    .join('');
  const xl = `<text x="${PAD}" y="${H - 6}">${esc(labels[0] ?? '')}</text><text x="${W - 8}" y="${H - 6}" text-anchor="end">${esc(labels[1] ?? '')}</text>`;
  return `<figure><figcaption>${esc(title)}</figcaption><svg id="${id}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${ticks}${xl}${area}<path d="${d}" class="line"/></svg></figure>`;
}

function barChart(values: number[], title: string): string {
  if (values.length === 0) return `<p class="empty">${esc(title)}: no data</p>`;
  const max = Math.max(...values.map(Math.abs), 1e-12);
  const mid = H / 2;
  const step = (W - PAD - 8) / values.length;
  const bars = values
    .map((v, i) => {
      const h = (Math.abs(v) / max) * (mid - 12);
      const yv = v >= 0 ? mid - h : mid;
      return `<rect x="${(PAD + i * step + step * 0.15).toFixed(1)}" y="${yv.toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${h.toFixed(1)}" class="${v >= 0 ? 'up' : 'down'}"/>`;
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg id="daily-returns" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}"><line x1="${PAD}" x2="${W - 8}" y1="${mid}" y2="${mid}" class="axis"/>${bars}</svg></figure>`;
}

export function reportHtml(report: BacktestReport, curve: CurvePoints, config: unknown): string {
  const equity = Array.from({ length: curve.length }, (_, i) => curve.equity[i]!);
  const labels =
    curve.length > 0 ? [toIsoMs(curve.time[0]!), toIsoMs(curve.time[curve.length - 1]!)] : [];
  const dd = Array.from(drawdownSeries(equity), (v) => -v);
  const stats: [string, string][] = [
    ['Initial cash', num(report.initial_cash)],
    ['Ending equity', num(report.ending_equity)],
    ['Net P&L', num(report.net_pnl)],
    ['Return', `${num(report.return_pct)} %`],
    ['Realized P&L', num(report.realized_pnl)],
    ['Unrealized P&L', num(report.unrealized_pnl)],
    ['Fees', num(report.fees)],
    ['Max drawdown', `${num(report.max_drawdown_pct)} %`],
    ['Sharpe (daily, √252)', num(report.sharpe)],
    ['Trades (FIFO round trips)', String(report.trade_count)],
    ['Win rate', report.win_rate === null ? '–' : `${num(report.win_rate * 100, 1)} %`],
    ['Profit factor', num(report.profit_factor)],
    ['Average win', num(report.avg_win)],
    ['Average loss', num(report.avg_loss)],
    ['Exposure', `${num(report.exposure_pct, 1)} %`],
    ['Fills', String(report.fill_count)],
  ];
  const statRows = stats.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
  const symbolRows = Object.entries(report.per_symbol)
    .map(
      ([s, r]) =>
        `<tr><td>${esc(s)}</td><td>${r.position}</td><td>${num(r.avg_price)}</td><td>${num(r.realized_pnl)}</td><td>${num(r.unrealized_pnl)}</td><td>${num(r.fees)}</td><td>${num(r.net_pnl)}</td><td>${r.trades}</td></tr>`,
    )
    .join('');
  const tradeRows = report.trades
    .map(
      (t, i) =>
        `<tr><td>${i + 1}</td><td>${esc(t.symbol)}</td><td>${t.direction}</td><td>${t.qty}</td><td>${esc(toIsoMs(t.entry_time))}</td><td>${num(t.entry_price, 4)}</td><td>${esc(toIsoMs(t.exit_time))}</td><td>${num(t.exit_price, 4)}</td><td class="${t.pnl >= 0 ? 'up' : 'down'}">${num(t.pnl)}</td></tr>`,
    )
    .join('');
  const title = report.strategy ? `Backtest: ${report.strategy.file}` : 'Backtest report';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse}th,td{padding:3px 10px;border-bottom:1px solid #e3e6ec;text-align:right}
th:first-child,td:first-child{text-align:left}
figure{margin:12px 0}figcaption{font-weight:600;margin-bottom:4px}
svg{width:100%;max-width:${W}px;background:#fafbfc;border:1px solid #e3e6ec}
svg text{font-size:11px;fill:#5b6475}.line{fill:none;stroke:#2962ff;stroke-width:1.5}
#drawdown .line{stroke:#d32f2f}.area{fill:rgba(211,47,47,.12)}
.up{fill:#26a69a;color:#1b7f73}.down{fill:#ef5350;color:#c62828}.axis{stroke:#9aa3b2}
pre{background:#f4f6f9;padding:10px;overflow:auto}
</style></head><body>
<h1>${esc(title)}</h1>
${lineChart(equity, labels, 'Equity', 'equity-curve', false)}
${lineChart(dd, labels, 'Drawdown (%)', 'drawdown', true)}
${barChart(
  report.daily.map((d) => d.return * 100),
  'Daily returns (%)',
)}
<h2>Statistics</h2><table id="stats">${statRows}</table>
<h2>Per symbol</h2><table><tr><th>Symbol</th><th>Position</th><th>Avg price</th><th>Realized</th><th>Unrealized</th><th>Fees</th><th>Net</th><th>Trades</th></tr>${symbolRows}</table>
<h2>Trades</h2><table id="trades"><tr><th>#</th><th>Symbol</th><th>Side</th><th>Qty</th><th>Entry time</th><th>Entry</th><th>Exit time</th><th>Exit</th><th>P&amp;L</th></tr>${tradeRows}</table>
<h2>Strategy and params</h2><pre>${esc(JSON.stringify(report.strategy, null, 2))}</pre>
<h2>Execution</h2><pre>${esc(JSON.stringify(report.execution, null, 2))}</pre>
<h2>Session config</h2><pre>${esc(JSON.stringify(config, null, 2))}</pre>
</body></html>
`;
}
