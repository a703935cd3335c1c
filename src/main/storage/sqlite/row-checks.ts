/**
 * The row rules of the store (the same as the parquet reader's), in two forms that must agree:
 * a SQL predicate, so preflight counts bad rows inside SQLite in one indexed pass, and a JS
 * check, so a cursor never hands out a bad row and every problem is described the same way.
 *
 * SQLite's flexible typing is why the checks look at types: a REAL column can hold NULL, text
 * or a blob written by another tool, and SQLite stores NaN as NULL.
 */
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';

export interface RowProblem {
  field: string;
  message: string;
}

/** SQLite reads the literal 9e999 as +Infinity. */
const FINITE = (column: string): string =>
  `(typeof(${column}) IN ('integer', 'real') AND abs(${column}) < 9e999)`;

const RULES_SQL: Record<StreamType, string> = {
  bars:
    'open > 0 AND high > 0 AND low > 0 AND close > 0 AND volume >= 0 AND high >= low ' +
    'AND high >= max(open, close) AND low <= min(open, close)',
  quotes: 'bid > 0 AND ask > 0 AND bid_size >= 0 AND ask_size >= 0',
  ticks: 'price > 0 AND size >= 0',
};

/** A SQL expression true for a row that breaks a rule. */
export function invalidRowSql(type: StreamType): string {
  const finite = STREAM_FIELDS[type].map(FINITE).join(' AND ');
  return `NOT (${finite} AND ${RULES_SQL[type]})`;
}

/**
 * The first rule a row breaks, or undefined: `values` holds raw SQLite values, the row's fields
 * from `offset` on, in STREAM_FIELDS order (a cursor passes the raw row as it came, no copy).
 * Rules are checked in a fixed order so the SQL count and these messages describe the same rows.
 */
export function rowProblem(
  type: StreamType,
  values: readonly unknown[],
  offset = 0,
): RowProblem | undefined {
  const fields = STREAM_FIELDS[type];
  for (let k = 0; k < fields.length; k++) {
    const value = values[offset + k];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return { field: fields[k], message: describeNonNumber(value) };
    }
  }
  return RULES_JS[type](values as readonly number[], offset);
}

function describeNonNumber(value: unknown): string {
  if (value === null || value === undefined) return 'is NULL (or NaN, which SQLite stores as NULL)';
  if (typeof value === 'number') return `is ${value}`;
  if (typeof value === 'string') return `is text ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'bigint') return `is ${value}, too large for a number`;
  return 'is a blob';
}

function positive(field: string, value: number): RowProblem | undefined {
  return value > 0 ? undefined : { field, message: `is ${value}; it must be above zero` };
}

function nonNegative(field: string, value: number): RowProblem | undefined {
  return value >= 0 ? undefined : { field, message: `is ${value}; it cannot be negative` };
}

type Rule = (v: readonly number[], o: number) => RowProblem | undefined;

const RULES_JS: Record<StreamType, Rule> = {
  bars(v, o) {
    const open = v[o];
    const high = v[o + 1];
    const low = v[o + 2];
    const close = v[o + 3];
    const volume = v[o + 4];
    const problem =
      positive('open', open) ??
      positive('high', high) ??
      positive('low', low) ??
      positive('close', close) ??
      nonNegative('volume', volume);
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
  quotes(v, o) {
    return (
      positive('bid', v[o]) ??
      positive('ask', v[o + 1]) ??
      nonNegative('bid_size', v[o + 2]) ??
      nonNegative('ask_size', v[o + 3])
    );
  },
  ticks(v, o) {
    return positive('price', v[o]) ?? nonNegative('size', v[o + 1]);
  },
};
