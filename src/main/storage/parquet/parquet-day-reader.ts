/**
 * A bounded session's way back to base bars it released from memory: one day's file read and
 * decoded synchronously, with the same decoder and row checks the stream used, so the bars are
 * the ones the session held. A missing or unreadable file is a DataError naming it.
 */
import { readFileSync } from 'node:fs';
import { parquetMetadata, type FileMetaData } from 'hyparquet';
import type { BaseInterval } from '../../../shared/interval';
import { DataError, type BarHistorySource, type StreamBatch } from '../../../shared/stream-cursor';
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

  readDaySync(symbol: string, interval: BaseInterval, day: { date: string }): StreamBatch {
    const path = this.whereIs(symbol, interval, day.date);
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
    const rows = Number(metadata.num_rows);
    let batch: StreamBatch;
    try {
      batch = decodeRowGroup(bytes, columns, 0, rows);
    } catch (err) {
      throw new DataError(`${path}: cannot decode (${message(err)})`, path);
    }
    const kept = new RowValidator('bars', { skipInvalid: this.options.skipInvalid ?? false }).check(
      batch,
      path,
      0,
    );
    return kept === batch.length
      ? batch
      : {
          length: kept,
          timestamp: batch.timestamp.subarray(0, kept),
          values: batch.values.map((column) => column.subarray(0, kept)),
        };
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
