/**
 * Where the upkeep refills gaps from, in the SQLite store. A fill is a small window, read with
 * the same keyset query as a stream. Bad rows are left out (and reported to onProblem): a bar
 * that fails validation is still a gap, and refusing the whole fetch would only make the upkeep
 * retry the same bad row forever. Failures that may pass (a lock, the file not there yet)
 * reject, and the upkeep retries them with backoff.
 */
import type { BaseInterval } from '../../../shared/interval';
import type { BarFillSource, DataError, StreamBatch } from '../../../shared/stream-cursor';
import { openMarketDb, type MarketDb } from './market-db';
import { SqliteStreamCursor } from './sqlite-cursor';
import { guardSqlite } from './sqlite-errors';
import { checkTable } from './sqlite-preflight';
import { msBounds, streamQuery } from './stream-query';

export interface SqliteFillOptions {
  busyTimeoutMs?: number;
  onProblem?: (problem: DataError) => void;
}

export class SqliteBarFillSource implements BarFillSource {
  readonly description: string;
  private store?: MarketDb;

  constructor(
    readonly file: string,
    private readonly options: SqliteFillOptions = {},
  ) {
    this.description = `sqlite ${file}`;
  }

  async fetchBars(
    symbol: string,
    interval: BaseInterval,
    startMs: number,
    endMs: number,
  ): Promise<StreamBatch> {
    return this.fetchBarsSync(symbol, interval, startMs, endMs);
  }

  fetchBarsSync(
    symbol: string,
    interval: BaseInterval,
    startMs: number,
    endMs: number,
  ): StreamBatch {
    this.store ??= openMarketDb(this.file, { busyTimeoutMs: this.options.busyTimeoutMs });
    const store = this.store;
    const query = streamQuery({ symbol, type: 'bars', interval }, msBounds(startMs, endMs));
    const cursor = guardSqlite(
      { file: store.file, action: 'read', table: query.table, busyTimeoutMs: store.busyTimeoutMs },
      () => {
        checkTable(store, query);
        return new SqliteStreamCursor(store, query, 0, {
          skipInvalid: true,
          onProblem: this.options.onProblem,
        });
      },
    );
    const batches: StreamBatch[] = [];
    for (let batch = cursor.nextSync(Number.MAX_SAFE_INTEGER); batch;) {
      batches.push(batch);
      batch = cursor.nextSync(Number.MAX_SAFE_INTEGER);
    }
    return concatBatches(batches, 5);
  }

  close(): void {
    this.store?.close();
    this.store = undefined;
  }
}

/** One batch holding `batches` in order (a copy; fills are small). */
export function concatBatches(batches: StreamBatch[], width: number): StreamBatch {
  const length = batches.reduce((sum, b) => sum + b.length, 0);
  const out: StreamBatch = {
    length,
    timestamp: new Float64Array(length),
    values: Array.from({ length: width }, () => new Float64Array(length)),
  };
  let at = 0;
  for (const batch of batches) {
    out.timestamp.set(batch.timestamp.subarray(0, batch.length), at);
    batch.values.forEach((column, k) => out.values[k].set(column.subarray(0, batch.length), at));
    at += batch.length;
  }
  return out;
}
