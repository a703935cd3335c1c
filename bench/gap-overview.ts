/**
 * `npm run bench -- gap-overview`: the panels' gap overview (summary and largest gaps) of one
 * symbol of sparse 1s bars over 20 days (156,000 gaps, all settled), as the session service asks
 * for it four times a second per symbol. Ours folds final gaps once (gap-overview.ts) and then
 * answers from the rest; the peer is the same answer built from every record (the shared
 * `summariseGaps` and `largestGaps`), which is what reading every gap for each answer costs.
 */
import { ColumnStore } from '../src/main/engine/column-store';
import { gapSummaryOf, largestGapsOf } from '../src/main/engine/upkeep/gap-overview';
import { MISSING } from '../src/main/engine/upkeep/gap-table';
import { GapTracker } from '../src/main/engine/upkeep/gap-tracker';
import { largestGaps, summariseGaps } from '../src/shared/gap-summary';
import { calendarFor } from '../src/shared/market/calendars';
import { BAR_FIELDS } from '../src/shared/stream-types';
import { round, type BenchResult } from './result';

const ANSWERS = 200;

function sparseTracker(): GapTracker {
  const xnys = calendarFor('XNYS');
  const sessions = xnys
    .sessionsBetween(Date.parse('2024-03-04T00:00:00Z'), Date.parse('2024-04-30T00:00:00Z'))
    .filter((s) => s.close - s.open === 23_400_000)
    .slice(0, 20);
  const tracker = new GapTracker('SPARSE', '1s', xnys, sessions[0]!.open);
  const base = new ColumnStore(BAR_FIELDS);
  // A trade every third second: two quiet seconds, a gap, between each.
  for (const s of sessions) {
    for (let t = s.open; t < s.close; t += 3000) base.append(t, [1, 1, 1, 1, 1]);
    for (const id of tracker.scan(base, s.close)) tracker.settle(id, MISSING, 'no data');
  }
  return tracker;
}

function seconds(answer: () => void, times: number): number {
  const started = performance.now();
  for (let i = 0; i < times; i++) answer();
  return (performance.now() - started) / 1000 / times;
}

export async function run(): Promise<BenchResult & { gaps: number; first_answer_s: number }> {
  const tracker = sparseTracker();
  const ours = (): void => {
    gapSummaryOf(tracker);
    largestGapsOf(tracker);
  };
  const peer = (): void => {
    const gaps = Array.from({ length: tracker.size }, (_, i) => tracker.gap(tracker.idAt(i)));
    summariseGaps(gaps);
    largestGaps(gaps);
  };
  // The first answer folds every final gap; the later ones read what is left.
  const first = seconds(ours, 1);
  const oursS = seconds(ours, ANSWERS);
  const peerS = seconds(peer, 20);
  console.log(
    `${tracker.size.toLocaleString()} gaps: first answer ${(first * 1000).toFixed(2)} ms, ` +
      `then ${(oursS * 1000).toFixed(4)} ms an answer; from every record ${(peerS * 1000).toFixed(2)} ms`,
  );
  return {
    name: 'gap-overview',
    ours_s: round(oursS, 7),
    peer: 'every record',
    peer_s: round(peerS, 5),
    ratio: round(oursS / peerS, 5),
    events_per_s: null,
    bytes_per_bar: null,
    gaps: tracker.size,
    first_answer_s: round(first, 5),
  };
}
