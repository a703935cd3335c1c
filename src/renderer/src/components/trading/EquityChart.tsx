/** The equity curve with its drawdown below, as one small SVG (points by index: no night gaps). */
const W = 320;
const H = 90;

function path(values: readonly number[], y: (v: number) => number): string {
  const n = values.length;
  let d = '';
  for (let i = 0; i < n; i++) {
    const x = n === 1 ? 0 : (i / (n - 1)) * W;
    d += `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y(values[i]!).toFixed(1)}`;
  }
  return d;
}

export function EquityChart({ equity }: { equity: readonly number[] }) {
  if (equity.length === 0) return <p className="empty">No equity yet.</p>;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of equity) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) {
    hi += 1;
    lo -= 1;
  }
  const dd: number[] = [];
  let peak = -Infinity;
  let deepest = 0;
  for (const v of equity) {
    peak = Math.max(peak, v);
    const d = peak > 0 ? ((peak - v) / peak) * 100 : 0;
    deepest = Math.max(deepest, d);
    dd.push(d);
  }
  const ddMax = Math.max(deepest, 1e-9);
  return (
    <svg
      className="equity-chart"
      viewBox={`0 0 ${W} ${H + 34}`}
      role="img"
      aria-label="Equity curve and drawdown"
    >
      <path
        className="equity-line"
        d={path(equity, (v) => 4 + (1 - (v - lo) / (hi - lo)) * (H - 8))}
      />
      <path
        className="drawdown-area"
        d={`${path(dd, (v) => H + 2 + (v / ddMax) * 30)}L${W},${H + 2}L0,${H + 2}Z`}
      />
    </svg>
  );
}
