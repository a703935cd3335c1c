/**
 * The re-import rule, for one partition: rows are merged by timestamp and NEW ROWS REPLACE
 * OLD. Every stored row whose timestamp also occurs in the imported rows is dropped and
 * counted as replaced; the imported rows at that timestamp take its place. Importing the same
 * data twice therefore changes nothing (idempotent), and overlapping data never duplicates.
 *
 * Bars have one row per timestamp: among imported rows with the same timestamp (two files
 * overlapping within one import) the later one wins and the others are counted as dropped
 * duplicates. Quotes and ticks may share a timestamp, so all imported rows at a timestamp are
 * kept, in arrival order.
 */
import type { StreamType } from '../../../shared/stream-types';
import type { PartitionRows } from './partition-spool';

export interface MergeResult {
  rows: PartitionRows;
  /** Imported rows kept. */
  imported: number;
  /** Stored rows replaced by imported ones. */
  replaced: number;
  /** Imported bar rows superseded by a later imported row with the same timestamp. */
  duplicatesDropped: number;
}

export function mergePartition(
  kind: StreamType,
  incoming: PartitionRows,
  existing: PartitionRows | null,
): MergeResult {
  let rows = sortedStable(incoming);
  let duplicatesDropped = 0;
  if (kind === 'bars') {
    const deduped = keepLastPerTimestamp(rows);
    duplicatesDropped = rows.length - deduped.length;
    rows = deduped;
  }
  if (!existing || existing.length === 0) {
    return { rows, imported: rows.length, replaced: 0, duplicatesDropped };
  }
  const old = sortedStable(existing);
  const width = rows.values.length;
  const capacity = rows.length + old.length;
  const ts = new Float64Array(capacity);
  const values = Array.from({ length: width }, () => new Float64Array(capacity));
  let n = 0;
  let i = 0;
  let j = 0;
  let replaced = 0;
  const copy = (from: PartitionRows, at: number): void => {
    ts[n] = from.timestamp[at];
    for (let k = 0; k < width; k++) values[k][n] = from.values[k][at];
    n++;
  };
  while (i < rows.length || j < old.length) {
    if (j >= old.length || (i < rows.length && rows.timestamp[i] <= old.timestamp[j])) {
      const t = rows.timestamp[i];
      while (j < old.length && old.timestamp[j] === t) {
        j++;
        replaced++;
      }
      while (i < rows.length && rows.timestamp[i] === t) copy(rows, i++);
    } else {
      copy(old, j++);
    }
  }
  return {
    rows: {
      length: n,
      timestamp: ts.subarray(0, n),
      values: values.map((v) => v.subarray(0, n)),
    },
    imported: rows.length,
    replaced,
    duplicatesDropped,
  };
}

/** The rows by timestamp, keeping arrival order among equal ones; unchanged when sorted. */
function sortedStable(rows: PartitionRows): PartitionRows {
  const { timestamp: ts, length } = rows;
  let sorted = true;
  for (let i = 1; i < length; i++) {
    if (ts[i] < ts[i - 1]) {
      sorted = false;
      break;
    }
  }
  if (sorted) return rows;
  const order = new Uint32Array(length);
  for (let i = 0; i < length; i++) order[i] = i;
  // Typed-array sort is not guaranteed stable: break ties on the arrival index.
  order.sort((a, b) => ts[a] - ts[b] || a - b);
  return {
    length,
    timestamp: gather(ts, order),
    values: rows.values.map((v) => gather(v, order)),
  };
}

function gather(column: Float64Array, order: Uint32Array): Float64Array {
  const out = new Float64Array(order.length);
  for (let i = 0; i < order.length; i++) out[i] = column[order[i]];
  return out;
}

function keepLastPerTimestamp(rows: PartitionRows): PartitionRows {
  const { timestamp: ts, length } = rows;
  let dupes = 0;
  for (let i = 1; i < length; i++) if (ts[i] === ts[i - 1]) dupes++;
  if (dupes === 0) return rows;
  const n = length - dupes;
  const outTs = new Float64Array(n);
  const outValues = rows.values.map(() => new Float64Array(n));
  let w = 0;
  for (let i = 0; i < length; i++) {
    if (i + 1 < length && ts[i + 1] === ts[i]) continue;
    outTs[w] = ts[i];
    for (let k = 0; k < outValues.length; k++) outValues[k][w] = rows.values[k][i];
    w++;
  }
  return { length: n, timestamp: outTs, values: outValues };
}
