/**
 * What a bounded session remembers of a symbol's base bars after releasing them from memory
 * (docs/long-sessions.md): which days went, how many bars each held and a fingerprint of them,
 * and every bar the session itself put in (refills, fill-forward), which the store it streamed
 * from may not have. Reading a day back is checked against the fingerprint, so a file changed
 * or damaged since the session streamed it is an error, never different bars.
 */
import { crc32 } from 'node:zlib';
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

/**
 * An order-dependent digest of rows [from, to): two reads of the same bars give the same
 * number, and a changed value, a lost row or a reordering almost surely does not. CRC-32 over
 * the columns' bytes runs natively, a few times faster than folding the values in script.
 */
export function fingerprint(
  timestamp: Float64Array,
  values: readonly Float64Array[],
  flags: Uint8Array | null,
  from: number,
  to: number,
): number {
  if (to <= from) return 0;
  let h = crc32(bytesOf(timestamp, from, to));
  for (const column of values) h = crc32(bytesOf(column, from, to), h);
  if (flags) h = crc32(flags.subarray(from, to), h);
  return h >>> 0;
}

function bytesOf(column: Float64Array, from: number, to: number): Uint8Array {
  return new Uint8Array(column.buffer, column.byteOffset + from * 8, (to - from) * 8);
}
