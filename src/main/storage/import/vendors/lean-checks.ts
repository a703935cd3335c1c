/**
 * The import's row checks, applied to decoded LEAN rows: the same rules the stores enforce
 * when a session loads (row-validator.ts), so nothing that passes here is refused later, plus
 * nothing the preview merely reports (crossed quotes, rows outside regular hours).
 */
import { STREAM_FIELDS, type StreamType } from '../../../../shared/stream-types';

type RowProblem = { field: string; message: string } | undefined;

/** The stores' value rules for one row; undefined when it is good. */
export function checkValues(kind: StreamType, v: Float64Array): RowProblem {
  for (let k = 0; k < v.length; k++) {
    if (!Number.isFinite(v[k]!))
      return { field: STREAM_FIELDS[kind][k]!, message: 'is NaN or missing' };
  }
  if (kind === 'bars') {
    const [open, high, low, close, volume] = v as unknown as number[];
    return (
      positive('open', open!) ??
      positive('high', high!) ??
      positive('low', low!) ??
      positive('close', close!) ??
      nonNegative('volume', volume!) ??
      (high! < low!
        ? { field: 'high', message: `${high} is below low ${low}` }
        : high! < Math.max(open!, close!)
          ? { field: 'high', message: `${high} is below open ${open} or close ${close}` }
          : low! > Math.min(open!, close!)
            ? { field: 'low', message: `${low} is above open ${open} or close ${close}` }
            : undefined)
    );
  }
  if (kind === 'quotes') {
    return (
      positive('bid', v[0]!) ??
      positive('ask', v[1]!) ??
      nonNegative('bid_size', v[2]!) ??
      nonNegative('ask_size', v[3]!)
    );
  }
  return positive('price', v[0]!) ?? nonNegative('size', v[1]!);
}

function positive(field: string, value: number): RowProblem {
  return value > 0 ? undefined : { field, message: `is ${value}; a price must be above zero` };
}

function nonNegative(field: string, value: number): RowProblem {
  return value >= 0 ? undefined : { field, message: `is ${value}; it cannot be negative` };
}
