/**
 * A symbol's gaps in a few words, read from the tracker's columns: the panels ask for it four
 * times a second, and sparse data piles up tens of thousands of gaps a day, so neither building
 * every record as an object nor reading every row for each answer would do. Gaps that can no
 * longer change are folded into running totals once (see `advanceFrozen`); each answer reads
 * only the rest. Same rules as the shared `summariseGaps` and `largestGaps` (the tests hold
 * them to it, mid-session as refills split and join gaps).
 */
import {
  gapInfoOf,
  LARGEST_GAPS,
  SHORT_GAP_BARS,
  type GapSummary,
} from '../../../shared/gap-summary';
import type { GapInfo } from '../../../shared/ipc-contract';
import type { Gap } from './gap';
import { outcomeCode, outcomeName, PENDING } from './gap-table';
import type { GapTracker } from './gap-tracker';

/** Counts over some gaps: by outcome (indexed by outcome code), missing bars, short gaps. */
interface Tally {
  byOutcome: [number, number, number, number];
  missingBars: number;
  short: number;
}

/** A gap kept in a largest-gaps list, with its missing bars. */
interface Kept {
  info: GapInfo;
  missing: number;
}

/** The leading gaps that can no longer change, folded. */
interface Frozen extends Tally {
  /** Gaps [0, upTo) of the tracker's order are folded in (the released ones first). */
  upTo: number;
  /** The largest frozen gaps, per list length asked for, by missing bars then start. */
  largest: Map<number, Kept[]>;
}

const frozenOf = new WeakMap<GapTracker, Frozen>();

export function gapSummaryOf(tracker: GapTracker): GapSummary {
  const frozen = advanceFrozen(tracker);
  const all: Tally = {
    byOutcome: [...frozen.byOutcome],
    missingBars: frozen.missingBars,
    short: frozen.short,
  };
  const t = tracker.table;
  for (let i = frozen.upTo; i < tracker.size; i++) {
    const id = tracker.idAt(i);
    tally(all, t.outcome[id]!, t.expected[id]!, t.filled[id]!);
  }
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
  let kept = frozen.largest.get(n);
  if (!kept) {
    // A length not asked for before: fold the frozen gaps for it once.
    const list: Kept[] = [];
    const released = Math.min(frozen.upTo, tracker.released.count);
    tracker.released.read(0, released, (gap) => keepGap(list, gap, n));
    for (let i = released; i < frozen.upTo; i++) keepRecord(tracker, list, tracker.idAt(i), n);
    frozen.largest.set(n, (kept = list));
  }
  const all = [...kept];
  for (let i = frozen.upTo; i < tracker.size; i++) keepRecord(tracker, all, tracker.idAt(i), n);
  // Copies: the kept entries stay for the next answer.
  return all.map((k) => ({ ...k.info })).sort((a, b) => a.start - b.start);
}

/** Counts a gap into `into`. */
function tally(into: Tally, outcome: number, expected: number, filled: number): void {
  into.byOutcome[outcome as 0 | 1 | 2 | 3] += 1;
  into.missingBars += Math.max(0, expected - filled);
  if (expected <= SHORT_GAP_BARS) into.short += 1;
}

/**
 * Puts a gap with `missing` bars into `kept` (at most `n`, most missing first) if it belongs
 * there; `info` makes its entry. Gaps come in start order, so a later one needs strictly more
 * missing bars to displace a kept one.
 */
function keep(kept: Kept[], missing: number, n: number, info: () => GapInfo): void {
  if (kept.length === n && !(missing > kept[n - 1]!.missing)) return;
  if (kept.length === n) kept.pop();
  let at = kept.length;
  while (at > 0 && missing > kept[at - 1]!.missing) at -= 1;
  kept.splice(at, 0, { info: info(), missing });
}

function keepRecord(tracker: GapTracker, kept: Kept[], id: number, n: number): void {
  const t = tracker.table;
  keep(kept, Math.max(0, t.expected[id]! - t.filled[id]!), n, () => ({
    start: t.start[id]!,
    end: t.end[id]!,
    expected: t.expected[id]!,
    filled: t.filled[id]!,
    attempts: t.attempts[id]!,
    outcome: outcomeName(t.outcome[id]!),
  }));
}

function keepGap(kept: Kept[], gap: Gap, n: number): void {
  keep(kept, Math.max(0, gap.expected - gap.filled), n, () => gapInfoOf(gap));
}

/**
 * Folds in the leading gaps that can no longer change. Released gaps never change. Of the
 * rest, a gap changes while it is pending (a refill fills, splits and settles it), when it is
 * the last one (a scan extends it), and when a neighbour it touches settles with its outcome
 * (the two join). A settled gap that does not touch the next one is therefore final, and so is
 * one that touches a settled next gap which can never become the last (some later pair does
 * not touch: gaps that do not touch never come to, since a range only grows at its end and only
 * while it is the last). Nothing is ever inserted before a pending gap, so the folded gaps keep
 * their places.
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
  const fold = frozen;
  const released = tracker.released.count;
  if (fold.upTo < released) {
    tracker.released.read(fold.upTo, released, (gap) => {
      tally(fold, outcomeCode(gap.outcome), gap.expected, gap.filled);
      for (const [n, kept] of fold.largest) keepGap(kept, gap, n);
    });
    fold.upTo = released;
  }
  const t = tracker.table;
  const count = tracker.size;
  // The last pair that does not touch, found from the end (most pairs do not).
  let apart = -1;
  for (let k = count - 2; k >= fold.upTo; k--) {
    if (t.end[tracker.idAt(k)]! < t.start[tracker.idAt(k + 1)]!) {
      apart = k;
      break;
    }
  }
  while (fold.upTo + 1 < count) {
    const i = fold.upTo;
    const id = tracker.idAt(i);
    const next = tracker.idAt(i + 1);
    if (t.outcome[id] === PENDING) break;
    const touches = t.end[id] === t.start[next];
    if (touches && (t.outcome[next] === PENDING || apart < i + 1)) break;
    tally(fold, t.outcome[id]!, t.expected[id]!, t.filled[id]!);
    for (const [n, kept] of fold.largest) keepRecord(tracker, kept, id, n);
    fold.upTo = i + 1;
  }
  return fold;
}

/** How many leading gaps are folded and no longer read for each answer (tests, diagnostics). */
export function foldedGaps(tracker: GapTracker): number {
  return advanceFrozen(tracker).upTo;
}
