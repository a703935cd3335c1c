/**
 * The data-quality strip: one cell per regular-hours minute from the session start up to the
 * clock. A minute is present when every expected base bar is there, partial when some are,
 * missing when none are, and refilled when it is complete only thanks to a gap refill.
 * Synthetic (fill-forward) bars never count as present.
 */
import type { QualityStrip } from '../../shared/ipc-contract';
import { intervalMs, type BaseInterval } from '../../shared/interval';
import type { ExchangeCalendar } from '../../shared/market/exchange-calendar';
import { FLAG_SYNTHETIC, type ColumnStore } from '../engine/column-store';
import type { Gap } from '../engine/upkeep/gap-tracker';

export const CELL_MISSING = 0;
export const CELL_PRESENT = 1;
export const CELL_REFILLED = 2;
export const CELL_PARTIAL = 3;

const MINUTE = 60_000;

export interface StripInput {
  symbol: string;
  baseInterval: BaseInterval;
  /** The base bars over [from, to) at least (held or read back: BarHistory). */
  bars: Pick<ColumnStore, 'length' | 'timestamp' | 'flags'>;
  gaps: readonly Gap[];
  calendar: ExchangeCalendar;
  /** Where the strip starts (the session's first day) and the clock: complete minutes only. */
  from: number;
  to: number;
}

export function qualityStrip(input: StripInput): QualityStrip {
  const { minutes, states } = stripCells(input);
  // Worked out from scratch, it claims no cell final.
  return { symbol: input.symbol, offset: 0, final: 0, minutes, states };
}

/**
 * The cells of `input`, and where a later call carries on from: the start of the first minute
 * not over by `input.to`, else `input.to` (a call from there skips no minute and reads no bar
 * before it, which for a bounded session may be released).
 */
export function stripCells(input: StripInput): {
  minutes: number[];
  states: number[];
  resume: number;
} {
  const { bars, calendar } = input;
  const step = intervalMs(input.baseInterval);
  // Gaps come by start and never overlap, so their ends are in order too: one pointer walks
  // them with the minutes (a long session has thousands of refilled gaps and of minutes).
  const refilled = input.gaps.filter((g) => g.filled > 0);
  let r = 0;
  const minutes: number[] = [];
  const states: number[] = [];
  const ts = bars.timestamp;
  const flags = bars.flags;
  const n = bars.length;
  let resume = input.to;
  sessions: for (const session of calendar.sessionsBetween(input.from, input.to)) {
    const first = Math.max(session.open, input.from);
    const start = session.open + Math.ceil((first - session.open) / MINUTE) * MINUTE;
    for (let m = start; m < session.close; m += MINUTE) {
      // A minute is shown once it is over (a short last minute on a cut close included).
      const end = Math.min(m + MINUTE, session.close);
      if (end > input.to) {
        resume = m;
        break sessions;
      }
      const expected = Math.max(1, Math.round((end - m) / step));
      const from = lowerBound(ts, n, m);
      const to = from + expected;
      let present = 0;
      if (to <= n && ts[to - 1]! < end && (to === n || ts[to]! >= end)) {
        // The usual minute holds exactly the rows it expects (two reads tell): of those, only
        // made-up ones are not present. FLAG_SYNTHETIC is bit 0, so the sum counts them.
        present = expected;
        for (let i = from; i < to; i++) present -= flags[i]! & FLAG_SYNTHETIC;
      } else {
        for (let i = from; i < n && ts[i]! < end; i++) {
          if ((flags[i]! & FLAG_SYNTHETIC) === 0) present++;
        }
      }
      minutes.push(m);
      if (present === 0) states.push(CELL_MISSING);
      else if (present < expected) states.push(CELL_PARTIAL);
      else {
        while (r < refilled.length && refilled[r]!.end <= m) r++;
        const refill = refilled[r];
        states.push(refill && refill.start < end ? CELL_REFILLED : CELL_PRESENT);
      }
    }
  }
  return { minutes, states, resume };
}

function lowerBound(ts: Float64Array, length: number, t: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
