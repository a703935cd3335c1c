/**
 * A bounded session's way back to base bars it released from memory: one day's file read and
 * decoded synchronously, with the same decoder and row checks the stream used, so the bars are
 * the ones the session held. A missing or unreadable file is a DataError naming it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parquetMetadata, type FileMetaData } from 'hyparquet';
import type { BaseInterval } from '../../../shared/interval';
import { DataError, type BarHistorySource, type StreamBatch } from '../../../shared/stream-cursor';
import { addDays } from '../../../shared/market/nyse-holidays';
import { streamFilePath } from './parquet-layout';
import { decodeRowGroup } from './row-group-decoder';
import { RowValidator } from './row-validator';
import { resolveStreamColumns } from './stream-columns';

export class ParquetBarHistory implements BarHistorySource {
  readonly description: string;

  constructor(
    private readonly dataDir: string,
    private readonly options: { skipInvalid?: boolean } = {},
  ) {
    this.description = `parquet ${dataDir}`;
  }

  whereIs(symbol: string, interval: BaseInterval, date: string): string {
    return streamFilePath(this.dataDir, { symbol, type: 'bars', interval }, date);
  }

  /**
   * The bars starting in [day.start, day.end). The session dates its days by the symbol's
   * calendar, and the store's files by the calendar they were imported on; the two may differ
   * (a 24x7 session over files dated in New York), so the day's rows can lie in the files of
   * the dates beside it too: those are read as well, when they exist.
   */
  readDaySync(
    symbol: string,
    interval: BaseInterval,
    day: { date: string; start: number; end: number },
  ): StreamBatch {
    const dates = [addDays(day.date, -1), day.date, addDays(day.date, 1)];
    const paths = dates.map((date) => this.whereIs(symbol, interval, date));
    // The day's own file must be there (it held the day's bars when they streamed).
    const own = paths[1]!;
    if (!existsSync(own)) throw new DataError(`${own}: cannot open (it is no longer there)`, own);
    const present = paths.filter((path) => existsSync(path));
    // One validator across the files, in date order: rows must run on in time.
    const validator = new RowValidator('bars', { skipInvalid: this.options.skipInvalid ?? false });
    const parts = present.map((path) => {
      const batch = readFile(path);
      const kept = validator.check(batch, path, 0);
      return window(batch, kept, day.start, day.end);
    });
    return parts.length === 1 ? parts[0]! : concat(parts);
  }
}

function readFile(path: string): StreamBatch {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new DataError(`${path}: cannot open (${message(err)})`, path);
  }
  let metadata: FileMetaData;
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    metadata = parquetMetadata(buffer as ArrayBuffer);
  } catch (err) {
    throw new DataError(`${path}: not a readable parquet file (${message(err)})`, path);
  }
  const columns = resolveStreamColumns(metadata, 'bars', path);
  try {
    return decodeRowGroup(bytes, columns, 0, Number(metadata.num_rows));
  } catch (err) {
    throw new DataError(`${path}: cannot decode (${message(err)})`, path);
  }
}

/** Rows [0, kept) of `batch` (checked, compacted) that start in [start, end), as views. */
function window(batch: StreamBatch, kept: number, start: number, end: number): StreamBatch {
  const ts = batch.timestamp;
  let from = 0;
  while (from < kept && ts[from]! < start) from++;
  let to = from;
  while (to < kept && ts[to]! < end) to++;
  return {
    length: to - from,
    timestamp: ts.subarray(from, to),
    values: batch.values.map((column) => column.subarray(from, to)),
  };
}

function concat(parts: StreamBatch[]): StreamBatch {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const timestamp = new Float64Array(length);
  const values = parts[0]!.values.map(() => new Float64Array(length));
  let at = 0;
  for (const part of parts) {
    timestamp.set(part.timestamp, at);
    part.values.forEach((column, k) => values[k]!.set(column, at));
    at += part.length;
  }
  return { length, timestamp, values };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
