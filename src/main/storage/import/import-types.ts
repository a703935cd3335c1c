/**
 * The import contract: foreign files (generic parquet/CSV, or a named vendor format) are read
 * into normalized, validated column chunks; the commit writes those chunks into the stores,
 * all or nothing. Readers never write; the commit never parses.
 */
import type { BaseInterval } from '../../../shared/interval';
import type {
  ImportOptions,
  ImportPreview,
  ImportProblem,
  ImportProgress,
} from '../../../shared/import-contract';
import type { CalendarName } from '../../../shared/market/exchange-calendar';
import type { StreamType } from '../../../shared/stream-types';

export type {
  ColumnMapping,
  ImportOptions,
  ImportPreview,
  ImportProblem,
  ImportProgress,
  SymbolPreview,
  TimestampUnit,
} from '../../../shared/import-contract';

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
  /**
   * Duplicate rows of this symbol the reader dropped (options.duplicates 'drop'), counted on the
   * chunk holding the rows they repeated; absent when none.
   */
  duplicatesDropped?: number;
  /** The calendar whose trading dates partition the rows; absent: XNYS (New York dates). */
  calendar?: CalendarName;
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
