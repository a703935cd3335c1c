/**
 * One symbol's gap records as columns, by id. Sparse 1s data finds tens of thousands of short
 * gaps a day and keeps every one as a record; as objects each cost several allocations (epoch
 * times do not fit a small integer, so every time field is boxed) and the garbage collector
 * copied them again and again. Here a record is a row of typed arrays referred to by id (the
 * retry queue and the time order hold ids), and a `Gap` object is built only for whoever reads
 * one (panels, the summary, listeners). Ids stay valid until the tracker releases a day's gaps
 * (`compact`): the records left are then renumbered, between cycles, when no refill is under
 * way.
 */
import type { BaseInterval } from '../../../shared/interval';
import type { Gap, GapOutcome } from './gap';

export const PENDING = 0;
export const FILLED = 1;
export const PARTIAL = 2;
export const MISSING = 3;
export type OutcomeCode = typeof PENDING | typeof FILLED | typeof PARTIAL | typeof MISSING;

const OUTCOMES: readonly GapOutcome[] = ['pending', 'filled', 'partial', 'missing'];

export function outcomeName(code: number): GapOutcome {
  return OUTCOMES[code]!;
}

export function outcomeCode(name: GapOutcome): OutcomeCode {
  return OUTCOMES.indexOf(name) as OutcomeCode;
}

export class GapTable {
  start = new Float64Array(256);
  end = new Float64Array(256);
  /** Whole numbers: 4 bytes each, not 8, in a table sparse data fills with millions of rows. */
  expected = new Uint32Array(256);
  filled = new Uint32Array(256);
  attempts = new Uint32Array(256);
  pendingFrom = new Float64Array(256);
  nextAttemptAt = new Float64Array(256);
  outcome = new Uint8Array(256);
  /** Index into `reasons` plus one; 0 for none. Reasons repeat, so each is stored once. */
  private reasonOf = new Uint32Array(256);
  private readonly reasons: string[] = [];
  private readonly reasonIndex = new Map<string, number>();
  /** Ids handed out so far. */
  size = 0;

  constructor(
    readonly symbol: string,
    readonly interval: BaseInterval,
  ) {}

  /** A new pending record for the slots [start, end). */
  add(start: number, end: number, expected: number): number {
    if (this.size === this.start.length) this.grow();
    const id = this.size++;
    this.start[id] = start;
    this.end[id] = end;
    this.expected[id] = expected;
    this.filled[id] = 0;
    this.attempts[id] = 0;
    this.pendingFrom[id] = start;
    this.nextAttemptAt[id] = -Infinity;
    this.outcome[id] = PENDING;
    this.reasonOf[id] = 0;
    return id;
  }

  /** A copy of record `id` with a new id (a split's later pieces). */
  copy(id: number): number {
    const copy = this.add(this.start[id]!, this.end[id]!, this.expected[id]!);
    this.filled[copy] = this.filled[id]!;
    this.attempts[copy] = this.attempts[id]!;
    this.pendingFrom[copy] = this.pendingFrom[id]!;
    this.nextAttemptAt[copy] = this.nextAttemptAt[id]!;
    this.outcome[copy] = this.outcome[id]!;
    return copy;
  }

  reason(id: number): string | undefined {
    const r = this.reasonOf[id]!;
    return r === 0 ? undefined : this.reasons[r - 1];
  }

  setReason(id: number, reason: string | undefined): void {
    if (reason === undefined) {
      this.reasonOf[id] = 0;
      return;
    }
    let r = this.reasonIndex.get(reason);
    if (r === undefined) {
      r = this.reasons.push(reason);
      this.reasonIndex.set(reason, r);
    }
    this.reasonOf[id] = r;
  }

  /** Record `id` as a `Gap` (a snapshot: later changes to the record do not show in it). */
  record(id: number): Gap {
    return {
      symbol: this.symbol,
      interval: this.interval,
      start: this.start[id]!,
      end: this.end[id]!,
      expected: this.expected[id]!,
      filled: this.filled[id]!,
      attempts: this.attempts[id]!,
      pendingFrom: this.pendingFrom[id]!,
      outcome: OUTCOMES[this.outcome[id]!]!,
      nextAttemptAt: this.nextAttemptAt[id]!,
      lastError: this.reason(id),
    };
  }

  /**
   * Keeps only the records `ids[from..to)`, renumbered 0, 1, … in that order (the gaps of
   * released days leave; see GapTracker.releaseBefore). Capacity is kept: the next days fill it.
   */
  compact(ids: Int32Array, from: number, to: number): void {
    const n = to - from;
    const first = n > 0 ? ids[from]! : 0;
    let runs = true;
    for (let j = 1; j < n && runs; j++) runs = ids[from + j] === first + j;
    if (runs) {
      // The usual case: ids are handed out in time order, so the rows left are one run.
      for (const column of this.columns()) column.copyWithin(0, first, first + n);
    } else {
      // A refill's split made later ids for earlier gaps: gather the rows.
      const scratch = new Float64Array(n);
      for (const column of this.columns()) {
        for (let j = 0; j < n; j++) scratch[j] = column[ids[from + j]!]!;
        column.set(scratch);
      }
    }
    this.size = n;
  }

  private columns(): Column[] {
    return [
      this.start,
      this.end,
      this.expected,
      this.filled,
      this.attempts,
      this.pendingFrom,
      this.nextAttemptAt,
      this.outcome,
      this.reasonOf,
    ];
  }

  private grow(): void {
    const n = this.start.length * 2;
    this.start = grown(this.start, n);
    this.end = grown(this.end, n);
    this.expected = grown(this.expected, n);
    this.filled = grown(this.filled, n);
    this.attempts = grown(this.attempts, n);
    this.pendingFrom = grown(this.pendingFrom, n);
    this.nextAttemptAt = grown(this.nextAttemptAt, n);
    this.outcome = grown(this.outcome, n);
    this.reasonOf = grown(this.reasonOf, n);
  }
}

type Column = Float64Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;

/** A copy of `a` with room for `n` rows, of the same element type. */
function grown<T extends Column>(a: T, n: number): T {
  const next = new (a.constructor as new (length: number) => T)(n);
  next.set(a as ArrayLike<number>);
  return next;
}
