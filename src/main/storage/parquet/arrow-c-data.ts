/**
 * Decoded columns read straight out of parquet-wasm's memory, through the Arrow C data interface
 * structs it leaves there (ArrowSchema, ArrowArray; wasm32, so pointers are 4 bytes and 64-bit
 * fields 8-aligned). Writing Arrow IPC instead costs a copy inside wasm, a second into a fresh
 * JavaScript buffer per slab, and a parse; here each value is read once, into the slab's own
 * memory. Only the flat numeric forms a stream column takes are read; for anything else the
 * caller falls back to IPC, so unusual files decode exactly as before.
 */
import type { TimeUnit } from 'hyparquet';
import { nullsToNaN, timestampsToMsInto } from './arrow-to-float64';

/** What parquet-wasm's FFI stream offers: record batches as ArrowArray structs, one schema. */
export interface FfiBatches {
  numArrays(): number;
  arrayAddr(chunk: number): number;
  schemaAddr(): number;
}

/**
 * Fills `out` (one column per name in `names`, `rows` long; the first is the timestamp, in
 * `unit`) from the record batches of `batches`. False, with `out` partly written, when a column
 * is missing, of a form not read here, or the rows do not add up: the caller decodes another way.
 */
export function readCData(
  memory: ArrayBuffer,
  batches: FfiBatches,
  names: readonly string[],
  unit: TimeUnit,
  out: readonly Float64Array[],
  rows: number,
): boolean {
  const view = new DataView(memory);
  const u32 = (at: number) => view.getUint32(at, true);
  /** A 64-bit field as a number; lengths and offsets here are far below 2^32. */
  const i64 = (at: number) => (view.getInt32(at + 4, true) === 0 ? u32(at) : -1);

  const schema = batches.schemaAddr();
  const fields = i64(schema + 24);
  if (fields < 0) return false;
  const indexOf = new Map<string, { index: number; format: string }>();
  for (let i = 0; i < fields; i++) {
    const child = u32(u32(schema + 32) + 4 * i);
    indexOf.set(cString(memory, u32(child + 4)), { index: i, format: cString(memory, u32(child)) });
  }
  const wanted = names.map((name) => indexOf.get(name));
  if (wanted.some((w) => w === undefined)) return false;
  // The timestamp is a 64-bit integer; anything else gets the other decoder's error.
  if (formOf(wanted[0]!.format) !== 'int64') return false;

  let at = 0;
  for (let chunk = 0; chunk < batches.numArrays(); chunk++) {
    const batch = batches.arrayAddr(chunk);
    const length = i64(batch);
    if (length < 0 || at + length > rows) return false;
    const children = u32(batch + 44);
    for (let c = 0; c < names.length; c++) {
      const { index, format } = wanted[c]!;
      const array = u32(children + 4 * index);
      const ok = readColumn(memory, view, array, format, c === 0 ? unit : null, out[c]!, at);
      if (!ok) return false;
    }
    at += length;
  }
  return at === rows;
}

/** One column's ArrowArray into `out` from `at`; nulls become NaN, as in arrow-to-float64. */
function readColumn(
  memory: ArrayBuffer,
  view: DataView,
  array: number,
  format: string,
  timestampUnit: TimeUnit | null,
  out: Float64Array,
  at: number,
): boolean {
  const u32 = (p: number) => view.getUint32(p, true);
  if (view.getInt32(array + 4, true) !== 0 || view.getInt32(array + 20, true) !== 0) return false;
  // A flat array of two buffers (validity, values): a dictionary-typed column's buffers would
  // hold indexes, not values, and a nested one has children.
  if (u32(array + 24) !== 2 || u32(array + 32) !== 0 || u32(array + 48) !== 0) return false;
  const length = u32(array);
  const offset = u32(array + 16);
  const nulls = view.getInt32(array + 8, true);
  const buffers = u32(array + 40);
  const validity = u32(buffers);
  const form = formOf(format);
  if (form === null) return false;
  const width = form === 'float32' || form === 'int32' ? 4 : 8;
  const start = u32(buffers + 4) + offset * width;
  if (start % width !== 0 || start + length * width > memory.byteLength) return false;

  if (form === 'float64') out.set(new Float64Array(memory, start, length), at);
  else if (form === 'float32') out.set(new Float32Array(memory, start, length), at);
  else if (form === 'int32') out.set(new Int32Array(memory, start, length), at);
  else {
    // A value column of 64-bit integers is read as milliseconds are: unscaled.
    const values = new BigInt64Array(memory, start, length);
    timestampsToMsInto(values, timestampUnit ?? 'MILLIS', out, at, length);
  }
  if (nulls !== 0 && validity !== 0) {
    nullsToNaN(new Uint8Array(memory, validity), offset, out, at, length);
  }
  return true;
}

type Form = 'float64' | 'float32' | 'int32' | 'int64';

/**
 * The forms read here, by C data interface format string: DOUBLE, FLOAT, INT32, and INT64 or a
 * timestamp of any unit (the stored unit comes from the parquet schema, as on the IPC path).
 */
function formOf(format: string): Form | null {
  if (format === 'g') return 'float64';
  if (format === 'f') return 'float32';
  if (format === 'i') return 'int32';
  if (format === 'l' || format.startsWith('ts')) return 'int64';
  return null;
}

const utf8 = new TextDecoder();

function cString(memory: ArrayBuffer, at: number): string {
  const bytes = new Uint8Array(memory);
  let end = at;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return utf8.decode(bytes.subarray(at, end));
}
