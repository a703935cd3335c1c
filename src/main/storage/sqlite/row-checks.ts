/**
 * The row rules of the store (shared/market/value-rules.ts) in SQLite's two forms: a SQL
 * predicate, so preflight counts bad rows inside SQLite in one indexed pass, and a JS check on
 * raw SQLite values, so a cursor never hands out a bad row and every problem is described the
 * same way.
 *
 * SQLite's flexible typing is why the checks look at types: a REAL column can hold NULL, text
 * or a blob written by another tool, and SQLite stores NaN as NULL.
 */
import { STREAM_FIELDS, type StreamType } from '../../../shared/stream-types';
import { validRowSql, valueProblemAt } from '../../../shared/market/value-rules';

export interface RowProblem {
  field: string;
  message: string;
}

/** SQLite reads the literal 9e999 as +Infinity. */
const FINITE = (column: string): string =>
  `(typeof(${column}) IN ('integer', 'real') AND abs(${column}) < 9e999)`;

/** A SQL expression true for a row that breaks a rule. */
export function invalidRowSql(type: StreamType): string {
  return `NOT (${validRowSql(type, FINITE)})`;
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
  const problem = valueProblemAt(type, (k) => values[offset + k] as number);
  return problem ? { field: problem.field, message: problem.message } : undefined;
}

function describeNonNumber(value: unknown): string {
  if (value === null || value === undefined) return 'is NULL (or NaN, which SQLite stores as NULL)';
  if (typeof value === 'number') return `is ${value}`;
  if (typeof value === 'string') return `is text ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'bigint') return `is ${value}, too large for a number`;
  return 'is a blob';
}
