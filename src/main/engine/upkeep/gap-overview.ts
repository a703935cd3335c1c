/**
 * A symbol's gaps in a few words, read from the tracker's columns: the panels ask for it several
 * times a second while sparse data piles up tens of thousands of gaps, so building every record
 * as an object for each answer would cost more than the replay. Same rules as the shared
 * `summariseGaps` and `largestGaps` (the tests hold them to it).
 */
import { LARGEST_GAPS, SHORT_GAP_BARS, type GapSummary } from '../../../shared/gap-summary';
import type { GapInfo } from '../../../shared/ipc-contract';
import { outcomeName } from './gap-table';
import type { GapTracker } from './gap-tracker';

export function gapSummaryOf(tracker: GapTracker): GapSummary {
  const t = tracker.table;
  const byOutcome = [0, 0, 0, 0];
  let missingBars = 0;
  let short = 0;
  for (let i = 0; i < tracker.size; i++) {
    const id = tracker.idAt(i);
    const expected = t.expected[id]!;
    missingBars += Math.max(0, expected - t.filled[id]!);
    byOutcome[t.outcome[id]!]! += 1;
    if (expected <= SHORT_GAP_BARS) short += 1;
  }
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
  const t = tracker.table;
  const missingOf = (id: number): number => Math.max(0, t.expected[id]! - t.filled[id]!);
  // Ids in `order` ascend by start, so a strictly larger count is needed to displace a kept gap.
  const kept: number[] = [];
  for (let i = 0; i < tracker.size; i++) {
    const id = tracker.idAt(i);
    const missing = missingOf(id);
    if (kept.length === n && !(missing > missingOf(kept[n - 1]!))) continue;
    if (kept.length === n) kept.pop();
    let at = kept.length;
    while (at > 0 && missing > missingOf(kept[at - 1]!)) at -= 1;
    kept.splice(at, 0, id);
  }
  return kept
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
