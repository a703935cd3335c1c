/**
 * A foreign parquet file as a tabular source. The footer gives the columns and the row count
 * without reading data; rows are then decoded one row group at a time (larger groups in slabs),
 * only the columns the mapping uses, so memory stays bounded by a slab whatever the file size.
 * Every codec parquet-wasm knows is read, Brotli included (pandas/pyarrow files use it).
 */
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { DataType, type Data, type Vector } from 'apache-arrow';
import { openFileBuffer, readFooterMetadata, type FileBuffer } from '../parquet/file-buffer';
import { extractRowGroup } from '../parquet/row-group-file';
import { valuesToFloat64 } from '../parquet/arrow-to-float64';
import type { TimestampUnit } from '../../../shared/import-contract';
import { decimalToFloat64, isDecimalVector } from './arrow-decimal';
import type { SourceColumn } from './detect-columns';
import { SymbolIds } from './symbol-ids';
import { epochNumberToMs, int64ToMs } from './epoch-units';
import { decodeParquetSlice } from './parquet-wasm-decoder';
import type { BatchLimits, RawBatch, SourcePlan, TabularSource } from './tabular-source';
import { parseTimestampText } from './timestamp-text';
import { sequentialWallClock, type WallClockToUtc } from '../../../shared/market/zoned-time';

export const PARQUET_SLAB_ROWS = 262_144;

export class ParquetFormatError extends Error {}

export async function openParquetSource(file: string): Promise<TabularSource> {
  const buffer = await openFileBuffer(file);
  try {
    if (buffer.byteLength < 12) throw new ParquetFormatError('too short to be a parquet file');
    let metadata: FileMetaData;
    try {
      metadata = await readFooterMetadata(buffer);
    } catch (err) {
      throw new ParquetFormatError(`not a readable parquet file (${(err as Error).message})`);
    }
    const elements = topLevel(metadata);
    const columns = [...elements.values()].map((e) => ({ name: e.name, type: columnType(e) }));
    const codecs = new Set(
      metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec ?? '')),
    );
    const notes = [
      `parquet, ${metadata.row_groups.length} row group(s), ${[...codecs].join('/') || 'no data'}${
        metadata.created_by ? `, written by ${metadata.created_by}` : ''
      }`,
    ];
    return new ParquetSource(file, buffer.byteLength, metadata, elements, columns, notes);
  } finally {
    await buffer.close();
  }
}

class ParquetSource implements TabularSource {
  readonly format = 'parquet';
  readonly totalRows: number;

  constructor(
    readonly file: string,
    readonly bytes: number,
    private readonly metadata: FileMetaData,
    private readonly elements: Map<string, SchemaElement>,
    readonly columns: readonly SourceColumn[],
    readonly notes: string[],
  ) {
    this.totalRows = Number(metadata.num_rows);
  }

  timestampRange(column: string): { first: number; last: number } | undefined {
    const element = this.elements.get(column);
    const logical = element?.logical_type;
    const utc =
      logical?.type === 'TIMESTAMP'
        ? logical.isAdjustedToUTC
        : element?.converted_type?.startsWith('TIMESTAMP_') === true;
    if (!utc) return undefined;
    let first = Infinity;
    let last = -Infinity;
    for (const group of this.metadata.row_groups) {
      const chunk = group.columns.find((c) => c.meta_data?.path_in_schema[0] === column);
      const stats = chunk?.meta_data?.statistics;
      // hyparquet decodes TIMESTAMP statistics to Dates.
      const min = stats?.min_value;
      const max = stats?.max_value;
      if (!(min instanceof Date) || !(max instanceof Date)) return undefined;
      first = Math.min(first, min.getTime());
      last = Math.max(last, max.getTime());
    }
    return Number.isFinite(first) && Number.isFinite(last) ? { first, last } : undefined;
  }

  async sampleNumbers(column: string, n: number): Promise<Float64Array> {
    for await (const slab of this.slabs([column], { maxRows: n })) {
      const vector = slab.table.getChild(column)!;
      const out = valuesToFloat64(vector);
      return out.slice(0, n);
    }
    return new Float64Array(0);
  }

  async *batches(plan: SourcePlan, limits: BatchLimits = {}): AsyncGenerator<RawBatch> {
    const ts = plan.timestamp;
    const tsNames = typeof ts === 'string' ? [ts] : [ts.date, ts.time];
    const names = [
      ...new Set([
        ...tsNames,
        ...plan.fields.filter((f): f is string => f !== undefined),
        ...(plan.symbol ? [plan.symbol] : []),
      ]),
    ];
    for (const name of names) {
      if (!this.elements.has(name)) throw new ParquetFormatError(`no column "${name}"`);
    }
    const symbols = new SymbolIds();
    const toUtc = sequentialWallClock(plan.tz);
    for await (const { table, firstRow, progress } of this.slabs(names, limits)) {
      const n = table.numRows;
      const tsVectors = tsNames.map((name) => table.getChild(name)!);
      const timestamp = readTimestamps(tsVectors, plan.timestampUnit, toUtc);
      const values = plan.fields.map((name) =>
        name === undefined ? new Float64Array(n) : numericColumn(table.getChild(name)!),
      );
      const ids = plan.symbol ? symbols.ofVector(table.getChild(plan.symbol)!) : undefined;
      yield {
        length: n,
        firstRow: firstRow + 1,
        timestamp,
        values,
        symbolIds: ids,
        symbolNames: ids ? symbols.names : undefined,
        raw: (row, field) => {
          if (field >= 0) {
            const v = values[field][row];
            return Number.isNaN(v) ? 'null' : String(v);
          }
          return tsVectors.map((v) => String(v.get(row) ?? 'null')).join(' ');
        },
        progress,
        secondPassRows: toUtc.secondPassRows,
      };
    }
  }

