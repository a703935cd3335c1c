/**
 * What a bounded session remembers of a symbol's base bars after releasing them from memory
 * (docs/long-sessions.md): which days went, how many bars each held and a fingerprint of them,
 * and every bar the session itself put in (refills, fill-forward), which the store it streamed
 * from may not have. Reading a day back is checked against the fingerprint, so a file changed
 * or damaged since the session streamed it is an error, never different bars.
 */
import type { RowsPrint } from '../../shared/rows-print';
import { BAR_FIELDS } from '../../shared/stream-types';
import { ColumnStore } from './column-store';

export interface ReleasedDay {
  /** Exchange-local date, and the UTC span [start, end) of its bars' starts. */
  date: string;
  start: number;
  end: number;
  /**
   * Start of the day's first bar held. The store's bars of the day before it were never in the
   * session: its range began later in the day (a 24x7 day in UTC starts hours before the New
   * York midnight a start date means), or the stream joined the session later.
   */
  from: number;
  /** Bars held for the day when it was released. */
  rows: number;
  /** Of those, how many the session inserted itself (the rest are the store's). */
  inserted: number;
  fingerprint: number;
}

export class ReleasedBars {
  /** Every base bar starting before this has been released (-Infinity: none). */
  before = Number.NEGATIVE_INFINITY;
  readonly days: ReleasedDay[] = [];
  /** Bars released so far, and the start of the last one. */
  rows = 0;
  lastTime = Number.NEGATIVE_INFINITY;
  /** Bars inserted out of stream order (refilled or synthetic), released or not. */
  readonly inserted = new ColumnStore(BAR_FIELDS);
  /** Prints of the slabs streamed in and not yet released, oldest first (a few at a time). */
  readonly streamed: RowsPrint[] = [];

  /**
   * The fingerprint of held rows that came from the stream alone, from `first` to `last`, when
   * they are exactly one slab the reader fingerprinted: same ends and as many rows (a row the
   * merge skipped or one a refill added changes the count, and then none is given). Slabs that
   * end before `first` are dropped: nothing released later can be one of them.
   */
  slabFingerprint(first: number, last: number, rows: number): number | undefined {
    const streamed = this.streamed;
    let drop = 0;
    while (drop < streamed.length && streamed[drop]!.last < first) drop++;
    if (drop > 0) streamed.splice(0, drop);
    const print = streamed[0];
    if (!print || print.first !== first || print.last !== last || print.rows !== rows) return;
    streamed.shift();
    return print.fingerprint;
  }

  /** The released day holding `t`, or undefined. */
  dayOf(t: number): ReleasedDay | undefined {
    const days = this.days;
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (days[mid]!.end <= t) lo = mid + 1;
      else hi = mid;
    }
    const day = days[lo];
    return day && day.start <= t ? day : undefined;
  }
}
