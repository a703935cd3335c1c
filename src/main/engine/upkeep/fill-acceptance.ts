/**
 * What of a fill source's answer may enter session data. A source is another store, written by
 * other tools: it may answer with rows outside the asked window, the same bar twice, rows out of
 * order, or values that break the bar rules. Those rows are refused (counted and reported with
 * the reason), never inserted; rows the session already holds are simply not needed.
 */
import { barValuesProblem } from '../../../shared/market/value-rules';
import type { StreamBatch } from '../../../shared/stream-cursor';
import type { GapTable } from './gap-table';

export interface RefusedRow {
  timestamp: number;
  reason: string;
}

export interface AcceptedFill {
  /** Per gap of the group: batch rows that fill one of its slots, in time order. */
  rows: number[][];
  refused: RefusedRow[];
}

/** Sorts the rows of `batch` (an answer for [start, end)) into the gaps of `group` (ids in `table`). */
export function acceptFill(
  stepMs: number,
  table: GapTable,
  group: readonly number[],
  batch: StreamBatch,
  start: number,
  end: number,
): AcceptedFill {
  const rows: number[][] = group.map(() => []);
  const refused: RefusedRow[] = [];
  const { timestamp, values } = batch;
  let previous = -Infinity;
  let g = 0;
  for (let i = 0; i < batch.length; i++) {
    const t = timestamp[i]!;
    let reason: string | null = null;
    if (!Number.isFinite(t)) {
      reason = 'timestamp is not a number';
    } else if (t < start || t >= end) {
      reason = `outside the asked range ${new Date(start).toISOString()} to ${new Date(end).toISOString()}`;
    } else if (t <= previous) {
      reason = t === previous ? 'a duplicate of the row before' : 'out of time order';
    } else {
      previous = t;
      while (g < group.length && table.end[group[g]!]! <= t) g++;
      if (g === group.length) continue;
      const gapStart = table.start[group[g]!]!;
      // Most rows of a window are bars the session already holds: nothing more to check.
      if (t < gapStart) continue;
      if ((t - gapStart) % stepMs !== 0) {
        reason = `not on the ${stepMs / 1000}s grid of the base interval`;
      } else {
        reason = barValuesProblem(
          values[0]![i]!,
          values[1]![i]!,
          values[2]![i]!,
          values[3]![i]!,
          values[4]![i]!,
        );
        if (reason === null) {
          rows[g]!.push(i);
          continue;
        }
      }
    }
    refused.push({ timestamp: t, reason });
  }
  return { rows, refused };
}
