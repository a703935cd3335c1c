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

/** One formatter for every line: `toLocaleString` makes a new one per number. */
const COUNT = new Intl.NumberFormat('en-US');

/** Per series: gaps settled in the cycle, refilled or not, and the bars still missing. */
interface SeriesCount {
  filled: number;
  unfilled: number;
  missingBars: number;
}

export class GapLogBatch {
  /**
   * The cycle's counts, kept as gaps come rather than the gaps themselves: sparse 1s data
   * settles about 3 M gaps over 50 symbol-months, and a copy of each was most of the app's
   * time on such a replay.
   */
  private count = 0;
  /** The gap with the most bars still missing (the earliest on a tie); the only one of one. */
  private largest: SettledGap | null = null;
  private unfilled = false;
  private bySeries = new Map<string, SeriesCount>();

  /** `zone`: an IANA zone, the session's (UTC for a 24x7 session, else New York). */
  constructor(private readonly zone: string = EXCHANGE_TZ) {}

  add(gap: Readonly<SettledGap>): void {
    this.count++;
    const key = `${gap.symbol} ${gap.interval}`;
    let entry = this.bySeries.get(key);
    if (!entry) this.bySeries.set(key, (entry = { filled: 0, unfilled: 0, missingBars: 0 }));
    if (gap.outcome === 'filled') entry.filled += 1;
    else {
      entry.unfilled += 1;
      this.unfilled = true;
    }
    entry.missingBars += Math.max(0, gap.expected - gap.filled);
    const largest = this.largest;
    if (!largest || gap.expected - gap.filled > largest.expected - largest.filled) {
      this.largest = { ...gap };
    }
  }

  /** Forgets the cycle's gaps without a line (a replay the Log has already told). */
  discard(): void {
    this.reset();
  }

  /** The cycle's line (null when nothing settled), and a fresh start for the next cycle. */
  flush(): GapLogLine | null {
    const { count, largest, bySeries, unfilled } = this;
    this.reset();
    if (count === 0) return null;
    if (count === 1) return one(largest!, this.zone);
    const n = (v: number): string => COUNT.format(v);
    const parts = [...bySeries].map(
      ([key, e]) =>
        `${key}: ${n(e.filled + e.unfilled)} (${n(e.filled)} refilled, ${n(e.missingBars)} bars still missing)`,
    );
    return {
      level: unfilled ? 'warn' : 'info',
      message:
        `Upkeep: ${n(count)} gaps settled: ${parts.join('; ')}. Largest: ` +
        `${largest!.symbol} ${span(largest!, this.zone)}, ${largest!.filled} of ${largest!.expected} bars.`,
    };
  }

  private reset(): void {
    this.count = 0;
    this.largest = null;
    this.unfilled = false;
    this.bySeries = new Map();
  }
}
