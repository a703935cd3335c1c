/**
 * Gap detection and bar quality for one symbol, against the exchange calendar (docs/design.md §3).
 * Each scan covers only the span since the last one, so a cycle costs O(new slots), never
 * O(all bars) or O(all gaps). Expected base bars: every interval of every regular session, 60
 * a minute for 1s bars and 1 a minute for 1m bars; none on holidays; early closes end at 13:00.
 * A gap is a range: consecutive missing slots of one session are one gap, and a later scan that
 * finds the range continuing extends it. Gaps waiting for a refill sit in a queue by due time.
 * Records live in a GapTable and are referred to by id; `order` lists the ids by start. A
 * bounded session releases the settled gaps of its released days into a packed archive
 * (`releaseBefore`), so what the table holds is bounded like the base bars.
 */
import type { BaseInterval } from '../../../shared/interval';
import { intervalMs } from '../../../shared/interval';
import type { ExchangeCalendar, TradingSession } from '../../../shared/market/exchange-calendar';
import { FLAG_SYNTHETIC, type ColumnStore } from '../column-store';
import type { Gap } from './gap';
import { FILLED, GapTable, MISSING, PARTIAL, PENDING, type OutcomeCode } from './gap-table';
import { ReleasedGaps } from './released-gaps';
import { RetryQueue } from './retry-queue';

export type { Gap, GapOutcome } from './gap';

export class GapTracker {
  readonly stepMs: number;
  /** Every record; ids in `order` are the gaps, oldest first. */
  readonly table: GapTable;
  /** Ids by start of the gaps not released; filled ranges stay as a record of the refill. */
  private order = new Int32Array(256);
  private count = 0;
  /** The gaps before those in `order`, packed: they can no longer change. */
  readonly released: ReleasedGaps;
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
  private readonly retries: RetryQueue;
  private readonly found: number[] = [];
  private readonly attemptNow: number[] = [];
  /**
   * Where the last scan stopped in the base store, and that row's time: a hint for the next
   * scan, checked before use (a refill inserts rows and a release drops them).
   */
  private hintRow = 0;
  private hintTime = Number.NaN;
  /** The records as objects, built when read and kept until a record changes. */
  private snapshot: Gap[] | null = null;

  constructor(
    readonly symbol: string,
    readonly interval: BaseInterval,
    private readonly calendar: ExchangeCalendar,
    sessionStart: number,
  ) {
    this.stepMs = intervalMs(interval);
    this.checkedTo = sessionStart;
    this.table = new GapTable(symbol, interval);
    this.released = new ReleasedGaps(symbol, interval, this.stepMs);
    this.retries = new RetryQueue(this.table);
  }

  /** Percent of expected base bars present (synthetic ones excluded), or null before any. */
  get quality(): number | null {
    return this.expected === 0 ? null : (this.present / this.expected) * 100;
  }

  /** Every gap, oldest first, as objects (built on demand: readers are panels and summaries). */
  get gaps(): readonly Gap[] {
    if (this.snapshot) return this.snapshot;
    const out: Gap[] = [];
    this.released.read(0, this.released.count, (gap) => out.push(gap));
    for (let i = 0; i < this.count; i++) out.push(this.table.record(this.order[i]!));
    this.snapshot = out;
    return out;
  }

