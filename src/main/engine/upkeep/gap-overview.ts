/**
 * A symbol's gaps in a few words, read from the tracker's columns: the panels ask for it four
 * times a second, and sparse data piles up tens of thousands of gaps a day, so neither building
 * every record as an object nor reading every row for each answer would do. Gaps that can no
 * longer change are folded into running totals once (see `advanceFrozen`); each answer reads
 * only the rest. Same rules as the shared `summariseGaps` and `largestGaps` (the tests hold
 * them to it, mid-session as refills split and join gaps).
 */
import { LARGEST_GAPS, SHORT_GAP_BARS, type GapSummary } from '../../../shared/gap-summary';
import type { GapInfo } from '../../../shared/ipc-contract';
import { outcomeName, PENDING } from './gap-table';
import type { GapTracker } from './gap-tracker';

/** Counts over some gaps: by outcome (indexed by outcome code), missing bars, short gaps. */
interface Tally {
  byOutcome: [number, number, number, number];
  missingBars: number;
  short: number;
}

/** The leading gaps that can no longer change, folded. */
interface Frozen extends Tally {
  /** Gaps [0, upTo) of the tracker's order are folded in. */
  upTo: number;
  /** The largest frozen gaps, per list length asked for (ids, by missing bars then start). */
  largest: Map<number, number[]>;
}

const frozenOf = new WeakMap<GapTracker, Frozen>();

export function gapSummaryOf(tracker: GapTracker): GapSummary {
  const frozen = advanceFrozen(tracker);
  const all: Tally = {
    byOutcome: [...frozen.byOutcome],
    missingBars: frozen.missingBars,
    short: frozen.short,
  };
  for (let i = frozen.upTo; i < tracker.size; i++) tally(tracker, all, tracker.idAt(i));
  const { byOutcome, missingBars, short } = all;
  return {
    count: tracker.size,
    missingBars,
    pending: byOutcome[0]!,
    filled: byOutcome[1]!,
    partial: byOutcome[2]!,
    missing: byOutcome[3]!,
    short,
  };
}

/** The `n` gaps with the most missing bars (the earliest first among equals), in time order. */
export function largestGapsOf(tracker: GapTracker, n = LARGEST_GAPS): GapInfo[] {
  const frozen = advanceFrozen(tracker);
  const t = tracker.table;
  let kept = frozen.largest.get(n);
  if (!kept) {
    // A length not asked for before: fold the frozen gaps for it once.
    kept = [];
    for (let i = 0; i < frozen.upTo; i++) keep(tracker, kept, tracker.idAt(i), n);
    frozen.largest.set(n, kept);
  }
  const all = [...kept];
  for (let i = frozen.upTo; i < tracker.size; i++) keep(tracker, all, tracker.idAt(i), n);
  return all
    .sort((a, b) => t.start[a]! - t.start[b]!)
    .map((id) => ({
      start: t.start[id]!,
      end: t.end[id]!,
      expected: t.expected[id]!,
      filled: t.filled[id]!,
      attempts: t.attempts[id]!,
      outcome: outcomeName(t.outcome[id]!),
    }));
}

/** Counts gap `id` into `into`. */
function tally(tracker: GapTracker, into: Tally, id: number): void {
  const t = tracker.table;
  const expected = t.expected[id]!;
  into.byOutcome[t.outcome[id]! as 0 | 1 | 2 | 3] += 1;
  into.missingBars += missingOf(tracker, id);
  if (expected <= SHORT_GAP_BARS) into.short += 1;
}

function missingOf(tracker: GapTracker, id: number): number {
  return Math.max(0, tracker.table.expected[id]! - tracker.table.filled[id]!);
}

/**
 * Puts gap `id` into `kept` (at most `n`, most missing first) if it belongs there. Gaps come in
 * start order, so a later one needs strictly more missing bars to displace a kept one.
 */
function keep(tracker: GapTracker, kept: number[], id: number, n: number): void {
  const missing = missingOf(tracker, id);
  if (kept.length === n && !(missing > missingOf(tracker, kept[n - 1]!))) return;
  if (kept.length === n) kept.pop();
  let at = kept.length;
  while (at > 0 && missing > missingOf(tracker, kept[at - 1]!)) at -= 1;
  kept.splice(at, 0, id);
}

/**
 * Folds in the leading gaps that can no longer change. A gap changes while it is pending (a
 * refill fills, splits and settles it), when it is the last one (a scan extends it), and when a
 * neighbour it touches settles with its outcome (the two join). A settled gap that does not
 * touch the next one is therefore final, and so is one that touches a settled next gap which
 * can never become the last (some later pair does not touch: gaps that do not touch never come
 * to, since a range only grows at its end and only while it is the last). Nothing is ever
 * inserted before a pending gap, so the folded gaps keep their places.
 */
function advanceFrozen(tracker: GapTracker): Frozen {
  let frozen = frozenOf.get(tracker);
  if (!frozen) {
    frozen = {
      upTo: 0,
      byOutcome: [0, 0, 0, 0],
      missingBars: 0,
      short: 0,
      largest: new Map(),
    };
    frozenOf.set(tracker, frozen);
  }
  const t = tracker.table;
  const count = tracker.size;
  // The last pair that does not touch, found from the end (most pairs do not).
  let apart = -1;
  for (let k = count - 2; k >= frozen.upTo; k--) {
    if (t.end[tracker.idAt(k)]! < t.start[tracker.idAt(k + 1)]!) {
      apart = k;
      break;
    }
  }
  while (frozen.upTo + 1 < count) {
    const i = frozen.upTo;
    const id = tracker.idAt(i);
    const next = tracker.idAt(i + 1);
    if (t.outcome[id] === PENDING) break;
    const touches = t.end[id] === t.start[next];
    if (touches && (t.outcome[next] === PENDING || apart < i + 1)) break;
    tally(tracker, frozen, id);
    for (const [n, kept] of frozen.largest) keep(tracker, kept, id, n);
    frozen.upTo = i + 1;
  }
  return frozen;
}

/** How many leading gaps are folded and no longer read for each answer (tests, diagnostics). */
export function foldedGaps(tracker: GapTracker): number {
  return advanceFrozen(tracker).upTo;
}
