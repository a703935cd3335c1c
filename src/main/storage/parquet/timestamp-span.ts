/**
 * The time a stream file covers, from its footer alone: the timestamp column's statistics.
 * The catalog's first/last and the preflight's ordering check across sealed files use it.
 */
import type { FileMetaData } from 'hyparquet';

/** The timestamp column's min/max over every row group, in epoch ms; null without statistics. */
export function timestampSpan(metadata: FileMetaData): { first: number; last: number } | null {
  const element = metadata.schema.find((e) => e.name === 'timestamp');
  let first = Infinity;
  let last = -Infinity;
  for (const group of metadata.row_groups) {
    if (Number(group.num_rows) === 0) continue;
    const column = group.columns.find((c) => c.meta_data?.path_in_schema[0] === 'timestamp');
    const stats = column?.meta_data?.statistics;
    const lo = toMs(stats?.min_value ?? stats?.min, element);
    const hi = toMs(stats?.max_value ?? stats?.max, element);
    if (lo === null || hi === null) return null;
    first = Math.min(first, lo);
    last = Math.max(last, hi);
  }
  return Number.isFinite(first) ? { first, last } : null;
}

function toMs(value: unknown, element: FileMetaData['schema'][number] | undefined): number | null {
  if (value instanceof Date) return value.getTime();
  const logical = element?.logical_type;
  const unit =
    logical?.type === 'TIMESTAMP'
      ? logical.unit
      : element?.converted_type === 'TIMESTAMP_MICROS'
        ? 'MICROS'
        : 'MILLIS';
  const divisor = unit === 'NANOS' ? 1_000_000 : unit === 'MICROS' ? 1000 : 1;
  if (typeof value === 'bigint') return Math.floor(Number(value) / divisor);
  if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value / divisor);
  return null;
}