  /** Decoded slabs of `names`, in file order. */
  private async *slabs(
    names: string[],
    limits: BatchLimits,
  ): AsyncGenerator<{
    table: ReturnType<typeof decodeParquetSlice>;
    firstRow: number;
    progress: number;
  }> {
    const buffer: FileBuffer = await openFileBuffer(this.file);
    try {
      const elements = names.map((name) => this.elements.get(name)!);
      let groupStart = 0;
      for (let group = 0; group < this.metadata.row_groups.length; group++) {
        const groupRows = Number(this.metadata.row_groups[group].num_rows);
        if (groupRows === 0) continue;
        const bytes = await extractRowGroup(buffer, this.metadata, group, names, elements);
        const slabs = Math.ceil(groupRows / PARQUET_SLAB_ROWS);
        const size = Math.ceil(groupRows / slabs);
        for (let offset = 0; offset < groupRows; offset += size) {
          const limit = Math.min(size, groupRows - offset);
          const table = decodeParquetSlice(bytes, offset, limit);
          if (table.numRows !== limit) {
            throw new ParquetFormatError(
              `row group ${group} decoded to ${table.numRows} rows where the footer promises ${limit}`,
            );
          }
          const firstRow = groupStart + offset;
          const done = firstRow + limit;
          yield { table, firstRow, progress: this.totalRows > 0 ? done / this.totalRows : 1 };
          if (limits.maxRows !== undefined && done >= limits.maxRows) return;
        }
        groupStart += groupRows;
      }
    } finally {
      await buffer.close();
    }
  }
}

const ARROW_UNITS: TimestampUnit[] = ['s', 'ms', 'us', 'ns'];

function numericColumn(vector: Vector): Float64Array {
  return isDecimalVector(vector) ? decimalToFloat64(vector) : valuesToFloat64(vector);
}

/** One or two (date, time) timestamp vectors to UTC ms. */
function readTimestamps(
  vectors: Vector[],
  unit: TimestampUnit,
  toUtc: WallClockToUtc,
): Float64Array {
  const n = vectors[0].length;
  const out = new Float64Array(n);
  if (vectors.length === 2) {
    const [date, time] = vectors;
    for (let i = 0; i < n; i++) {
      out[i] = parseTimestampText(
        `${String(date.get(i) ?? '')} ${String(time.get(i) ?? '')}`,
        toUtc,
      );
    }
    return out;
  }
  const vector = vectors[0];
  const type = vector.type as DataType;
  if (DataType.isTimestamp(type)) {
    const typed = type as DataType & { unit: number; timezone?: string | null };
    fillInt64(vector, ARROW_UNITS[typed.unit], out);
    // A TIMESTAMP without a zone (isAdjustedToUTC = false) is a wall-clock time.
    if (!typed.timezone) for (let i = 0; i < n; i++) out[i] = toUtc(out[i]);
    return out;
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isDictionary(type)) {
    for (let i = 0; i < n; i++) {
      const text = vector.get(i) as string | null;
      out[i] = text === null ? NaN : parseTimestampText(String(text), toUtc);
    }
    return out;
  }
  if (DataType.isInt(type) && (type as DataType & { bitWidth: number }).bitWidth === 64) {
    fillInt64(vector, unit, out);
    return out;
  }
  const numbers = valuesToFloat64(vector);
  for (let i = 0; i < n; i++) out[i] = epochNumberToMs(numbers[i], unit);
  return out;
}

function fillInt64(vector: Vector, unit: TimestampUnit, out: Float64Array): void {
  let at = 0;
  for (const chunk of vector.data as Data[]) {
    const values = chunk.values as BigInt64Array | BigUint64Array;
    int64ToMs(values.subarray(0, chunk.length), unit, out, at);
    if (chunk.nullCount > 0 && chunk.nullBitmap) {
      for (let i = 0; i < chunk.length; i++) {
        const bit = chunk.offset + i;
        if ((chunk.nullBitmap[bit >> 3] & (1 << (bit & 7))) === 0) out[at + i] = NaN;
      }
    }
    at += chunk.length;
  }
}

/** Top-level flat columns by name; nested groups are skipped (they map to no field). */
function topLevel(metadata: FileMetaData): Map<string, SchemaElement> {
  const schema = metadata.schema;
  const out = new Map<string, SchemaElement>();
  let index = 1;
  for (let child = 0; child < (schema[0]?.num_children ?? 0) && index < schema.length; child++) {
    const element = schema[index];
    if (!element.num_children && element.repetition_type !== 'REPEATED') {
      out.set(element.name, element);
    }
    index = skip(schema, index);
  }
  return out;
}

function skip(schema: SchemaElement[], index: number): number {
  const children = schema[index].num_children ?? 0;
  let next = index + 1;
  for (let i = 0; i < children; i++) next = skip(schema, next);
  return next;
}

function columnType(e: SchemaElement): SourceColumn['type'] {
  const logical = e.logical_type?.type;
  const converted = e.converted_type;
  if (
    logical === 'TIMESTAMP' ||
    converted === 'TIMESTAMP_MILLIS' ||
    converted === 'TIMESTAMP_MICROS'
  ) {
    return 'timestamp';
  }
  if (
    e.type === 'BYTE_ARRAY' &&
    (logical === 'STRING' || converted === 'UTF8' || logical === 'ENUM')
  ) {
    return 'text';
  }
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return 'number';
  if (e.type === 'DOUBLE' || e.type === 'FLOAT' || e.type === 'INT32' || e.type === 'INT64') {
    const plainInt =
      (logical === undefined || logical === 'INTEGER') &&
      (converted === undefined || converted.startsWith('INT_') || converted.startsWith('UINT_'));
    return plainInt ? 'number' : 'other';
  }
  return 'other';
}
