/**
 * Row-level checks on decoded stream data. One validator follows a stream across its files, so
 * ordering is checked across file boundaries too. Bad rows either throw (the default: a session
 * never sees data that was quietly altered) or, with skipInvalid, are dropped and counted.
 */
import { DataError, type StreamBatch } from '../../../shared/stream-cursor';
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';
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

type RowCheck = (values: Float64Array[], i: number) => Problem | undefined;

export class RowValidator {
  /** Rows dropped so far (skipInvalid only). */
  skipped = 0;
  private lastTimestamp = -Infinity;
  // Where the last good row came from, for "goes back before" messages across files.
  private lastFile = '';
  private lastRow = 0;
  private readonly fields: readonly string[];
  private readonly checkRow: RowCheck;
  private readonly strictlyIncreasing: boolean;

  constructor(
    readonly type: StreamType,
    private readonly options: RowValidatorOptions = {},
  ) {
    this.fields = STREAM_FIELDS[type];
    this.checkRow = ROW_CHECKS[type];
    // Two bars cannot start at the same instant; quotes and ticks legitimately share one.
    this.strictlyIncreasing = type === 'bars';
  }

  /**
   * Checks `batch` (rows `firstRow + 1 …` of `file`, 1-based), compacting good rows to the
   * front when skipping. Returns the number of good rows.
   */
  check(batch: StreamBatch, file: string, firstRow: number): number {
    const { timestamp, values } = batch;
    let kept = 0;
    for (let i = 0; i < batch.length; i++) {
      const problem = this.checkTimestamp(timestamp[i]) ?? this.checkValues(values, i);
      if (problem) {
        this.reject(problem, file, firstRow + i + 1);
        continue;
      }
      this.lastTimestamp = timestamp[i];
      this.lastFile = file;
      this.lastRow = firstRow + i + 1;
      if (kept !== i) {
        timestamp[kept] = timestamp[i];
        for (const column of values) column[kept] = column[i];
      }
      kept++;
    }
    return kept;
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

  private checkValues(values: Float64Array[], i: number): Problem | undefined {
    for (let k = 0; k < values.length; k++) {
      if (!Number.isFinite(values[k][i])) {
        return { field: this.fields[k], message: notFinite(values[k][i]) };
      }
    }
    return this.checkRow(values, i);
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

function positive(field: string, value: number): Problem | undefined {
  return value > 0 ? undefined : { field, message: `is ${value}; it must be above zero` };
}

function nonNegative(field: string, value: number): Problem | undefined {
  return value >= 0 ? undefined : { field, message: `is ${value}; it cannot be negative` };
}

const ROW_CHECKS: Record<StreamType, RowCheck> = {
  bars(values, i) {
    const open = values[0][i];
    const high = values[1][i];
    const low = values[2][i];
    const close = values[3][i];
    const problem =
      positive('open', open) ??
      positive('high', high) ??
      positive('low', low) ??
      positive('close', close) ??
      nonNegative('volume', values[4][i]);
    if (problem) return problem;
    if (high < low) return { field: 'high', message: `${high} is below low ${low}` };
    if (high < Math.max(open, close)) {
      return { field: 'high', message: `${high} is below open ${open} or close ${close}` };
    }
    if (low > Math.min(open, close)) {
      return { field: 'low', message: `${low} is above open ${open} or close ${close}` };
    }
    return undefined;
  },
  quotes(values, i) {
    return (
      positive('bid', values[0][i]) ??
      positive('ask', values[1][i]) ??
      nonNegative('bid_size', values[2][i]) ??
      nonNegative('ask_size', values[3][i])
    );
  },
  ticks(values, i) {
    return positive('price', values[0][i]) ?? nonNegative('size', values[1][i]);
  },
};
