/**
 * Row-level checks on decoded stream data. One validator follows a stream across its files, so
 * ordering is checked across file boundaries too. Bad rows either throw (the default: a session
 * never sees data that was quietly altered) or, with skipInvalid, are dropped and counted.
 */
import { DataError, type StreamBatch } from '../../../shared/stream-cursor';
import type { StreamType } from '../../../shared/stream-types';
import { screenValues, valueProblem } from '../../../shared/market/value-rules';
import { toIsoMs } from '../../../shared/time';

export interface RowValidatorOptions {
  /** Drop bad rows instead of throwing. */
  skipInvalid?: boolean;
  /** Sees every problem, thrown or skipped (preflight collects them; cursors may log them). */
  onProblem?: (problem: DataError) => void;
}

interface Problem {
  field: string;
  message: string;
}

/** The largest instant a JavaScript Date can hold; anything beyond is garbage, not a time. */
const MAX_DATE_MS = 8.64e15;

export class RowValidator {
  /** Rows dropped so far (skipInvalid only). */
  skipped = 0;
  private lastTimestamp = -Infinity;
  // Where the last good row came from, for "goes back before" messages across files.
  private lastFile = '';
  private lastRow = 0;
  private readonly strictlyIncreasing: boolean;
  /** Rows of the batch under check that may break a value rule (reused). */
  private suspect = new Uint8Array(0);

  constructor(
    readonly type: StreamType,
    private readonly options: RowValidatorOptions = {},
  ) {
    // Two bars cannot start at the same instant; quotes and ticks legitimately share one.
    this.strictlyIncreasing = type === 'bars';
  }

  /**
   * Checks `batch` (rows `firstRow + 1 …` of `file`, 1-based), compacting good rows to the
   * front when skipping. Returns the number of good rows. Compacting puts copies of the columns
   * in `batch`, never writing into the ones it came with: those may be shared (slab-cache.ts).
   */
  check(batch: StreamBatch, file: string, firstRow: number): number {
    let { timestamp, values } = batch;
    const given = timestamp;
    // The value rules run over whole columns first; only a marked row is looked at closely.
    const suspect = this.suspectRows(batch.length);
    screenValues(this.type, values, batch.length, suspect);
    let kept = 0;
    for (let i = 0; i < batch.length; i++) {
      const problem =
        this.checkTimestamp(timestamp[i]) ??
        (suspect[i] === 1 ? (valueProblem(this.type, values, i) ?? undefined) : undefined);
      if (problem) {
        this.reject(problem, file, firstRow + i + 1);
        continue;
      }
      this.lastTimestamp = timestamp[i];
      this.lastFile = file;
      this.lastRow = firstRow + i + 1;
      if (kept !== i) {
        if (timestamp === given) {
          timestamp = batch.timestamp = timestamp.slice(0, batch.length);
          values = batch.values = values.map((column) => column.slice(0, batch.length));
        }
        timestamp[kept] = timestamp[i];
        for (const column of values) column[kept] = column[i];
      }
      kept++;
    }
    return kept;
  }

  /**
   * check(), or for rows a file's seal vouches for (DecodedSlab.vouched), only their order
   * after the rows before them: they passed the rules when written and are unchanged since.
   */
  checkSlab(batch: StreamBatch, file: string, firstRow: number, vouched: boolean): number {
    const n = batch.length;
    if (!vouched || n === 0 || !this.follows(batch.timestamp[0]!)) {
      return this.check(batch, file, firstRow);
    }
    this.vouchFor(file, firstRow + n, batch.timestamp[n - 1]!);
    return n;
  }

  /**
   * Whether a file whose rows all passed these rules when it was written, starting at `first`,
   * may follow the rows seen so far. False means its rows must be checked one by one.
   */
  follows(first: number): boolean {
    return first > this.lastTimestamp || (first === this.lastTimestamp && !this.strictlyIncreasing);
  }

  /** Takes such a file's `rows` rows as checked; `last` is its final timestamp. */
  vouchFor(file: string, rows: number, last: number): void {
    this.lastTimestamp = last;
    this.lastFile = file;
    this.lastRow = rows;
  }

  private checkTimestamp(t: number): Problem | undefined {
    if (!Number.isFinite(t)) return { field: 'timestamp', message: notFinite(t) };
    if (Math.abs(t) > MAX_DATE_MS) {
      return { field: 'timestamp', message: `${t} ms is outside the range of dates` };
    }
    if (t > this.lastTimestamp || (t === this.lastTimestamp && !this.strictlyIncreasing)) {
      return undefined;
    }
    const what = t === this.lastTimestamp ? 'repeats' : 'goes back before';
    const noun = this.strictlyIncreasing ? 'bar' : 'row';
    const where = `${this.lastFile} row ${this.lastRow}`;
    return {
      field: 'timestamp',
      message: `${toIsoMs(t)} ${what} the previous ${noun}'s ${toIsoMs(this.lastTimestamp)} (${where})`,
    };
  }

  private suspectRows(n: number): Uint8Array {
    if (this.suspect.length < n) this.suspect = new Uint8Array(n);
    const suspect = this.suspect;
    suspect.fill(0, 0, n);
    return suspect;
  }

  private reject(problem: Problem, file: string, row: number): void {
    const error = new DataError(
      `${file}: row ${row}, field "${problem.field}" ${problem.message}`,
      file,
      row,
      problem.field,
    );
    this.options.onProblem?.(error);
    if (!this.options.skipInvalid) throw error;
    this.skipped++;
  }
}

function notFinite(value: number): string {
  return Number.isNaN(value) ? 'is NaN or null' : `is ${value}`;
}
