/**
 * Arrow vectors to the engine's Float64Array columns. Nulls become NaN so the validator reports
 * them with the other non-numbers.
 */
import type { Data, Vector } from 'apache-arrow';
import type { TimeUnit } from 'hyparquet';

const TWO_32 = 4_294_967_296;

/** A numeric column. DOUBLE with no nulls is returned as a view, without copying. */
export function valuesToFloat64(vector: Vector): Float64Array {
  const chunks = vector.data as Data[];
  // A dictionary-typed column (pandas' categoricals, kept by pyarrow) holds indexes in its
  // buffers; rare enough to look each value up.
  if (chunks.some((chunk) => chunk.dictionary)) return lookedUp(vector);
  if (chunks.length === 1 && chunks[0].values instanceof Float64Array && !chunks[0].nullCount) {
    return chunks[0].values.subarray(0, chunks[0].length);
  }
  return convert(chunks, vector.length, undefined, (values, out, at, n) => {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      int64ToNumbers(values, out, at, n, 1);
    } else {
      for (let i = 0; i < n; i++) out[at + i] = Number(values[i]);
    }
  });
}

/**
 * A timestamp column (TIMESTAMP of any unit, or INT64) to epoch milliseconds. A single chunk is
 * converted where it lies, each 64-bit integer replaced by its float: the decoder's buffer then
 * holds the whole slab, and a day file costs one allocation instead of one per column (freed
 * mid-sized buffers stay resident in the allocator's arenas, so their number is what counts).
 */
export function timestampsToMs(vector: Vector, unit: TimeUnit): Float64Array {
  const chunks = vector.data as Data[];
  const only = chunks.length === 1 ? chunks[0] : undefined;
  const inPlace =
    only?.values instanceof BigInt64Array
      ? new Float64Array(only.values.buffer, only.values.byteOffset, only.length)
      : undefined;
  return convert(chunks, vector.length, inPlace, (values, out, at, n) => {
    if (!(values instanceof BigInt64Array)) {
      throw new TypeError(`timestamp decoded as ${values.constructor.name}, expected 64-bit`);
    }
    timestampsToMsInto(values, unit, out, at, n);
  });
}

/** `n` stored timestamp integers in `unit` to epoch milliseconds, into `out` from `at`. */
export function timestampsToMsInto(
  values: BigInt64Array,
  unit: TimeUnit,
  out: Float64Array,
  at: number,
  n: number,
): void {
  if (unit === 'NANOS') {
    // Nanoseconds exceed 2^53, so a float division could land on the wrong millisecond.
    for (let i = 0; i < n; i++) out[at + i] = Number(values[i]! / 1_000_000n);
  } else {
    int64ToNumbers(values, out, at, n, unit === 'MICROS' ? 1000 : 1);
  }
}

type Fill = (values: ArrayLike<number | bigint>, out: Float64Array, at: number, n: number) => void;

/** `into`, when given, may be the values' own memory: `fill` reads each slot before writing it. */
function convert(
  chunks: Data[],
  length: number,
  into: Float64Array | undefined,
  fill: Fill,
): Float64Array {
  const out = into ?? new Float64Array(length);
  let at = 0;
  for (const chunk of chunks) {
    fill(chunk.values as ArrayLike<number | bigint>, out, at, chunk.length);
    if (chunk.nullCount > 0) markNulls(chunk, out, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Reads 64-bit integers through 32-bit halves: exact below 2^53 (every real epoch ms or µs) and
 * several times faster than converting one BigInt per element.
 */
function int64ToNumbers(
  values: BigInt64Array | BigUint64Array,
  out: Float64Array,
  at: number,
  n: number,
  divisor: number,
): void {
  const words = new Uint32Array(values.buffer, values.byteOffset, n * 2);
  const signed = values instanceof BigInt64Array;
  for (let i = 0; i < n; i++) {
    const lo = words[2 * i];
    const hi = words[2 * i + 1];
    const high = signed ? hi | 0 : hi;
    const value = high * TWO_32 + lo;
    out[at + i] = divisor === 1 ? value : Math.floor(value / divisor);
  }
}

function markNulls(chunk: Data, out: Float64Array, at: number): void {
  if (chunk.nullBitmap) nullsToNaN(chunk.nullBitmap, chunk.offset, out, at, chunk.length);
}

/** Slots whose validity bit (from bit `offset` of `bitmap`) is clear become NaN. */
export function nullsToNaN(
  bitmap: Uint8Array,
  offset: number,
  out: Float64Array,
  at: number,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const bit = offset + i;
    if ((bitmap[bit >> 3]! & (1 << (bit & 7))) === 0) out[at + i] = NaN;
  }
}

function lookedUp(vector: Vector): Float64Array {
  const out = new Float64Array(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const value: unknown = vector.get(i);
    out[i] = value === null ? NaN : Number(value);
  }
  return out;
}
