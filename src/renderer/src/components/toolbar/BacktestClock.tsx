import { formatExchangeClock, formatUtc, zoneAbbreviation } from '../../state/exchange-time';

/** The backtest clock in the display zone with the date; the exact UTC value on hover. */
export function BacktestClock({ clock, zone: tz }: { clock: number | null; zone?: string }) {
  const zone = clock === null ? '' : ` ${zoneAbbreviation(clock, tz)}`;
  return (
    <div
      className="backtest-clock"
      role="timer"
      aria-label="Backtest clock"
      title={formatUtc(clock)}
      data-clock={clock ?? ''}
    >
      {formatExchangeClock(clock, tz)}
      <span className="clock-zone">{zone}</span>
    </div>
  );
}
