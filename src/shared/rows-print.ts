/**
 * A fingerprint of a run of a stream's rows: two reads of the same rows give the same number,
 * and a changed value, a lost row or a reordering almost surely does not. A bounded session
 * keeps one per released day, to check the day when it is read back from the store; the
 * reader worker makes one for each slab it decodes, so the day that is exactly one slab needs
 * none made on the merge's thread (docs/long-sessions.md, "Fingerprints made by the reader").
 * Both sides fold the same bytes, in the same order, with the same CRC-32: this module says
 * which bytes; the caller brings the CRC (Node's zlib runs it natively).
 */

/** A CRC-32 continued from `value` (0 to start): zlib's crc32 has this shape. */
export type Crc32 = (data: Uint8Array, value?: number) => number;

/** What a slab's fingerprint covers: its first and last timestamps and its row count. */
export interface RowsPrint {
  first: number;
  last: number;
  rows: number;
  fingerprint: number;
}

/**
 * The fingerprint of rows [from, to): the timestamp column's bytes, then each value column's,
 * then one flags byte per row.
 */
export function fingerprintRows(
  crc: Crc32,
  timestamp: Float64Array,
  values: readonly Float64Array[],
  flags: Uint8Array,
  from: number,
  to: number,
): number {
  if (to <= from) return 0;
  let h = crc(bytesOf(timestamp, from, to));
  for (const column of values) h = crc(bytesOf(column, from, to), h);
  h = crc(flags.subarray(from, to), h);
  return h >>> 0;
}

function bytesOf(column: Float64Array, from: number, to: number): Uint8Array {
  return new Uint8Array(column.buffer, column.byteOffset + from * 8, (to - from) * 8);
}
