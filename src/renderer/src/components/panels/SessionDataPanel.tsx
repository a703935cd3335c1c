/**
 * The seed plan's session-data table (Symbol | Interval | Bars | Quality), with bid/ask, last
 * close and the derived-bar counts; each symbol's gaps are listed below it and a click jumps
 * the chart to the gap.
 */
import { mostlyNoTradeSeconds, summariseGaps } from '../../../../shared/gap-summary';
import { INTERVALS, type Interval } from '../../../../shared/interval';
import type { GapInfo, SymbolStats } from '../../../../shared/ipc-contract';
import { formatPrice } from '../../../../shared/price-precision';
import { useSlice } from '../../hooks/use-slice';
import { formatExchangeClock, formatTime, wallParts } from '../../state/exchange-time';
import { formatQuality, qualityBand } from '../../state/quality';
import type { SessionController } from '../../state/session-controller';

interface Props {
  controller: SessionController;
  /** The clock's zone (display-zone.ts): gap times read as the clock and the axes do. */
  zone: string;
  onJump: (symbol: string, gap: GapInfo) => void;
}

function derivedColumns(stats: SymbolStats[]): Interval[] {
  const present = new Set<string>();
  for (const s of stats) for (const k of Object.keys(s.derivedCounts)) present.add(k);
  return INTERVALS.filter((i) => present.has(i));
}

/**
 * `AAPL 1s: 6,688 gaps, 9,120 bars missing (4,210 refilled gaps) · most are no-trade seconds ·
 * largest:` — the strip below the chart carries the detail.
 */
export function gapSummaryText(s: SymbolStats): string {
  const summary = s.gapSummary ?? summariseGaps(s.gaps);
  const n = (v: number): string => v.toLocaleString('en-US');
  const parts = [
    `${s.symbol}${s.baseInterval ? ` ${s.baseInterval}` : ''}: ${n(summary.count)} gap${
      summary.count === 1 ? '' : 's'
    }, ${n(summary.missingBars)} bar${summary.missingBars === 1 ? '' : 's'} missing`,
  ];
  if (summary.filled > 0) parts.push(`${n(summary.filled)} refilled`);
  if (summary.pending > 0) parts.push(`${n(summary.pending)} pending`);
  if (mostlyNoTradeSeconds(summary, s.baseInterval)) {
    parts.push('most are no-trade seconds (nobody traded), not lost data');
  }
  const shown = s.gaps.length < summary.count ? `largest ${s.gaps.length}:` : '';
  return `${parts.join(' · ')}${shown ? ` · ${shown}` : ''}`;
}

/** `2024-03-04 10:15:03–10:15:09` in `zone`. */
export function gapLabel(gap: Pick<GapInfo, 'start' | 'end'>, zone: string): string {
  const end = formatTime(wallParts(gap.end, zone));
  return `${formatExchangeClock(gap.start, zone)}–${end}`;
}

export function SessionDataPanel({ controller, zone, onJump }: Props) {
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
                <td className="num" title={heldNote(s.bars, s.heldBars)}>
                  {s.bars.toLocaleString('en-US')}
                </td>
                <td
                  className={`num quality quality-${qualityBand(s.quality)}`}
                  title={s.qualityNote ?? undefined}
                >
                  {formatQuality(s.quality)}
                </td>
                <td className="num">{formatPrice(s.bid, s.pricePrecision)}</td>
                <td className="num">{formatPrice(s.ask, s.pricePrecision)}</td>
                <td className="num">{formatPrice(s.lastClose, s.pricePrecision)}</td>
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
          {stats
            .filter((s) => s.gaps.length > 0)
            .map((s) => (
              <div key={s.symbol} className="gap-symbol">
                <p className="gap-summary">{gapSummaryText(s)}</p>
                <ul aria-label={`${s.symbol} largest gaps`}>
                  {s.gaps.map((gap) => (
                    <li key={gap.start}>
                      <button
                        type="button"
                        className={`gap gap-${gap.outcome}`}
                        title="Show this gap on the chart"
                        onClick={() => onJump(s.symbol, gap)}
                      >
                        {s.symbol} {gapLabel(gap, zone)} · {gap.outcome}
                        {gap.attempts > 0
                          ? ` after ${gap.attempts} tr${gap.attempts === 1 ? 'y' : 'ies'}`
                          : ''}
                        {` · ${gap.filled}/${gap.expected} bars`}
                      </button>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
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

/** Says how many bars are in memory when a bounded session has released some to the store. */
function heldNote(bars: number, held: number | undefined): string | undefined {
  if (held === undefined || held >= bars) return undefined;
  const released = (bars - held).toLocaleString('en-US');
  return (
    `${held.toLocaleString('en-US')} in memory; ${released} of earlier days released ` +
    'to the store, read back when a chart or look-back reaches them'
  );
}
