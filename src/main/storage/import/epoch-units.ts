/**
 * Numeric epoch timestamps: which unit a column counts in, inferred from magnitude, and exact
 * conversion to epoch milliseconds. Instants between 1973 and 5138 are unambiguous: a count of
 * seconds, milliseconds, microseconds or nanoseconds lands in a different power of ten.
 */
import type { TimestampUnit } from '../../../shared/import-contract';

/** Lower bound of each unit's magnitude: 1e8 s is 1973, 1e11 s would be the year 5138. */
const UNIT_FLOORS: Array<[TimestampUnit, number]> = [
  ['ns', 1e17],
  ['us', 1e14],
  ['ms', 1e11],
  ['s', 1e8],
];

export const UNIT_MS: Record<TimestampUnit, number> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 };

export interface InferredUnit {
  unit: TimestampUnit;
  /** Shown in the preview: `ms, from magnitude 1.7e12`. */
  note: string;
}

/**
 * The unit of a sample of epoch numbers, from their median magnitude, or undefined when the
 * values are too small to be epoch times at all (a time of day, a row number).
 */
export function inferEpochUnit(sample: ArrayLike<number>): InferredUnit | undefined {
  const finite: number[] = [];
  for (let i = 0; i < sample.length; i++) {
    const v = Math.abs(sample[i]);
    if (Number.isFinite(v) && v > 0) finite.push(v);
  }
  if (finite.length === 0) return undefined;
  finite.sort((a, b) => a - b);
  const median = finite[finite.length >> 1];
  const found = UNIT_FLOORS.find(([, floor]) => median >= floor);
  if (!found) return undefined;
  return {
    unit: found[0],
    note: `${found[0]}, from magnitude ${median.toExponential(1).replace('e+', 'e')}`,
  };
}

export function unitNote(unit: TimestampUnit): string {
  return `${unit}, as given`;
}

/**
 * An epoch number in `unit` to whole epoch ms, rounding sub-millisecond parts down. Seconds
 * written as decimals (1709562600.123) carry binary noise, hence the small nudge before flooring.
 */
export function epochNumberToMs(value: number, unit: TimestampUnit): number {
  switch (unit) {
    case 'ms':
      return Math.floor(value);
    case 's':
      return Math.floor(value * 1000 + 1e-3);
    case 'us':
      return Math.floor(value / 1000);
    case 'ns':
      return Math.floor(value / 1e6);
  }
}

const TWO_32 = 4_294_967_296;

/**
 * 64-bit integer epoch values (signed or unsigned) to epoch ms, exactly. Nanoseconds exceed
 * 2^53, so they are split into 32-bit halves and divided without ever forming the full number.
 */
export function int64ToMs(
  values: BigInt64Array | BigUint64Array,
  unit: TimestampUnit,
  out: Float64Array,
  at: number,
): void {
  const n = values.length;
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const signed = values instanceof BigInt64Array;
  const divisor = unit === 'ns' ? 1e6 : unit === 'us' ? 1e3 : 1;
  // 2^32 = 4294 * 1e6 + 967296 (ns) and 4294967 * 1e3 + 296 (µs): the high word's share of the
  // quotient is a whole number, its remainder small enough to add to the low word exactly.
  const highQuotient = unit === 'ns' ? 4294 : unit === 'us' ? 4_294_967 : 0;
  const highRemainder = unit === 'ns' ? 967_296 : unit === 'us' ? 296 : 0;
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i];
    const hiWord = words[2 * i + 1];
    const hi = signed ? hiWord | 0 : hiWord;
    if (divisor === 1) {
      const v = hi * TWO_32 + lo;
      out[at + i] = unit === 's' ? v * 1000 : v;
      continue;
    }
    const rest = hi * highRemainder + lo;
    let q = Math.floor(rest / divisor);
    if (q * divisor > rest) q--;
    else if ((q + 1) * divisor <= rest) q++;
    out[at + i] = hi * highQuotient + q;
  }
}
