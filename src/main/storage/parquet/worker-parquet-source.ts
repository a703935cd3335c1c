/**
 * The parquet store read through a reader worker: the same files, checks and batches as
 * ParquetStreamSource, decoded on the worker's thread ahead of the merge. Preflights asked
 * together are shared between the worker and this thread, so both cores decode while the
 * session is not running yet.
 */
import type { DateRange, StreamKey, StreamSource } from '../../../shared/stream-cursor';
import type { ParquetReader } from './parquet-reader';
import { ParquetStreamSource, type ParquetSourceOptions } from './parquet-source';
import { preflightStream, type PreflightOptions, type PreflightReport } from './preflight';
import type { WorkerStreamCursor } from './worker-stream-cursor';

export type WorkerSourceOptions = Pick<ParquetSourceOptions, 'skipInvalid' | 'slabRows'>;

export class WorkerParquetSource implements StreamSource {
  private readonly direct: ParquetStreamSource;
  private localPreflights = 0;

  constructor(
    readonly dataDir: string,
    readonly reader: ParquetReader,
    private readonly options: WorkerSourceOptions = {},
  ) {
    this.direct = new ParquetStreamSource(dataDir, options);
  }

  async open(key: StreamKey, range: DateRange): Promise<WorkerStreamCursor> {
    return this.reader.open(key, await this.direct.openFiles(key, range), this.options);
  }

  preflight(
    key: StreamKey,
    range: DateRange,
    options: Omit<PreflightOptions, 'skipInvalid' | 'slabRows'> = {},
  ): Promise<PreflightReport> {
    const all: PreflightOptions = { ...options };
    if (this.options.skipInvalid !== undefined) all.skipInvalid = this.options.skipInvalid;
    if (this.options.slabRows !== undefined) all.slabRows = this.options.slabRows;
    if (this.reader.pendingPreflights <= this.localPreflights) {
      return this.reader.preflight(this.dataDir, key, range, all);
    }
    this.localPreflights++;
    return preflightStream(this.dataDir, key, range, all).finally(() => this.localPreflights--);
  }
}
