/**
 * End to end from parquet on disk to the last event, ours against DuckDB over the same files.
 * The files are generated once into bench/.cache and reused.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateBars1s, generateQuotes } from '../src/main/storage/demo-data';
import { createDataStore } from '../src/main/host/data-store';
import { openSession } from '../src/main/host/session-host';
import { parseSessionConfig } from '../src/shared/session-config';
import { BAR_SYMBOLS, BENCH_DATE, QUOTE_SYMBOLS } from './coordinator';

const CACHE = resolve('bench/.cache/coordinator');
const MARKER = join(CACHE, 'complete-v2');

function ensureFiles(): void {
  if (existsSync(MARKER)) return;
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  const started = performance.now();
  generateBars1s({ dataDir: CACHE, symbols: BAR_SYMBOLS, date: BENCH_DATE });
  generateQuotes({ dataDir: CACHE, symbols: QUOTE_SYMBOLS, date: BENCH_DATE });
  writeFileSync(MARKER, '');
  console.log(
    `   (generated the workload's parquet files in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
}

async function ours(): Promise<{
  events: number;
  preflight: number;
  replay: number;
  bytesPerBar: number;
}> {
  const parsed = parseSessionConfig({
    session_name: 'bench',
    data_streams: [
      ...BAR_SYMBOLS.map((symbol) => ({ type: 'bars', symbol, interval: '1s' })),
      ...QUOTE_SYMBOLS.map((symbol) => ({ type: 'quotes', symbol })),
    ],
    backtest_config: { speed_multiplier: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const store = createDataStore(parsed.config, CACHE);
  if (!store.ok) throw new Error(store.problems.join('\n'));
  const t0 = performance.now();
  const session = await openSession(parsed.config, store.store);
  const t1 = performance.now();
  await session.coordinator.start();
  const t2 = performance.now();
  let barBytes = 0;
  for (const data of session.sessionData.all()) barBytes += data.bars_base.byteLength;
  return {
    events: session.coordinator.emitted,
    preflight: (t1 - t0) / 1000,
    replay: (t2 - t1) / 1000,
    bytesPerBar: barBytes / session.sessionData.totalBaseBars,
  };
}

async function duckdb(): Promise<{ seconds: number; rows: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const bars = join(CACHE, 'parquet/bars/interval=1s/**/*.parquet').replaceAll("'", "''");
  const quotes = join(CACHE, 'parquet/quotes/**/*.parquet').replaceAll("'", "''");
  const started = performance.now();
  // The same work: read every file, then order by availability time (bar end, or quote
  // time), bars before quotes at equal time, then by symbol.
  await connection.run(`
    CREATE TABLE merged AS
    SELECT * FROM (
      SELECT epoch_ms(timestamp) + 1000 AS available_at, 0 AS rank, filename AS source,
             timestamp, open, high, low, close, volume
      FROM read_parquet('${bars}', filename = true)
      UNION ALL BY NAME
      SELECT epoch_ms(timestamp) AS available_at, 1 AS rank, filename AS source,
             timestamp, bid, ask, bid_size, ask_size
      FROM read_parquet('${quotes}', filename = true)
    ) ORDER BY available_at, rank, source`);
  const seconds = (performance.now() - started) / 1000;
  const reader = await connection.runAndReadAll('SELECT count(*) AS n FROM merged');
  const rows = Number(reader.getRows()[0]![0]);
  connection.closeSync();
  instance.closeSync();
  return { seconds, rows };
}

export async function endToEnd(): Promise<{
  events: number;
  oursSeconds: number;
  preflightSeconds: number;
  replaySeconds: number;
  duckdbSeconds: number;
  bytesPerBar: number;
}> {
  ensureFiles();
  await ours(); // warm-up: file cache and JIT, as DuckDB gets below
  const run = await ours();
  await duckdb();
  const peer = await duckdb();
  if (peer.rows !== run.events) {
    throw new Error(`DuckDB merged ${peer.rows} rows but we emitted ${run.events}`);
  }
  return {
    events: run.events,
    oursSeconds: run.preflight + run.replay,
    preflightSeconds: run.preflight,
    replaySeconds: run.replay,
    duckdbSeconds: peer.seconds,
    bytesPerBar: run.bytesPerBar,
  };
}
