/**
 * The seed plan's session-data table (Symbol | Interval | Bars | Quality), with bid/ask, last
 * close and the derived-bar counts; each symbol's gaps are listed below it and a click jumps
 * the chart to the gap.
 */
import { INTERVALS, type Interval } from '../../../../shared/interval';
import type { GapInfo, SymbolStats } from '../../../../shared/ipc-contract';
import { useSlice } from '../../hooks/use-slice';
import { formatExchangeClock, formatTime, wallParts } from '../../state/exchange-time';
import { formatQuality, qualityBand } from '../../state/quality';
import type { SessionController } from '../../state/session-controller';

interface Props {
  controller: SessionController;
  onJump: (symbol: string, gap: GapInfo) => void;
}

function num(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '—' : value.toFixed(2);
}

function derivedColumns(stats: SymbolStats[]): Interval[] {
  const present = new Set<string>();
  for (const s of stats) for (const k of Object.keys(s.derivedCounts)) present.add(k);
  return INTERVALS.filter((i) => present.has(i));
}

function gapLabel(gap: GapInfo): string {
  const end = formatTime(wallParts(gap.end));
  return `${formatExchangeClock(gap.start)}–${end}`;
}

export function SessionDataPanel({ controller, onJump }: Props) {
  useSlice(controller.model, 'stats');
  useSlice(controller.model, 'info');
  const { stats, info } = controller.model;
  const computed = (symbol: string, interval: Interval): boolean =>
    info?.symbols.find((s) => s.symbol === symbol)?.derivedIntervals.includes(interval) ?? true;
  const derived = derivedColumns(stats);
  return (
    <section className="panel" aria-labelledby="session-data-title">
      <h2 id="session-data-title">Session data</h2>
      {stats.length === 0 ? (
        <p className="empty">No session yet.</p>
      ) : (
        <table className="data-table" aria-labelledby="session-data-title">
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Interval</th>
              <th scope="col" className="num">
                Bars
              </th>
              <th scope="col" className="num">
                Quality
              </th>
              <th scope="col" className="num">
                Bid
              </th>
              <th scope="col" className="num">
                Ask
              </th>
              <th scope="col" className="num">
                Last
              </th>
              {derived.map((i) => (
                <th scope="col" className="num" key={i}>
                  {i} bars
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {stats.map((s) => (
              <tr key={s.symbol}>
                <th scope="row">{s.symbol}</th>
                <td>{s.baseInterval ?? '—'}</td>
                <td className="num">{s.bars.toLocaleString('en-US')}</td>
                <td
                  className={`num quality quality-${qualityBand(s.quality)}`}
                  title={s.qualityNote ?? undefined}
                >
                  {formatQuality(s.quality)}
                </td>
                <td className="num">{num(s.bid)}</td>
                <td className="num">{num(s.ask)}</td>
                <td className="num">{num(s.lastClose)}</td>
                {derived.map((i) => (
                  <td className="num" key={i}>
                    {computed(s.symbol, i)
                      ? (s.derivedCounts[i] ?? 0).toLocaleString('en-US')
                      : '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {stats.some((s) => s.gaps.length > 0) && (
        <div className="gaps">
          <h3>Gaps</h3>
          <ul>
            {stats.flatMap((s) =>
              s.gaps.map((gap) => (
                <li key={`${s.symbol}-${gap.start}`}>
                  <button
                    type="button"
                    className={`gap gap-${gap.outcome}`}
                    title="Show this gap on the chart"
                    onClick={() => onJump(s.symbol, gap)}
                  >
                    {s.symbol} {gapLabel(gap)} · {gap.outcome}
                    {gap.attempts > 0
                      ? ` after ${gap.attempts} tr${gap.attempts === 1 ? 'y' : 'ies'}`
                      : ''}
                    {` · ${gap.filled}/${gap.expected} bars`}
                  </button>
                </li>
              )),
            )}
          </ul>
        </div>
      )}
      {stats.some((s) => s.qualityNote) && (
        <ul className="notes">
          {stats
            .filter((s) => s.qualityNote)
            .map((s) => (
              <li key={s.symbol}>{s.qualityNote}</li>
            ))}
        </ul>
      )}
    </section>
  );
}
