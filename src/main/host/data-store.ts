/**
 * Picks and opens the store a config names, for every host.
 */
import { resolve } from 'node:path';
import type { SessionConfig } from '../../shared/session-config';
import { ParquetStreamSource } from '../storage/parquet/parquet-source';
import type { DataStore } from './session-host';

export interface DataStoreOptions {
  /** Skip bad rows (and count them) instead of refusing the session. */
  skipInvalid?: boolean;
}

export type DataStoreResult = { ok: true; store: DataStore } | { ok: false; problems: string[] };

export function createDataStore(
  config: SessionConfig,
  dataDir: string,
  options: DataStoreOptions = {},
): DataStoreResult {
  const source = config.data_source;
  const root = source.path ? resolve(dataDir, source.path) : dataDir;
  if (source.type === 'sqlite') {
    return {
      ok: false,
      problems: [
        `data_source.type "sqlite" (${root}) is not available in this build yet; use "parquet".`,
      ],
    };
  }
  const skipInvalid = options.skipInvalid ?? false;
  const parquet = new ParquetStreamSource(root, { skipInvalid });
  return {
    ok: true,
    store: {
      source: parquet,
      async preflight(key, range) {
        const report = await parquet.preflight(key, range);
        return {
          rows: skipInvalid ? report.validRows : report.totalRows,
          skipped: skipInvalid ? report.invalidRows : 0,
          problems: report.ok ? [] : report.problems.map((p) => p.message),
        };
      },
    },
  };
}
