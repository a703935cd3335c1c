/**
 * What the generic reader needs from a file format (CSV or parquet): its columns, and its rows as
 * columnar batches with timestamps already in UTC ms. Semantics (checks, order, symbols, chunks)
 * live in one place for every format: the chunk assembler.
 */
import type { ColumnMapping, TimestampUnit } from '../../../shared/import-contract';
import type { SourceColumn } from './detect-columns';

/** How to read the rows: the resolved mapping, per field in STREAM_FIELDS order. */
export interface SourcePlan {
  timestamp: ColumnMapping['timestamp'];
  /** Unit of numeric timestamps (inferred or given); typed TIMESTAMP columns carry their own. */
  timestampUnit: TimestampUnit;
  /** Source column per field, STREAM_FIELDS[kind] order; undefined fills 0 (quote sizes). */
  fields: (string | undefined)[];
  symbol?: string;
  /** The zone of naive timestamps (text without an offset, parquet local TIMESTAMPs). */
  tz: string;
}

export interface RawBatch {
  length: number;
  /** 1-based source data row (header excluded) of row 0; rows are consecutive. */
  firstRow: number;
  /** Each row's source row, for a source whose rows are not consecutive (LEAN: blank lines). */
  rowNumbers?: Float64Array;
  /** Source rows the batch stands for, when more than its rows (rows a source dropped itself). */
  sourceRows?: number;
  /** UTC epoch ms; NaN where the source value is not a timestamp. */
  timestamp: Float64Array;
  /** Per plan field; NaN where the value is missing or not a number. */
  values: Float64Array[];
  /** Per row, an index into `symbolNames` (which only grows); absent without a symbol column. */
  symbolIds?: Int32Array;
  symbolNames?: readonly string[];
  /** The source's own text of a value, for problem examples. -1 is the timestamp. */
  raw(row: number, field: number): string;
  /** 0..1 of the file read so far. */
  progress: number;
  /** Rows so far read as the second pass of a repeated hour (see sequentialWallClock). */
  secondPassRows?: number;
}

export interface BatchLimits {
  /** Stop after about this many rows (whole batches). */
  maxRows?: number;
  /** Stop after about this many source bytes (CSV). */
  maxBytes?: number;
}

export interface TabularSource {
  readonly format: 'csv' | 'parquet';
  readonly file: string;
  readonly columns: readonly SourceColumn[];
  /** File size in bytes. */
  readonly bytes: number;
  /** Rows in the file when known without reading it (parquet footer). */
  readonly totalRows?: number;
  /** Notes on how the file was read (delimiter, header), for the preview. */
  readonly notes: string[];
  /** True for a CSV without a header row: its columns are named column1, column2, ... */
  readonly headerless?: boolean;
  /**
   * First and last instant (UTC ms) of a typed UTC timestamp column, from footer statistics,
   * when every row group has them: a sampled preview's exact time range.
   */
  timestampRange?(column: string): { first: number; last: number } | undefined;
  /** Up to `n` numeric values of a column from the first rows, for unit inference. */
  sampleNumbers(column: string, n: number): Promise<Float64Array>;
  batches(plan: SourcePlan, limits?: BatchLimits): AsyncGenerator<RawBatch, void, undefined>;
}
