/**
 * The import workload: one 5 M-row parquet file of 1s bars (one symbol, 214 regular-hours
 * trading days; generated once into bench/.cache/import) imported into a fresh parquet store,
 * against DuckDB doing the equivalent partitioned write over the same file:
 *
 *   COPY (SELECT *, <New York trading date> AS date FROM read_parquet(file))
 *     TO dir (FORMAT parquet, PARTITION_BY (date))
 *
 * Ours runs in a child process (bench/import-child.ts) and is timed inside it: read, validate,
 * partition by trading date, write every partition under staging with its footer profile,
 * fsync, manifest, rename. Its RSS high-water mark is the child's, i.e. the import's alone
 * (target: at most 500 MB whatever the file size). One run each: the workload is large.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { ensureImportFile } from './import-workload';
import { round, type BenchResult } from './result';

const ROWS = 5_000_000;
const RATIO_TARGET = 1.5;
const RSS_TARGET_MB = 500;

interface ChildResult {
  seconds: number;
  rows: number;
  days: number;
  maxRssMb: number;
}

async function ours(file: string): Promise<ChildResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tapedeck-bench-import-'));
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', resolve('bench/import-child.ts'), file, dataDir],
      { maxBuffer: 1 << 20 },
    );
    const result = JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
    const written = readdirSync(join(dataDir, 'parquet', 'bars', 'interval=1s'), {
      recursive: true,
      encoding: 'utf8',
    }).filter((name) => name.endsWith('part-0.parquet')).length;
    if (written !== result.days) throw new Error(`wrote ${written} files for ${result.days} days`);
    return result;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function duckdb(file: string): Promise<{ seconds: number; partitions: number }> {
  const out = mkdtempSync(join(tmpdir(), 'tapedeck-bench-duckdb-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const started = performance.now();
    await connection.run(
      `COPY (SELECT *, strftime(timezone('America/New_York', timestamp), '%Y-%m-%d') AS date ` +
        `FROM read_parquet('${file.replaceAll("'", "''")}')) ` +
        `TO '${join(out, 'bars').replaceAll("'", "''")}' (FORMAT parquet, PARTITION_BY (date))`,
    );
    const seconds = (performance.now() - started) / 1000;
    return { seconds, partitions: readdirSync(join(out, 'bars')).length };
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(out, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  const file = ensureImportFile(ROWS);
  const mine = await ours(file);
  const peer = await duckdb(file);
  const ratio = mine.seconds / peer.seconds;
  console.log(
    `1. ours: ${mine.rows.toLocaleString()} rows -> ${mine.days} partition files in ` +
      `${mine.seconds.toFixed(3)} s = ${(mine.rows / mine.seconds / 1e6).toFixed(2)} M rows/s`,
  );
  console.log(
    `2. DuckDB COPY ... PARTITION_BY (date): ${peer.partitions} partitions in ${peer.seconds.toFixed(3)} s; ` +
      `ours / DuckDB = ${ratio.toFixed(2)} (target <= ${RATIO_TARGET}${ratio <= RATIO_TARGET ? ', met' : ', NOT met'})`,
  );
  console.log(
    `3. peak memory of the import (RSS high-water): ${mine.maxRssMb.toFixed(0)} MB ` +
      `(target <= ${RSS_TARGET_MB} MB${mine.maxRssMb <= RSS_TARGET_MB ? ', met' : ', NOT met'})`,
  );
  return {
    name: 'import',
    ours_s: round(mine.seconds),
    peer: 'duckdb',
    peer_s: round(peer.seconds),
    ratio: round(ratio),
    events_per_s: Math.round(mine.rows / mine.seconds),
    bytes_per_bar: null,
  };
}
