/**
 * The engine's StreamSource over the parquet store. Opening a stream lists its files and reads
 * every footer — enough to refuse a missing column, a wrong type or an unreadable file, and to
 * count rows — before the first row is decoded.
 */
import type { DateRange, StreamKey, StreamSource } from '../../../shared/stream-cursor';
import { ParquetStreamCursor, type ParquetCursorOptions } from './parquet-cursor';
import { forReading, openStreamFile, type OpenedStreamFile } from './parquet-file-reader';
import { listStreamFiles, noFilesError } from './parquet-layout';
import { preflightStream, type PreflightOptions, type PreflightReport } from './preflight';

export type ParquetSourceOptions = ParquetCursorOptions;

export class ParquetStreamSource implements StreamSource {
  constructor(
    readonly dataDir: string,
    private readonly options: ParquetSourceOptions = {},
  ) {}

  async open(key: StreamKey, range: DateRange): Promise<ParquetStreamCursor> {
    return new ParquetStreamCursor(key, await this.openFiles(key, range), this.options);
  }

  /** The stream's files in date order, each footer read and checked. */
  async openFiles(key: StreamKey, range: DateRange): Promise<OpenedStreamFile[]> {
    const files = (await listStreamFiles(this.dataDir, key, range)).filter((f) => !f.notAFile);
    if (files.length === 0) throw noFilesError(this.dataDir, key, range);
    const opened: OpenedStreamFile[] = [];
    for (const file of files) opened.push(forReading(await openStreamFile(file, key.type)));
    return opened;
  }

  /** Reads and validates a whole stream without keeping its data; see preflightStream. */
  preflight(
    key: StreamKey,
    range: DateRange,
    options: Omit<PreflightOptions, 'skipInvalid' | 'slabRows' | 'slabCache'> = {},
  ): Promise<PreflightReport> {
    return preflightStream(this.dataDir, key, range, {
      skipInvalid: this.options.skipInvalid,
      slabRows: this.options.slabRows,
      slabCache: this.options.slabCache,
      ...options,
    });
  }
}
