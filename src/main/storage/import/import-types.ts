/**
 * The import contract: foreign files (generic parquet/CSV, or a named vendor format) are read
 * into normalized, validated column chunks; the commit writes those chunks into the stores,
 * all or nothing. Readers never write; the commit never parses.
 */
import type { BaseInterval } from '../../../shared/interval';
import type { StreamType } from '../../../shared/stream-types';

export type TimestampUnit = 's' | 'ms' | 'us' | 'ns';

/** Where each of our fields comes from in the source file: editable in the preview. */
export interface ColumnMapping {
  /** The timestamp column, or a date column and a time column to join. */
  timestamp: string | { date: string; time: string };
  /** How numeric timestamps are read; inferred from magnitude unless set, and shown. */
  timestampUnit?: TimestampUnit;
  /** The symbol column, when the file holds one (a file may hold several symbols). */
  symbol?: string;
  kind: StreamType;
  /** Our field name (open, high, ..., bid, ask, bid_size, ..., price, size) → source column. */
  fields: Record<string, string>;
}

export interface ImportOptions {
  /** The symbol when the file has no symbol column; default: from the file name. */
  symbol?: string;
  /** Base interval of bars; inferred from timestamp spacing when absent. */
  interval?: BaseInterval;
  /** Zone of naive timestamps (no offset): UTC or the exchange's. Default UTC. */
  tz?: 'UTC' | 'America/New_York';
  /** Whether bar timestamps mark the start or the end of the bar. Default start. */
  stamp?: 'start' | 'end';
  /** Sort rows that are out of order instead of refusing them. */
  sort?: boolean;
  /** Drop duplicate timestamps (counted) instead of refusing them. Default drop. */
  duplicates?: 'drop' | 'refuse';
  /** Overrides of the detected mapping. */
  mapping?: Partial<ColumnMapping>;
}

/** A normalized, validated chunk of one symbol's rows: what the stores take. */
export interface ImportChunk {
  symbol: string;
  kind: StreamType;
  /** Set for bars. */
  interval?: BaseInterval;
  length: number;
  /** UTC epoch ms; bar START for bars (end-stamped input already shifted). */
  timestamp: Float64Array;
  /** In STREAM_FIELDS[kind] order. */
  values: Float64Array[];
}

export interface ImportProblem {
  file: string;
  /** 1-based data row in the source file (header excluded), when the problem is a row's. */
  row?: number;
  field?: string;
  value?: string;
  message: string;
}

export interface SymbolPreview {
  symbol: string;
  kind: StreamType;
  interval?: BaseInterval;
  rows: number;
  /** First and last timestamps in exchange time (America/New_York), ISO with offset. */
  first: string;
  last: string;
  /** Exchange-local trading dates covered. */
  tradingDays: string[];
}

export interface ImportPreview {
  file: string;
  /** 'parquet', 'csv', or a named vendor importer ('lean-zip', ...). */
  format: string;
  mapping: ColumnMapping;
  /** How numeric timestamps were read, and why ("ms, from magnitude 1.7e12"). */
  timestampUnitNote?: string;
  symbols: SymbolPreview[];
  /** Problems with examples; `counts` has every kind's total. */
  problems: ImportProblem[];
  counts: {
    rows: number;
    invalid: number;
    duplicates: number;
    outOfOrder: number;
    crossedQuotes: number;
    outsideTradingHours: number;
  };
}

export interface ImportProgress {
  rows: number;
  /** 0..100, from bytes or rows read. */
  percent: number;
  rowsPerSecond: number;
}

/** One foreign file, opened. */
export interface ImportReader {
  readonly file: string;
  readonly format: string;
  /** A sample plus cheap statistics; writes nothing. */
  preview(options: ImportOptions): Promise<ImportPreview>;
  /**
   * Every row, normalized and validated, in chunks of bounded size. Rejects with every
   * problem (an ImportError) when the file cannot be imported as asked.
   */
  read(
    options: ImportOptions,
    onProgress?: (p: ImportProgress) => void,
  ): AsyncIterable<ImportChunk>;
}

export class ImportError extends Error {
  override name = 'ImportError';
  constructor(readonly problems: ImportProblem[]) {
    super(
      problems
        .map(
          (p) =>
            `${p.file}${p.row ? `: row ${p.row}` : ''}${p.field ? `, ${p.field}` : ''}: ${p.message}`,
        )
        .join('\n'),
    );
  }
}