  /**
   * The gaps overlapping [from, to), oldest first, released ones included: a reader of recent
   * hours (the quality strip) builds those few, not every gap of the session.
   */
  between(from: number, to: number): Gap[] {
    const out: Gap[] = [];
    this.released.overlapping(from, to, (gap) => out.push(gap));
    const { table, order } = this;
    // By start, and gaps never overlap, so their ends are in order too.
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (table.end[order[mid]!]! <= from) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo; j < this.count && table.start[order[j]!]! < to; j++) {
      out.push(table.record(order[j]!));
    }
    return out;
  }

  /** How many gaps there are, released ones included. */
  get size(): number {
    return this.released.count + this.count;
  }

  /** The id of the i-th gap by start; -1 for a packed one (i below `released.count`). */
  idAt(i: number): number {
    const j = i - this.released.count;
    return j >= 0 && j < this.count ? this.order[j]! : -1;
  }

  /**
   * Moves the settled gaps ending before `t` into the archive and renumbers the records left
   * (a bounded session, once its day `t` starts is released). Only between cycles: a refill
   * under way holds ids. A gap ending before `t` can no longer change when `t` is at or before
   * `heldFrom()`: it is settled, no scan extends it (the last gap reaching the frontier holds
   * its own start), and a gap after it that touches it is settled and not growing, so nothing
   * can settle beside it and join it. Returns how many were packed.
   */
  releaseBefore(t: number): number {
    const table = this.table;
    const order = this.order;
    let k = 0;
    while (k < this.count && table.end[order[k]!]! < t && table.outcome[order[k]!] !== PENDING) {
      this.released.append(table, order[k]!);
      k++;
    }
    if (k === 0) return 0;
    const left = this.count - k;
    const renumbered = new Int32Array(table.size).fill(-1);
    for (let j = 0; j < left; j++) renumbered[order[k + j]!] = j;
    table.compact(order, k, this.count);
    for (let j = 0; j < left; j++) order[j] = j;
    this.count = left;
    this.retries.renumber(renumbered);
    this.snapshot = null;
    return k;
  }

  /** Gap `id` as an object (a snapshot). */
  gap(id: number): Gap {
    return this.table.record(id);
  }

  /** A record changed: the next read of `gaps` rebuilds them. */
  touched(): void {
    this.snapshot = null;
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
   * Returns the ids of gaps found or extended (valid until the next scan); new and reopened
   * ones are queued for an attempt at once.
   */
  scan(base: ColumnStore, horizon: number): readonly number[] {
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
      let p = this.rowAtOrAfter(base, from);
      for (; p < n; p++) {
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
      // The next scan starts where this one stopped: at the first row it did not take, or
      // at the last row when it took them all.
      const stop = p < n ? p : n - 1;
      if (stop >= 0) {
        this.hintRow = stop;
        this.hintTime = ts[stop]!;
      }
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
    if (found.length > 0) this.snapshot = null;
    return found;
  }

  /** The slots [start, end) are missing: a new range, or more of the last one. */
  private missing(start: number, end: number, found: number[], attemptNow: number[]): void {
    const t = this.table;
    const last = this.lastGap();
    let gap: number;
    if (last >= 0 && t.end[last] === start) {
      // The range goes on, whatever its refill made of it so far. One that had settled is
      // reopened for an attempt at the new part; one waiting for a retry keeps its schedule.
      gap = last;
      if (t.outcome[gap] !== PENDING) {
        this.setOutcome(gap, PENDING);
        t.pendingFrom[gap] = start;
        t.attempts[gap] = 0;
        attemptNow.push(gap);
      }
      t.end[gap] = end;
      t.expected[gap] += (end - start) / this.stepMs;
    } else {
      gap = t.add(start, end, (end - start) / this.stepMs);
      this.insertAt(this.count, gap);
      attemptNow.push(gap);
    }
    if (found[found.length - 1] !== gap) found.push(gap);
  }

  /**
   * Base bars from this time on may still be read (slots not scanned yet, gaps not settled),
   * so a bounded session keeps them in memory.
   */
  heldFrom(): number {
    // The last gap, when it reaches the scan's frontier, grows and reopens if the next slot is
    // missing too, and its refill then reads its slots again: on a 24x7 calendar it can reach
    // back across midnight, so its start holds too.
    const last = this.lastGap();
    const growing =
      last >= 0 && this.table.end[last] === this.checkedTo ? this.table.start[last]! : Infinity;
    return Math.min(this.checkedTo, this.retries.earliestStart(), growing);
  }

  /** The id of the latest gap by start, or -1. */
  private lastGap(): number {
    return this.count > 0 ? this.order[this.count - 1]! : -1;
  }

  /** Ids of gaps whose attempt is due at or before `asOf`, oldest first. */
  due(asOf: number): readonly number[] {
    return this.retries.takeDue(asOf);
  }

  /** When the next queued attempt is due (Infinity when none waits). */
  nextAttemptDue(): number {
    return this.retries.peekDue();
  }

  /** Queues another attempt at `at` (after a failure). */
  retryAt(gap: number, at: number): void {
    this.queue(gap, at);
  }

  /**
   * Ends a gap's refill: FILLED, or MISSING with the reason. A settled range that touches a
   * neighbour with the same outcome joins it (a range reopened as it grew can end up beside
   * its own earlier part), so the list stays one record per range. Returns the id of the
   * record that now holds the range.
   */
  settle(gap: number, outcome: typeof FILLED | typeof MISSING, reason?: string): number {
    const t = this.table;
    if (reason !== undefined) t.setReason(gap, reason);
    t.pendingFrom[gap] = t.end[gap]!;
    this.setOutcome(gap, outcome);
    this.snapshot = null;
    const at = this.indexOf(gap);
    const before = at > 0 ? this.order[at - 1]! : -1;
    let kept = gap;
    let keptAt = at;
    if (before >= 0 && t.end[before] === t.start[gap] && t.outcome[before] === outcome) {
      this.absorb(before, gap, at);
      kept = before;
      keptAt = at - 1;
    }
    const after = keptAt + 1 < this.count ? this.order[keptAt + 1]! : -1;
    if (after >= 0 && t.start[after] === t.end[kept] && t.outcome[after] === outcome) {
      this.absorb(kept, after, keptAt + 1);
    }
    return kept;
  }

  /** `into` takes over `next` (adjacent, same outcome), which leaves the list at `nextAt`. */
  private absorb(into: number, next: number, nextAt: number): void {
    const t = this.table;
    const outcome = t.outcome[into] as OutcomeCode;
    this.setOutcome(into, PENDING);
    this.setOutcome(next, PENDING);
    t.end[into] = t.end[next]!;
    t.pendingFrom[into] = t.end[next]!;
    t.expected[into] += t.expected[next]!;
    t.filled[into] += t.filled[next]!;
    t.attempts[into] = Math.max(t.attempts[into]!, t.attempts[next]!);
    const reason = t.reason(next);
    if (reason !== undefined) t.setReason(into, reason);
    this.removeAt(nextAt);
    t.outcome[next] = outcome; // settled, not pending: no queue entry may take it
    this.setOutcome(into, outcome);
  }

  /**
   * A refill supplied part of a gap: the gap becomes its filled and still-missing runs, each
   * settled. Which slots are filled is read from `base` (every slot of a gap was absent from
   * the stream, so a real bar there came from a refill). Returns the ids of the runs' records,
   * oldest first; the first is `gap` itself, narrowed.
   */
  split(gap: number, base: ColumnStore, reason: string): number[] {
    const t = this.table;
    const pieces: number[] = [];
    const step = this.stepMs;
    const ts = base.timestamp;
    const flags = base.flags;
    const gapStart = t.start[gap]!;
    let p = base.lowerBound(gapStart);
    const isFilled = (slot: number): boolean => {
      while (p < base.length && ts[p]! < slot) p++;
      return p < base.length && ts[p] === slot && (flags[p]! & FLAG_SYNTHETIC) === 0;
    };
    const end = t.end[gap]!;
    this.setOutcome(gap, PENDING);
    let runStart = gapStart;
    let runFilled = isFilled(gapStart);
    const at = this.indexOf(gap);
    for (let slot = gapStart + step; slot <= end; slot += step) {
      const filled = slot < end && isFilled(slot);
      if (slot < end && filled === runFilled) continue;
      const count = (slot - runStart) / step;
      let piece = gap;
      if (pieces.length > 0) {
        piece = t.copy(gap);
        t.setReason(piece, undefined);
        this.insertAt(at + pieces.length, piece);
      }
      t.start[piece] = runStart;
      t.end[piece] = slot;
      t.expected[piece] = count;
      t.filled[piece] = runFilled ? count : 0;
      pieces.push(piece);
      runStart = slot;
      runFilled = filled;
    }
    const kept: number[] = [];
    for (const piece of pieces) {
      const k =
        t.filled[piece] === t.expected[piece]
          ? this.settle(piece, FILLED)
          : this.settle(piece, MISSING, reason);
      if (!kept.includes(k)) kept.push(k);
    }
    return kept;
  }

  private queue(gap: number, at: number): void {
    if (this.table.outcome[gap] !== PENDING) return;
    this.table.nextAttemptAt[gap] = at;
    this.retries.push(gap);
  }

  private setOutcome(gap: number, outcome: OutcomeCode): void {
    const t = this.table;
    const was = t.outcome[gap]!;
    if (was === MISSING || was === PARTIAL) this.missingBars -= t.expected[gap]! - t.filled[gap]!;
    t.outcome[gap] = outcome;
    if (outcome === MISSING || outcome === PARTIAL)
      this.missingBars += t.expected[gap]! - t.filled[gap]!;
  }

  private insertAt(at: number, gap: number): void {
    if (this.count === this.order.length) {
      const next = new Int32Array(this.order.length * 2);
      next.set(this.order);
      this.order = next;
    }
    if (at < this.count) this.order.copyWithin(at + 1, at, this.count);
    this.order[at] = gap;
    this.count++;
  }

  private removeAt(at: number): void {
    this.order.copyWithin(at, at + 1, this.count);
    this.count--;
  }

  private indexOf(gap: number): number {
    // Most gaps settled are the newest: found by this cycle's scan.
    const last = this.count - 1;
    if (last >= 0 && this.order[last] === gap) return last;
    const start = this.table.start;
    const s = start[gap]!;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (start[this.order[mid]!]! < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The first row of `base` at or after `t`. A scan starts where the last one stopped, so the
   * hint is usually the answer itself; a binary search of the whole store (it was a third of
   * the scans' time on 1s bars) is left for when the hint no longer holds.
   */
  private rowAtOrAfter(base: ColumnStore, t: number): number {
    const ts = base.timestamp;
    let p = this.hintRow;
    if (p >= base.length || ts[p] !== this.hintTime || this.hintTime > t) return base.lowerBound(t);
    // Rows before the hint row are earlier than it, so earlier than `t`.
    while (p < base.length && ts[p]! < t) p++;
    return p;
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
