/**
 * The parquet store read through a reader worker: the same files, checks and batches as
 * ParquetStreamSource, decoded on the worker's thread ahead of the merge. Preflights asked
 * together are shared between the worker and this thread, so both cores decode while the
 * session is not running yet.
 */
import type { DateRange, StreamKey, StreamSource } from '../../../shared/stream-cursor';
import type { CheckedStreamFile } from './parquet-file-reader';
import type { ParquetReader } from './parquet-reader';
import { ParquetStreamSource, type ParquetSourceOptions } from './parquet-source';
import { preflightStream, type PreflightOptions, type PreflightReport } from './preflight';
import type { WorkerStreamCursor } from './worker-stream-cursor';

export type WorkerSourceOptions = Pick<ParquetSourceOptions, 'skipInvalid' | 'slabRows'>;

export class WorkerParquetSource implements StreamSource {
  private readonly direct: ParquetStreamSource;
  private localPreflights = 0;
  /** Files of a stream's last clean preflight, by stream and range, until its cursor opens. */
  private readonly checked = new Map<string, CheckedStreamFile[]>();

  constructor(
    readonly dataDir: string,
    readonly reader: ParquetReader,
    private readonly options: WorkerSourceOptions = {},
  ) {
    this.direct = new ParquetStreamSource(dataDir, options);
  }

  /**
   * A cursor. After a clean preflight of the same stream and range (a session's open) the worker
   * reads each footer at its file's turn; otherwise every footer is read and checked here first.
   */
  async open(key: StreamKey, range: DateRange): Promise<WorkerStreamCursor> {
    const id = checkedId(key, range);
    const checked = this.checked.get(id);
    this.checked.delete(id);
    return this.reader.open(
      key,
      checked ?? (await this.direct.openFiles(key, range)),
      this.options,
    );
  }

  preflight(
    key: StreamKey,
    range: DateRange,
    options: Omit<PreflightOptions, 'skipInvalid' | 'slabRows'> = {},
  ): Promise<PreflightReport> {
    const all: PreflightOptions = { ...options };
    if (this.options.skipInvalid !== undefined) all.skipInvalid = this.options.skipInvalid;
    if (this.options.slabRows !== undefined) all.slabRows = this.options.slabRows;
    const report =
      this.reader.pendingPreflights <= this.localPreflights
        ? this.reader.preflight(this.dataDir, key, range, all)
        : this.local(key, range, all);
    return report.then((r) => this.remember(key, range, r));
  }

  private local(key: StreamKey, range: DateRange, options: PreflightOptions) {
    this.localPreflights++;
    return preflightStream(this.dataDir, key, range, options).finally(() => this.localPreflights--);
  }

  private remember(key: StreamKey, range: DateRange, report: PreflightReport): PreflightReport {
    const id = checkedId(key, range);
    if (report.ok && report.files.every((f) => !f.fileError)) {
      this.checked.set(
        id,
        report.files.map(({ path, date, rows }) => ({ path, date, rows })),
      );
    } else {
      this.checked.delete(id);
    }
    return report;
  }
}

function checkedId(key: StreamKey, range: DateRange): string {
  return JSON.stringify([key.type, key.symbol, key.interval, range.start_date, range.end_date]);
}
