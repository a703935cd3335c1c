/**
 * The per-row checks of an import, in two speeds: `screen` marks suspect rows with tight loops
 * over whole columns (nearly every row of a real file passes), and `explain` looks at a suspect
 * row closely and logs what is wrong with it, naming its row, field and source text.
 */
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';
import { screenValues, valueProblem } from '../../../shared/market/value-rules';
import { toIsoMs } from '../../../shared/time';
import { shownValue, type ProblemLog } from './import-problems';
import { GENERIC_WORDING, type ProblemWording } from './problem-wording';
import type { RawBatch } from './tabular-source';

const MAX_DATE_MS = 8.64e15;
/**
 * Market data lies between these (UTC, [from, to)): a time outside is a wrong unit or a broken
 * value, refused with its row rather than imported as year 9999 or shown as "Invalid time".
 */
export const FIRST_TIME_MS = Date.UTC(1970, 0, 1);
export const END_TIME_MS = Date.UTC(2100, 0, 1);

export interface RowCheckSettings {
  kind: StreamType;
  /** Bars: the interval in ms, for the grid check (0 skips it). */
  stepMs: number;
  /** Subtracted from timestamps first (end-stamped bars). */
  shiftMs: number;
  intervalName?: string;
  timestampColumn: string;
  fieldColumns: (string | undefined)[];
  wording?: ProblemWording;
}

export class RowChecker {
  private readonly fields: readonly string[];
  private readonly wording: ProblemWording;

  constructor(
    private readonly settings: RowCheckSettings,
    private readonly log: ProblemLog,
  ) {
    this.fields = STREAM_FIELDS[settings.kind];
    this.wording = settings.wording ?? GENERIC_WORDING;
  }

  /** 1 for every row that may be invalid; 0 for rows that certainly pass. */
  screen(batch: RawBatch): Uint8Array {
    const n = batch.length;
    const suspect = new Uint8Array(n);
    const ts = batch.timestamp;
    const v = batch.values;
    const { stepMs, shiftMs } = this.settings;
    for (let i = 0; i < n; i++) {
      const t = ts[i] - shiftMs;
      if (!(t >= FIRST_TIME_MS && t < END_TIME_MS)) suspect[i] = 1;
      else if (stepMs > 0 && t % stepMs !== 0) suspect[i] = 1;
    }
    screenValues(this.settings.kind, v, n, suspect);
    return suspect;
  }

  /** Logs what is wrong with row `i` (source row `row`); false when it must not be imported. */
  explain(batch: RawBatch, i: number, row: number): boolean {
    const { timestampColumn, stepMs, shiftMs } = this.settings;
    const t = batch.timestamp[i] - shiftMs;
    if (!(Math.abs(t) <= MAX_DATE_MS)) {
      const text = batch.raw(i, -1);
      this.invalid(
        row,
        timestampColumn,
        text,
        'timestamp',
        `"${shownValue(text)}" is not a timestamp`,
      );
      return false;
    }
    if (!(t >= FIRST_TIME_MS && t < END_TIME_MS)) {
      const text = batch.raw(i, -1);
      this.invalid(
        row,
        timestampColumn,
        text,
        'range',
        `"${shownValue(text)}" (${toIsoMs(t)}) is outside 1970-2100: not market data, or a wrong unit`,
      );
      return false;
    }
    if (!this.checkValues(batch, i, row)) return false;
    if (stepMs > 0 && t % stepMs !== 0) {
      this.invalid(
        row,
        timestampColumn,
        batch.raw(i, -1),
        'grid',
        this.wording.offGrid(t, this.settings.intervalName),
      );
      return false;
    }
    return true;
  }

  invalid(row: number, field: string, value: string, key: string, message: string): void {
    this.log.add('invalid', 'error', { row, field, value, message }, `invalid:${key}`);
  }

  private checkValues(batch: RawBatch, i: number, row: number): boolean {
    const v = batch.values;
    const names = this.settings.fieldColumns;
    const fields = this.fields;
    const column = (k: number) => names[k] ?? fields[k];
    for (let k = 0; k < fields.length; k++) {
      const x = v[k][i];
      if (!Number.isFinite(x)) {
        const text = batch.raw(i, k);
        const message =
          text === ''
            ? `${fields[k]} is missing`
            : `${fields[k]} "${shownValue(text)}" is not a number`;
        this.invalid(row, column(k), text, 'nan', message);
        return false;
      }
    }
    // Numbers all: the rest is the shared value rules, in their words.
    const problem = valueProblem(this.settings.kind, v, i);
    if (!problem) return true;
    const k = fields.indexOf(problem.field);
    this.invalid(row, column(k), batch.raw(i, k), problem.key, this.wording.value(problem));
    return false;
  }
}
