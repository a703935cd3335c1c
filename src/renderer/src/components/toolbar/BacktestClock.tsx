import { formatExchangeClock, formatUtc, zoneAbbreviation } from '../../state/exchange-time';

/** The backtest clock in exchange time with the date; the exact UTC value on hover. */
export function BacktestClock({ clock }: { clock: number | null }) {
  const zone = clock === null ? '' : ` ${zoneAbbreviation(clock)}`;
  return (
    <div
      className="backtest-clock"
      role="timer"
      aria-label="Backtest clock"
      title={formatUtc(clock)}
      data-clock={clock ?? ''}
    >
      {formatExchangeClock(clock)}
      <span className="clock-zone">{zone}</span>
    </div>
  );
}
