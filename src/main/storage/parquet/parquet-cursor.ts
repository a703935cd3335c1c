/**
 * A cursor over one stream's parquet files in date order. Each decoded slab is validated before
 * any of it is handed out, so a session can never receive a bad row: either the cursor rejects
 * (default) or, with skipInvalid, the row is dropped and counted.
 */
import type { BaseInterval } from '../../../shared/interval';
import type { StreamBatch, StreamCursor, StreamKey } from '../../../shared/stream-cursor';
import type { StreamType } from '../../../shared/stream-types';
import { rowCounts, type DecodedSlab, type OpenedStreamFile } from './parquet-file-reader';
import { RowValidator, type RowValidatorOptions } from './row-validator';
import { slabsOf, type SlabCache } from './slab-cache';

export interface ParquetCursorOptions extends RowValidatorOptions {
  /** Rows decoded at a time (bounds memory); defaults to DEFAULT_SLAB_ROWS. */
  slabRows?: number;
  /** Keeps decoded files for the next read of the same file (a sweep worker's). */
  slabCache?: SlabCache;
}

export class ParquetStreamCursor implements StreamCursor {
  readonly symbol: string;
  readonly type: StreamType;
  readonly interval?: BaseInterval;
  /**
   * Rows in the files' footers: exact, unless skipInvalid drops rows, when it is an upper bound
   * (still right for presizing).
   */
  readonly totalRows: number;
  readonly largestDayRows: number;

  private readonly validator: RowValidator;
  private fileIndex = 0;
  private slabs?: AsyncGenerator<DecodedSlab, void, undefined>;
  private current?: StreamBatch;
  private position = 0;
  private failure?: unknown;
  private closed = false;

  constructor(
    key: StreamKey,
    readonly files: readonly OpenedStreamFile[],
    private readonly options: ParquetCursorOptions = {},
  ) {
    this.symbol = key.symbol;
    this.type = key.type;
    if (key.interval) this.interval = key.interval;
    ({ totalRows: this.totalRows, largestDayRows: this.largestDayRows } = rowCounts(files));
    this.validator = new RowValidator(key.type, options);
  }

  /** Rows dropped by skipInvalid so far. */
  get skippedRows(): number {
    return this.validator.skipped;
  }

  /**
   * Up to `maxRows` rows. Batches are views of the current slab (no copy), so a batch may be
   * shorter than `maxRows` at a slab boundary; it is never empty. Calls must not overlap.
   */
  async next(maxRows: number): Promise<StreamBatch | null> {
    if (!Number.isInteger(maxRows) || maxRows < 1) {
      throw new RangeError(`maxRows must be a positive integer, got ${maxRows}`);
    }
    if (this.failure) throw this.failure;
    try {
      while (!this.closed) {
        if (this.current && this.position < this.current.length) return this.take(maxRows);
        if (!(await this.loadSlab())) return null;
      }
      return null;
    } catch (err) {
      // A failed stream stays failed: later calls see the same error, not rows past it.
      this.failure = err;
      await this.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.current = undefined;
    const slabs = this.slabs;
    this.slabs = undefined;
    await slabs?.return();
  }

  private take(maxRows: number): StreamBatch {
    const batch = this.current!;
    const start = this.position;
    const end = Math.min(batch.length, start + maxRows);
    this.position = end;
    if (start === 0 && end === batch.timestamp.length) return batch;
    return {
      length: end - start,
      timestamp: batch.timestamp.subarray(start, end),
      values: batch.values.map((column) => column.subarray(start, end)),
    };
  }

  /** Decodes and validates the next slab; false once every file is read. */
  private async loadSlab(): Promise<boolean> {
    for (;;) {
      if (!this.slabs) {
        const file = this.files[this.fileIndex];
        if (!file) return false;
        this.slabs = slabsOf(file, this.options.slabRows, this.options.slabCache);
      }
      const step = await this.slabs.next();
      if (step.done) {
        this.slabs = undefined;
        this.fileIndex++;
        continue;
      }
      const { batch, firstRow, vouched } = step.value;
      const path = this.files[this.fileIndex].path;
      const kept = this.validator.checkSlab(batch, path, firstRow, vouched);
      this.current = { ...batch, length: kept };
      this.position = 0;
      return true;
    }
  }
}
