/**
 * The panels' gap overview against one built from every record with the shared rules
 * (`summariseGaps`, `largestGaps`): what tests of the folded overview compare with.
 */
import { expect } from 'vitest';
import { gapSummaryOf, largestGapsOf } from '../../src/main/engine/upkeep/gap-overview';
import type { GapTracker } from '../../src/main/engine/upkeep/gap-tracker';
import type { Gap } from '../../src/main/engine/upkeep/gap';
import { gapInfoOf, largestGaps, summariseGaps } from '../../src/shared/gap-summary';

export function expectOverviewOf(
  tracker: GapTracker,
  gaps: readonly Gap[],
  lengths: readonly number[],
): void {
  expect(gapSummaryOf(tracker)).toEqual(summariseGaps(gaps));
  for (const n of lengths) {
    expect(largestGapsOf(tracker, n)).toEqual(largestGaps(gaps, n).map(gapInfoOf));
  }
}
