/**
 * A gap: a range of consecutive expected base bars that did not arrive, inside one trading
 * session (docs/design.md §3), and what the refill made of it.
 */
import type { BaseInterval } from '../../../shared/interval';

/**
 * `pending` waits for a refill attempt; `filled` a refill supplied every bar; `missing` no
 * source had them (settled). `partial` is kept for readers of older summaries: a refill that
 * supplies part of a range now splits it into filled and missing ranges instead.
 */
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
  /** Attempts at the part not yet answered (a range that grows after it settled starts again). */
  attempts: number;
  /**
   * Where that part begins: a range reopened because it grew is asked only for its new slots,
   * so a long range costs O(new slots) per cycle, not O(range).
   */
  pendingFrom: number;
  outcome: GapOutcome;
  /** Backtest (or wall, live) time of the next attempt. */
  nextAttemptAt: number;
  /** Why the last attempt did not fill the range (an error, or "no data in the fill source"). */
  lastError?: string;
}
