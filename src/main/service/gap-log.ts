/**
 * The Log's account of refilled and missing gaps: one line per upkeep cycle, however many gaps
 * settled in it (sparse 1s data settles thousands, which used to fill the Log to its cap). A
 * single gap keeps its own detailed line; many are counted per symbol, with the largest named.
 */
import { zoneName } from '../../shared/session-zone';
import { EXCHANGE_TZ, exchangeClock, exchangeDate } from '../../shared/time';

/** What the log needs of an upkeep gap. */
export interface SettledGap {
  symbol: string;
  interval: string;
  start: number;
  end: number;
  expected: number;
  filled: number;
  attempts: number;
  outcome: 'pending' | 'filled' | 'partial' | 'missing';
  lastError?: string;
}

export interface GapLogLine {
  level: 'info' | 'warn';
  message: string;
}

/** `2024-03-04 10:15:03–10:15:09 New York`, in the session's zone (session-zone.ts). */
function span(gap: SettledGap, zone: string): string {
  const from = `${exchangeDate(gap.start, zone)} ${exchangeClock(gap.start, zone)}`;
  return `${from}–${exchangeClock(gap.end, zone)} ${zoneName(zone)}`;
}

function one(gap: SettledGap, zone: string): GapLogLine {
  const what =
    `${gap.symbol} ${gap.interval}: gap ${span(gap, zone)}, ${gap.filled} of ${gap.expected} bars ` +
    `refilled after ${gap.attempts} attempt(s)`;
  if (gap.outcome === 'filled') return { level: 'info', message: `${what}.` };
  return {
    level: 'warn',
    message: `${what}${gap.lastError ? ` (last error: ${gap.lastError})` : ''}.`,
  };
}

export class GapLogBatch {
  private gaps: SettledGap[] = [];

  /** `zone`: an IANA zone, the session's (UTC for a 24x7 session, else New York). */
  constructor(private readonly zone: string = EXCHANGE_TZ) {}

  add(gap: Readonly<SettledGap>): void {
    this.gaps.push({ ...gap });
  }

  /** Forgets the cycle's gaps without a line (a replay the Log has already told). */
  discard(): void {
    this.gaps = [];
  }

  /** The cycle's line (null when nothing settled), and a fresh start for the next cycle. */
  flush(): GapLogLine | null {
    const gaps = this.gaps;
    this.gaps = [];
    if (gaps.length === 0) return null;
    if (gaps.length === 1) return one(gaps[0]!, this.zone);
    const n = (v: number): string => v.toLocaleString('en-US');
    const bySeries = new Map<string, { filled: number; unfilled: number; missingBars: number }>();
    let largest = gaps[0]!;
    for (const gap of gaps) {
      const key = `${gap.symbol} ${gap.interval}`;
      const entry = bySeries.get(key) ?? { filled: 0, unfilled: 0, missingBars: 0 };
      if (gap.outcome === 'filled') entry.filled += 1;
      else entry.unfilled += 1;
      entry.missingBars += Math.max(0, gap.expected - gap.filled);
      bySeries.set(key, entry);
      if (gap.expected - gap.filled > largest.expected - largest.filled) largest = gap;
    }
    const parts = [...bySeries].map(
      ([key, e]) =>
        `${key}: ${n(e.filled + e.unfilled)} (${n(e.filled)} refilled, ${n(e.missingBars)} bars still missing)`,
    );
    const unfilled = gaps.some((g) => g.outcome !== 'filled');
    return {
      level: unfilled ? 'warn' : 'info',
      message:
        `Upkeep: ${n(gaps.length)} gaps settled: ${parts.join('; ')}. Largest: ` +
        `${largest.symbol} ${span(largest, this.zone)}, ${largest.filled} of ${largest.expected} bars.`,
    };
  }
}
