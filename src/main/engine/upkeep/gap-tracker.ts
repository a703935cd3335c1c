/**
 * Gap detection and bar quality for one symbol, against the exchange calendar (decisions §3).
 * Each scan covers only the span since the last one, so a cycle costs O(new bars), never
 * O(all bars). Expected base bars: every interval of every regular session, 60 a minute for
 * 1s bars and 1 a minute for 1m bars; none on holidays; early closes end at 13:00.
 */
import type { BaseInterval } from '../../../shared/interval';
import { intervalMs } from '../../../shared/interval';
import type { ExchangeCalendar } from '../calendar/exchange-calendar';
import { FLAG_SYNTHETIC, type ColumnStore } from '../column-store';

export type GapOutcome = 'pending' | 'filled' | 'partial' | 'missing';

export interface Gap {
  symbol: string;
  interval: BaseInterval;
  /** [start, end): bar starts, UTC epoch ms. */
  start: number;
  end: number;
  /** Base bars the calendar expects in the range. */
  expected: number;
  /** Of those, how many a refill supplied. */
  filled: number;
  attempts: number;
  outcome: GapOutcome;
  /** Backtest (or wall, live) time of the next attempt. */
  nextAttemptAt: number;
  lastError?: string;
}

export class GapTracker {
  readonly stepMs: number;
  /** Everything before this has been scanned. */
  private checkedTo: number;
  expected = 0;
  present = 0;
  readonly gaps: Gap[] = [];

  constructor(
    readonly symbol: string,
    readonly interval: BaseInterval,
    private readonly calendar: ExchangeCalendar,
    sessionStart: number,
  ) {
    this.stepMs = intervalMs(interval);
    this.checkedTo = sessionStart;
  }

  /** Percent of expected base bars present (synthetic ones excluded), or null before any. */
  get quality(): number | null {
    return this.expected === 0 ? null : (this.present / this.expected) * 100;
  }

  /**
   * Scans expected bar slots that have closed by `horizon` and were not scanned before.
   * Returns the gaps found (a gap touching the previous scan's last gap extends it).
   */
  scan(base: ColumnStore, horizon: number): Gap[] {
    const found: Gap[] = [];
    const step = this.stepMs;
    const ts = base.timestamp;
    const flags = base.flags;
    let resumeAt = horizon;
    for (const session of this.calendar.sessionsBetween(this.checkedTo, horizon)) {
      let slot = Math.max(session.open, this.checkedTo);
      slot = session.open + Math.ceil((slot - session.open) / step) * step;
      const last = Math.min(session.close, horizon);
      let p = base.lowerBound(slot);
      let gap: Gap | null = null;
      for (; slot + step <= last; slot += step) {
        while (p < base.length && ts[p]! < slot) p++;
        this.expected++;
        if (p < base.length && ts[p] === slot && (flags[p]! & FLAG_SYNTHETIC) === 0) {
          this.present++;
          gap = null;
          continue;
        }
        if (gap) {
          gap.end = slot + step;
          gap.expected++;
          continue;
        }
        const previous = this.gaps[this.gaps.length - 1];
        if (previous && previous.end === slot && previous.outcome !== 'filled') {
          gap = previous;
          gap.end = slot + step;
          gap.expected++;
          if (gap.outcome !== 'pending') gap.outcome = 'pending';
          if (!found.includes(gap)) found.push(gap);
          continue;
        }
        gap = {
          symbol: this.symbol,
          interval: this.interval,
          start: slot,
          end: slot + step,
          expected: 1,
          filled: 0,
          attempts: 0,
          outcome: 'pending',
          nextAttemptAt: -Infinity,
        };
        this.gaps.push(gap);
        found.push(gap);
      }
      // A slot still open at the horizon is scanned next time.
      resumeAt = slot + step <= session.close ? slot : horizon;
    }
    this.checkedTo = Math.max(this.checkedTo, resumeAt);
    return found;
  }

  /** Gaps still waiting for an attempt due at or before `asOf`. */
  due(asOf: number): Gap[] {
    return this.gaps.filter((g) => g.outcome === 'pending' && g.nextAttemptAt <= asOf);
  }

  /** Bars that no source had, across finished gaps. */
  get missingBars(): number {
    let n = 0;
    for (const g of this.gaps) if (g.outcome !== 'pending') n += g.expected - g.filled;
    return n;
  }
}
