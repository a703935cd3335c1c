/**
 * How the import words the problems whose text depends on how a source shows its times: rows
 * out of order, duplicate bars, bars off their interval's grid, and broken values. The checks
 * are one (chunk-assembler, row-checks); a source whose times are not instants in the file
 * (LEAN's ms since the file's midnight) says them in its own terms.
 */
import type { ValueProblem } from '../../../shared/market/value-rules';
import { toIsoMs } from '../../../shared/time';

export interface ProblemWording {
  /** Row at `t` came after row `lastRow` at the later `last`. */
  outOfOrder(t: number, last: number, lastRow: number, sorted: boolean): string;
  /** A bar at `t` repeats row `firstRow`'s time. */
  duplicate(t: number, firstRow: number, refused: boolean): string;
  /** A bar starting at `t` is off the grid of `interval`. */
  offGrid(t: number, interval: string | undefined): string;
  /** A value breaking the shared value rules. */
  value(problem: ValueProblem): string;
}

export const GENERIC_WORDING: ProblemWording = {
  outOfOrder: (t, last, lastRow, sorted) =>
    `${toIsoMs(t)} is before ${toIsoMs(last)} (row ${lastRow})${
      sorted
        ? '; sorted'
        : '; rows must be in time order: to sort them, pass --sort (or tick "Sort rows that are out of order")'
    }`,
  duplicate: (t, firstRow, refused) =>
    `duplicate bar: ${toIsoMs(t)} repeats row ${firstRow}${refused ? '' : ' (dropped; the first is kept)'}`,
  offGrid: (t, interval) => `bar start ${toIsoMs(t)} is not on the ${interval} grid`,
  value: (problem) => `${problem.field} ${problem.message}`,
};
