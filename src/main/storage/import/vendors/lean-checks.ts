/**
 * The import's row checks, applied to decoded LEAN rows: the shared value rules
 * (shared/market/value-rules.ts) that the stores enforce when a session loads, so nothing that
 * passes here is refused later, plus nothing the preview merely reports (crossed quotes, rows
 * outside regular hours).
 */
import type { StreamType } from '../../../../shared/stream-types';
import { valueProblemAt } from '../../../../shared/market/value-rules';

type RowProblem = { field: string; message: string } | undefined;

/** The stores' value rules for one row; undefined when it is good. */
export function checkValues(kind: StreamType, v: Float64Array): RowProblem {
  const problem = valueProblemAt(kind, (k) => v[k]!);
  return problem ? { field: problem.field, message: problem.message } : undefined;
}
