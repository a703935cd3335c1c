/**
 * The value rules of market data, once: which fields must be above zero, which may not be
 * negative, and how a bar's high and low bound its open and close. Every place that judges a
 * row derives its check from this table: the stores when a session loads, SQLite's preflight
 * (as SQL), the importer's fast screen over whole columns and its per-row explanation, the
 * refill acceptance and the live feed. So a row accepted at import is never refused at load,
 * and a broken row is described in the same words wherever it is met. Parquet files record the
 * version of these rules their rows passed when written (ROW_RULES_VERSION): a change to a rule
 * must bump it, so files sealed under the old rules are checked row by row again.
 */
import { STREAM_FIELDS, type StreamType } from '../stream-types';

/** A field's sign rule. Every field must also be a finite number. */
export type SignRule = 'positive' | 'non-negative';

/** `field` must be at least (`>=`) or at most (`<=`) every field of `bounds`. */
export interface OrderRule {
  field: string;
  op: '>=' | '<=';
  bounds: readonly string[];
  /** A short stable name (problem logs group by it). */
  key: string;
}

export interface KindRules {
  fields: readonly string[];
  signs: readonly SignRule[];
  order: readonly OrderRule[];
}

export const VALUE_RULES: Record<StreamType, KindRules> = {
  bars: {
    fields: STREAM_FIELDS.bars,
    signs: ['positive', 'positive', 'positive', 'positive', 'non-negative'],
    order: [
      { field: 'high', op: '>=', bounds: ['low'], key: 'high<low' },
      { field: 'high', op: '>=', bounds: ['open', 'close'], key: 'high<oc' },
      { field: 'low', op: '<=', bounds: ['open', 'close'], key: 'low>oc' },
    ],
  },
  quotes: {
    fields: STREAM_FIELDS.quotes,
    signs: ['positive', 'positive', 'non-negative', 'non-negative'],
    order: [],
  },
  ticks: {
    fields: STREAM_FIELDS.ticks,
    signs: ['positive', 'non-negative'],
    order: [],
  },
};

export interface ValueProblem {
  field: string;
  /** `nan`, `nonpositive`, `negative` or an order rule's key. */
  key: string;
  /** Says what is wrong after the field's name: `is 0; it must be above zero`. */
  message: string;
}

/** Field `k`'s value `x` as a problem, or null when it keeps its sign rule. */
function signProblem(rules: KindRules, k: number, x: number): ValueProblem | null {
  const field = rules.fields[k]!;
  if (!Number.isFinite(x)) {
    return { field, key: 'nan', message: Number.isNaN(x) ? 'is NaN or null' : `is ${x}` };
  }
  if (rules.signs[k] === 'positive') {
    return x > 0 ? null : { field, key: 'nonpositive', message: `is ${x}; it must be above zero` };
  }
  return x >= 0 ? null : { field, key: 'negative', message: `is ${x}; it cannot be negative` };
}

function orderProblem(rule: OrderRule, value: (field: string) => number): ValueProblem | null {
  const x = value(rule.field);
  const broken = rule.bounds.some((b) => (rule.op === '>=' ? x < value(b) : x > value(b)));
  if (!broken) return null;
  const words = rule.bounds.map((b) => `${b} ${value(b)}`).join(' or ');
  return {
    field: rule.field,
    key: rule.key,
    message: `${x} is ${rule.op === '>=' ? 'below' : 'above'} ${words}`,
  };
}

/**
 * The first rule a row breaks, or null. `value(k)` reads field k (in STREAM_FIELDS order):
 * columns, a row array or a decoded record alike, with no copy.
 */
export function valueProblemAt(
  kind: StreamType,
  value: (k: number) => number,
): ValueProblem | null {
  const rules = VALUE_RULES[kind];
  for (let k = 0; k < rules.fields.length; k++) {
    const problem = signProblem(rules, k, value(k));
    if (problem) return problem;
  }
  const byName = (field: string): number => value(rules.fields.indexOf(field));
  for (const rule of rules.order) {
    const problem = orderProblem(rule, byName);
    if (problem) return problem;
  }
  return null;
}

/** The first rule row `i` of `columns` (STREAM_FIELDS order) breaks, or null. */
export function valueProblem(
  kind: StreamType,
  columns: readonly ArrayLike<number>[],
  i: number,
): ValueProblem | null {
  return valueProblemAt(kind, (k) => columns[k]![i]!);
}

/** A bar's values as a problem sentence (`high 5 is below open 6 or close 7`), or null. */
export function barValuesProblem(
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
): string | null {
  const values = [open, high, low, close, volume];
  const problem = valueProblemAt('bars', (k) => values[k]!);
  return problem && `${problem.field} ${problem.message}`;
}

/**
 * Marks (sets to 1 in `suspect`) every row of `columns` [0, n) that breaks a rule: one tight
 * loop per rule over a whole column, for the import's screen and the stores' batches, where
 * nearly every row passes and only the marked ones are looked at closely.
 */
export function screenValues(
  kind: StreamType,
  columns: readonly ArrayLike<number>[],
  n: number,
  suspect: Uint8Array,
): void {
  const rules = VALUE_RULES[kind];
  for (let k = 0; k < rules.fields.length; k++) {
    const c = columns[k]!;
    if (rules.signs[k] === 'positive') {
      for (let i = 0; i < n; i++) if (!(c[i]! > 0 && c[i]! < Infinity)) suspect[i] = 1;
    } else {
      for (let i = 0; i < n; i++) if (!(c[i]! >= 0 && c[i]! < Infinity)) suspect[i] = 1;
    }
  }
  for (const rule of rules.order) {
    const x = columns[rules.fields.indexOf(rule.field)]!;
    for (const bound of rule.bounds) {
      const b = columns[rules.fields.indexOf(bound)]!;
      if (rule.op === '>=') {
        for (let i = 0; i < n; i++) if (x[i]! < b[i]!) suspect[i] = 1;
      } else {
        for (let i = 0; i < n; i++) if (x[i]! > b[i]!) suspect[i] = 1;
      }
    }
  }
}

/**
 * The rules as a SQL predicate over columns named like the fields, true for a good row:
 * `finite(column)` says how the dialect tests that a value is a finite number.
 */
export function validRowSql(kind: StreamType, finite: (column: string) => string): string {
  const rules = VALUE_RULES[kind];
  const parts = rules.fields.map((f) => finite(f));
  rules.fields.forEach((f, k) =>
    parts.push(rules.signs[k] === 'positive' ? `${f} > 0` : `${f} >= 0`),
  );
  for (const rule of rules.order) {
    for (const b of rule.bounds) parts.push(`${rule.field} ${rule.op} ${b}`);
  }
  return parts.join(' AND ');
}
