/** Reads a canonical partition file whole, to merge an import into it (one trading day). */
import fs from 'node:fs';
import type { StreamType } from '../../../shared/stream-types';
import { openStreamFile, readSlabs } from '../parquet/parquet-file-reader';
import type { PartitionRows } from './partition-spool';

export async function readExistingPartition(
  file: string,
  kind: StreamType,
  date: string,
): Promise<PartitionRows | null> {
  if (!fs.existsSync(file)) return null;
  const opened = await openStreamFile({ path: file, date }, kind);
  const width = opened.columns.names.length - 1;
  const timestamp = new Float64Array(opened.rows);
  const values = Array.from({ length: width }, () => new Float64Array(opened.rows));
  let at = 0;
  for await (const { batch } of readSlabs(opened)) {
    timestamp.set(batch.timestamp.subarray(0, batch.length), at);
    for (let k = 0; k < width; k++) values[k].set(batch.values[k].subarray(0, batch.length), at);
    at += batch.length;
  }
  return { length: at, timestamp, values };
}

/** Whether two partitions hold exactly the same rows (a re-import that changes nothing). */
export function samePartition(a: PartitionRows, b: PartitionRows): boolean {
  if (a.length !== b.length || a.values.length !== b.values.length) return false;
  for (let i = 0; i < a.length; i++) if (a.timestamp[i] !== b.timestamp[i]) return false;
  for (let k = 0; k < a.values.length; k++) {
    const x = a.values[k];
    const y = b.values[k];
    for (let i = 0; i < a.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  return true;
}
