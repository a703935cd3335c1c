/**
 * Where the upkeep refills gaps from, in the parquet store. Files are per exchange-local date,
 * so a fill reads the files of the dates its window touches and keeps the bars that start in
 * [startMs, endMs). Bad rows are left out (and reported to onProblem): a bar that fails
 * validation is still a gap, and failing the fetch would only make the upkeep retry it forever.
 * No file for those dates is an empty answer, not an error — there is nothing to fill from.
 */
import type { BaseInterval } from '../../../shared/interval';
import type {
  BarFillSource,
  DataError,
  StreamBatch,
  StreamKey,
} from '../../../shared/stream-cursor';
import { BAR_FIELDS } from '../../../shared/stream-types';
import { exchangeDate } from '../../../shared/time';
import { ParquetStreamCursor } from './parquet-cursor';
import { openStreamFile, type OpenedStreamFile } from './parquet-file-reader';
import { listStreamFiles } from './parquet-layout';

export interface ParquetFillOptions {
  onProblem?: (problem: DataError) => void;
}

export class ParquetBarFillSource implements BarFillSource {
  readonly description: string;

  constructor(
    readonly dataDir: string,
    private readonly options: ParquetFillOptions = {},
  ) {
    this.description = `parquet ${dataDir}`;
  }

  async fetchBars(
    symbol: string,
    interval: BaseInterval,
    startMs: number,
    endMs: number,
  ): Promise<StreamBatch> {
    const out = new Collector(BAR_FIELDS.length);
    if (!(endMs > startMs)) return out.batch();
    const key: StreamKey = { symbol, type: 'bars', interval };
    const files = (
      await listStreamFiles(this.dataDir, key, {
        start_date: exchangeDate(startMs),
        end_date: exchangeDate(endMs - 1),
      })
    ).filter((f) => !f.notAFile);
    if (files.length === 0) return out.batch();
    const opened: OpenedStreamFile[] = [];
    for (const file of files) opened.push(await openStreamFile(file, 'bars'));
    const cursor = new ParquetStreamCursor(key, opened, {
      skipInvalid: true,
      onProblem: this.options.onProblem,
    });
    try {
      for (;;) {
        const batch = await cursor.next(Number.MAX_SAFE_INTEGER);
        if (!batch) break;
        // Rows are in time order, so the first one past the window ends the read.
        if (out.add(batch, startMs, endMs)) break;
      }
    } finally {
      await cursor.close();
    }
    return out.batch();
  }
}

/** Gathers rows inside a window into growing columns. */
class Collector {
  private timestamp: number[] = [];
  private values: number[][];

  constructor(width: number) {
    this.values = Array.from({ length: width }, () => []);
  }

  /** Adds the rows of `batch` in [start, end); true once a row at or after `end` was seen. */
  add(batch: StreamBatch, start: number, end: number): boolean {
    for (let i = 0; i < batch.length; i++) {
      const t = batch.timestamp[i];
      if (t >= end) return true;
      if (t < start) continue;
      this.timestamp.push(t);
      for (let k = 0; k < this.values.length; k++) this.values[k].push(batch.values[k][i]);
    }
    return false;
  }

  batch(): StreamBatch {
    return {
      length: this.timestamp.length,
      timestamp: Float64Array.from(this.timestamp),
      values: this.values.map((column) => Float64Array.from(column)),
    };
  }
}
