/**
 * Gap detection and bar quality for one symbol, against the exchange calendar (docs/design.md §3).
 * Each scan covers only the span since the last one, so a cycle costs O(new slots), never
 * O(all bars) or O(all gaps). Expected base bars: every interval of every regular session, 60
 * a minute for 1s bars and 1 a minute for 1m bars; none on holidays; early closes end at 13:00.
 * A gap is a range: consecutive missing slots of one session are one gap, and a later scan that
 * finds the range continuing extends it. Gaps waiting for a refill sit in a queue by due time.
 */
import type { BaseInterval } from '../../../shared/interval';
import { intervalMs } from '../../../shared/interval';
import type { ExchangeCalendar, TradingSession } from '../../../shared/market/exchange-calendar';
import { FLAG_SYNTHETIC, type ColumnStore } from '../column-store';
import type { Gap, GapOutcome } from './gap';
import { RetryQueue } from './retry-queue';

export type { Gap, GapOutcome } from './gap';

export class GapTracker {
  readonly stepMs: number;
  /** Everything before this has been scanned. */
  private checkedTo: number;
  /** The session holding or following `checkedTo` (a cache: calendars compute them). */
  private session: TradingSession | null | undefined;
  expected = 0;
  present = 0;
  /** Bars no source had, across settled gaps (kept as a running count: panels read it often). */
  missingBars = 0;
  /** Rows a fill source answered with that were refused (outside the window, duplicates, bad values). */
  refusedRows = 0;
  /** Every gap, oldest first; filled ranges stay as a record of the refill. */
  readonly gaps: Gap[] = [];
  private readonly retries = new RetryQueue();
  private readonly found: Gap[] = [];
  private readonly attemptNow: Gap[] = [];

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
   * The earliest time a scan could find a new slot closed: the next slot's end in the session
   * under way, or the first slot's end of the next session (Infinity when none follows).
   */
  nextSlotEnd(): number {
    const s = this.sessionFrom(this.checkedTo);
    if (!s) return Infinity;
    return Math.max(s.open, this.checkedTo) + this.stepMs;
  }

  /**
   * Scans expected bar slots that have closed by `horizon` and were not scanned before.
   * Returns the gaps found or extended (valid until the next scan); new and reopened ones are
   * queued for an attempt at once.
   */
  scan(base: ColumnStore, horizon: number): readonly Gap[] {
    // A cycle per minute of a year of 1m bars is 100k scans, most finding nothing: the lists
    // are reused, and the answer is valid until the next scan.
    const found = this.found;
    const attemptNow = this.attemptNow;
    found.length = 0;
    attemptNow.length = 0;
    const step = this.stepMs;
    const ts = base.timestamp;
    const flags = base.flags;
    const n = base.length;
    for (;;) {
      const session = this.sessionFrom(this.checkedTo);
      if (!session || session.open + step > horizon) break;
      const open = session.open;
      const from = open + Math.ceil((Math.max(open, this.checkedTo) - open) / step) * step;
      // Slots closed by the horizon: [from, to), `count` of them.
      const count = Math.max(0, Math.floor((Math.min(session.close, horizon) - from) / step));
      const to = from + count * step;
      // Walk the bars, not the slots: a run between two real bars on the grid is a gap, so a
      // scan costs O(bars + gaps) and sparse data is cheaper, not dearer.
      let cursor = from;
      let present = 0;
      for (let p = base.lowerBound(from); p < n; p++) {
        const t = ts[p]!;
        if (t >= to) break;
        if ((flags[p]! & FLAG_SYNTHETIC) !== 0) continue;
        // The next slot is the usual case; only a bar past it needs the grid check.
        if (t !== cursor) {
          if (t < cursor || (t - open) % step !== 0) continue;
          this.missing(cursor, t, found, attemptNow);
        }
        present++;
        cursor = t + step;
      }
      if (cursor < to) this.missing(cursor, to, found, attemptNow);
      this.expected += count;
      this.present += present;
      if (to + step <= session.close) {
        // A slot still open at the horizon is scanned next time.
        this.checkedTo = to;
        break;
      }
      this.checkedTo = session.close;
    }
    if (this.checkedTo < horizon && !this.sessionOverlaps(horizon)) this.checkedTo = horizon;
    for (const g of attemptNow) this.queue(g, -Infinity);
    return found;
  }

  /** The slots [start, end) are missing: a new range, or more of the last one. */
  private missing(start: number, end: number, found: Gap[], attemptNow: Gap[]): void {
    const gap = this.openAt(start, attemptNow);
    const more = (end - start) / this.stepMs - 1;
    gap.end = end;
    gap.expected += more;
    if (found[found.length - 1] !== gap) found.push(gap);
  }

  /**
   * Base bars from this time on may still be read (slots not scanned yet, gaps not settled),
   * so a bounded session keeps them in memory.
   */
  heldFrom(): number {
    return Math.min(this.checkedTo, this.retries.earliestStart());
  }

  /** Gaps whose attempt is due at or before `asOf`, oldest first. */
  due(asOf: number): readonly Gap[] {
    return this.retries.takeDue(asOf);
  }

  /** When the next queued attempt is due (Infinity when none waits). */
  nextAttemptDue(): number {
    return this.retries.peekDue();
  }

  /** Queues another attempt at `at` (after a failure). */
  retryAt(gap: Gap, at: number): void {
    this.queue(gap, at);
  }

