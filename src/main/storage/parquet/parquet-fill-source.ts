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
import { stat } from 'node:fs/promises';
import { openStreamFile } from './parquet-file-reader';
import { listStreamFiles, type StreamFile } from './parquet-layout';

export interface ParquetFillOptions {
  onProblem?: (problem: DataError) => void;
}

export class ParquetBarFillSource implements BarFillSource {
  readonly description: string;
  /**
   * Decoded files, newest last: the upkeep asks for many small windows of the same day (every
   * cycle of sparse data finds new gaps), and decoding the day's file for each would make a
   * cycle cost O(rows of the day). A file is decoded again only when it changed on disk.
   */
  private readonly decoded = new Map<string, DecodedFile>();

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
    const files = await listStreamFiles(this.dataDir, key, {
      start_date: exchangeDate(startMs),
      end_date: exchangeDate(endMs - 1),
    });
    for (const file of files) {
      const batch = await this.read(key, file);
      out.add(batch, startMs, endMs);
    }
    return out.batch();
  }

  private async read(key: StreamKey, file: StreamFile): Promise<StreamBatch> {
    const { path } = file;
    const { mtimeMs, size } = await stat(path);
    const cached = this.decoded.get(path);
    if (cached && cached.mtimeMs === mtimeMs && cached.size === size) {
      // Most recently used last.
      this.decoded.delete(path);
      this.decoded.set(path, cached);
      return cached.batch;
    }
    const cursor = new ParquetStreamCursor(key, [await openStreamFile(file, 'bars')], {
      skipInvalid: true,
      onProblem: this.options.onProblem,
    });
    const all = new Collector(BAR_FIELDS.length);
    try {
      for (;;) {
        const batch = await cursor.next(Number.MAX_SAFE_INTEGER);
        if (!batch) break;
        all.add(batch, -Infinity, Infinity);
      }
    } finally {
      await cursor.close();
    }
    const batch = all.batch();
    this.decoded.delete(path);
    this.decoded.set(path, { mtimeMs, size, batch });
    if (this.decoded.size > CACHED_FILES) this.decoded.delete(this.decoded.keys().next().value!);
    return batch;
  }
}

interface DecodedFile {
  mtimeMs: number;
  size: number;
  batch: StreamBatch;
}

/** A few days per symbol: enough for the days a session's cycles touch. */
const CACHED_FILES = 16;

/** Gathers rows inside a window into growing columns. */
class Collector {
  private timestamp: number[] = [];
  private values: number[][];

  constructor(width: number) {
    this.values = Array.from({ length: width }, () => []);
  }

  /** Adds the rows of `batch` in [start, end); true once a row at or after `end` was seen. */
  add(batch: StreamBatch, start: number, end: number): boolean {
    // Rows are in time order: start where the window starts.
    let lo = 0;
    let hi = batch.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (batch.timestamp[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < batch.length; i++) {
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