  /**
   * Ends a gap's refill: `filled`, or `missing` with the reason. A settled range that touches a
   * neighbour with the same outcome joins it (a range reopened as it grew can end up beside
   * its own earlier part), so the list stays one record per range. Returns the record that
   * now holds the range.
   */
  settle(gap: Gap, outcome: Exclude<GapOutcome, 'pending'>, reason?: string): Gap {
    if (reason !== undefined) gap.lastError = reason;
    gap.pendingFrom = gap.end;
    this.setOutcome(gap, outcome);
    const at = this.indexOf(gap);
    const before = this.gaps[at - 1];
    let kept = gap;
    if (before && before.end === gap.start && before.outcome === outcome) {
      this.absorb(before, gap, at);
      kept = before;
    }
    const keptAt = kept === gap ? at : at - 1;
    const after = this.gaps[keptAt + 1];
    if (after && after.start === kept.end && after.outcome === outcome) {
      this.absorb(kept, after, keptAt + 1);
    }
    return kept;
  }

  /** `into` takes over `next` (adjacent, same outcome), which leaves the list at `nextAt`. */
  private absorb(into: Gap, next: Gap, nextAt: number): void {
    const outcome = into.outcome;
    this.setOutcome(into, 'pending');
    this.setOutcome(next, 'pending');
    into.end = next.end;
    into.pendingFrom = next.end;
    into.expected += next.expected;
    into.filled += next.filled;
    into.attempts = Math.max(into.attempts, next.attempts);
    if (next.lastError !== undefined) into.lastError = next.lastError;
    this.gaps.splice(nextAt, 1);
    next.outcome = outcome; // a record some listener may hold: settled, not pending
    this.setOutcome(into, outcome);
  }

  /**
   * A refill supplied part of a gap: the gap becomes its filled and still-missing runs, each
   * settled. Which slots are filled is read from `base` (every slot of a gap was absent from
   * the stream, so a real bar there came from a refill). Returns the runs, oldest first; the
   * first is `gap` itself, narrowed.
   */
  split(gap: Gap, base: ColumnStore, reason: string): Gap[] {
    const pieces: Gap[] = [];
    const step = this.stepMs;
    const ts = base.timestamp;
    const flags = base.flags;
    let p = base.lowerBound(gap.start);
    const isFilled = (slot: number): boolean => {
      while (p < base.length && ts[p]! < slot) p++;
      return p < base.length && ts[p] === slot && (flags[p]! & FLAG_SYNTHETIC) === 0;
    };
    const { attempts, end } = gap;
    this.setOutcome(gap, 'pending');
    let runStart = gap.start;
    let runFilled = isFilled(gap.start);
    for (let slot = gap.start + step; slot <= end; slot += step) {
      const filled = slot < end && isFilled(slot);
      if (slot < end && filled === runFilled) continue;
      const count = (slot - runStart) / step;
      const piece: Gap = pieces.length === 0 ? gap : { ...gap, lastError: undefined };
      piece.start = runStart;
      piece.end = slot;
      piece.expected = count;
      piece.filled = runFilled ? count : 0;
      piece.attempts = attempts;
      pieces.push(piece);
      runStart = slot;
      runFilled = filled;
    }
    this.gaps.splice(this.indexOf(gap) + 1, 0, ...pieces.slice(1));
    const kept = new Set<Gap>();
    for (const piece of pieces) {
      kept.add(
        piece.filled === piece.expected
          ? this.settle(piece, 'filled')
          : this.settle(piece, 'missing', reason),
      );
    }
    return [...kept];
  }

  /**
   * The gap holding a missing slot: the last gap when it ends right there (the range goes on,
   * whatever its refill made of it so far), else a new one. A gap that had settled is reopened
   * for an attempt at the new part; one waiting for a retry keeps its schedule.
   */
  private openAt(slot: number, reopened: Gap[]): Gap {
    const previous = this.gaps[this.gaps.length - 1];
    if (previous && previous.end === slot) {
      if (previous.outcome !== 'pending') {
        this.setOutcome(previous, 'pending');
        previous.pendingFrom = slot;
        previous.attempts = 0;
        reopened.push(previous);
      }
      previous.end = slot + this.stepMs;
      previous.expected++;
      return previous;
    }
    const gap: Gap = {
      symbol: this.symbol,
      interval: this.interval,
      start: slot,
      end: slot + this.stepMs,
      expected: 1,
      filled: 0,
      attempts: 0,
      pendingFrom: slot,
      outcome: 'pending',
      nextAttemptAt: -Infinity,
      // Present from the start, so settling a gap does not change its shape.
      lastError: undefined,
    };
    this.gaps.push(gap);
    reopened.push(gap);
    return gap;
  }

  private queue(gap: Gap, at: number): void {
    if (gap.outcome !== 'pending') return;
    gap.nextAttemptAt = at;
    this.retries.push(gap);
  }

  private setOutcome(gap: Gap, outcome: GapOutcome): void {
    if (gap.outcome === 'missing' || gap.outcome === 'partial') {
      this.missingBars -= gap.expected - gap.filled;
    }
    gap.outcome = outcome;
    if (outcome === 'missing' || outcome === 'partial')
      this.missingBars += gap.expected - gap.filled;
  }

  private indexOf(gap: Gap): number {
    // Most gaps settled are the newest: found by this cycle's scan.
    const last = this.gaps.length - 1;
    if (last >= 0 && this.gaps[last] === gap) return last;
    let lo = 0;
    let hi = this.gaps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.gaps[mid]!.start < gap.start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private sessionFrom(t: number): TradingSession | null {
    // `t` only grows, and the first session ending after it stays the same until its close.
    const cached = this.session;
    if (cached === null || (cached !== undefined && t < cached.close)) return cached;
    this.session = this.calendar.sessionAfter(t);
    return this.session;
  }

  private sessionOverlaps(t: number): boolean {
    const s = this.sessionFrom(this.checkedTo);
    return s !== null && s.open < t;
  }
}
