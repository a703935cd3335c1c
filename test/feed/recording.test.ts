/**
 * Recording a live session: what the feed accepted reaches the parquet store in the importer's
 * layout, and replays afterwards as an ordinary backtest. A roll is all or nothing: a failed
 * one leaves the store as it was and its rows in the spool, committed by the next recording.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSessionConfig, type SessionConfig } from '../../src/shared/session-config';
import type { StreamKey } from '../../src/shared/stream-cursor';
import { openFeedSession, type FeedSession } from '../../src/main/host/feed-session';
import { createDataStore } from '../../src/main/host/data-store';
import { openSession } from '../../src/main/host/session-host';
import { listStoreFiles as locate } from '../../src/main/storage/parquet/parquet-layout';
import { streamFilePath } from '../../src/main/storage/parquet/parquet-layout';
import { LiveRecording, recordingDir } from '../../src/main/storage/recording/live-recording';
import { systemWallClock } from '../../src/main/engine/wall-clock';
import { makeDataDir, removeDataDir } from '../storage/fixtures';
import { BinanceTestServer } from './binance-test-server';
import { klineMessage, type TestBar } from './capture';
import { SetWallClock, waitFor } from './feed-helpers';

const KILL_CHILD = resolve('test/feed/recording-kill-child.ts');
const BARS: StreamKey = { symbol: 'BTCUSDT', type: 'bars', interval: '1s' };
/** Two minutes either side of a UTC midnight: the recording makes one file per UTC day. */
const MIDNIGHT = Date.UTC(2024, 7, 9);

let server: BinanceTestServer;
let dir: string;
let live: FeedSession | null = null;
beforeEach(async () => {
  server = await BinanceTestServer.start();
  dir = await makeDataDir();
});
afterEach(async () => {
  await live?.close();
  live = null;
  await server.stop();
  await removeDataDir(dir);
});

function testBars(): TestBar[] {
  const bars: TestBar[] = [];
  for (let i = 0; i < 240; i++) {
    if (i % 5 === 2) continue; // seconds without a trade
    const start = MIDNIGHT - 120_000 + i * 1000;
    bars.push({ start, open: 100 + i, high: 101 + i, low: 99 + i, close: 100.5 + i, volume: i });
  }
  return bars;
}

function liveConfig(): SessionConfig {
  const r = parseSessionConfig({
    session_name: 'btc recording',
    mode: 'live',
    data_streams: [
      { type: 'bars', symbol: 'BTCUSDT', interval: '1s' },
      { type: 'quotes', symbol: 'BTCUSDT' },
      { type: 'ticks', symbol: 'BTCUSDT' },
    ],
    feed: { type: 'binance', ws_url: server.wsUrl, rest_url: server.restUrl, history_minutes: 5 },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

async function duckRows(file: string, columns: string): Promise<number[][]> {
  const db = await (await DuckDBInstance.create(':memory:')).connect();
  const reader = await db.runAndReadAll(
    `SELECT epoch_ms(timestamp)::DOUBLE AS t, ${columns} FROM read_parquet('${file}') ORDER BY t`,
  );
  return reader.getRows().map((row) => row.map(Number));
}

describe('recording a live session into the store', () => {
  it('writes the importer layout per UTC day, and the recording replays as a backtest', async () => {
    const bars = testBars();
    server.bars = bars;
    const feedWall = new SetWallClock(MIDNIGHT + 120_000 + 500);
    live = await openFeedSession(liveConfig(), {
      wall: systemWallClock,
      feed: { wall: feedWall },
      record: { dataDir: dir },
    });
    const done = live.session.coordinator.start();
    const tradeAt = MIDNIGHT + 30_250;
    await server.send([
      `{"stream":"btcusdt@bookTicker","data":{"u":1,"s":"BTCUSDT","b":"10.5","B":"1","a":"10.6","A":"2"}}`,
      `{"stream":"btcusdt@trade","data":{"e":"trade","E":${tradeAt},"s":"BTCUSDT","t":7,"p":"10.55","q":"0.25","T":${tradeAt},"m":false,"M":true}}`,
    ]);
    await waitFor('the quote and the trade', () => live!.feed.counts.ticks === 1);
    const rolled = await live.close();
    live = null;
    await done;
    expect(rolled!.days).toEqual(['2024-08-08', '2024-08-09']);
    expect(rolled!.rows).toEqual({
      'BTCUSDT 1s': bars.length,
      'BTCUSDT quotes': 1,
      'BTCUSDT ticks': 1,
    });
    // Nothing is left in the spool directory once the last roll committed.
    expect(readdirSync(recordingDir(dir))).toEqual([]);

    // DuckDB reads the files the importer's way: one per UTC day, every bar once.
    const day1 = streamFilePath(dir, BARS, '2024-08-08');
    const day2 = streamFilePath(dir, BARS, '2024-08-09');
    const fields = 'open, high, low, close, volume';
    const stored = [...(await duckRows(day1, fields)), ...(await duckRows(day2, fields))];
    expect(stored).toEqual(bars.map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume]));
    expect((await duckRows(day1, 'open')).every(([t]) => t! < MIDNIGHT)).toBe(true);
    const ticks = await duckRows(
      streamFilePath(dir, { symbol: 'BTCUSDT', type: 'ticks' }, '2024-08-09'),
      'price, size',
    );
    expect(ticks).toEqual([[tradeAt, 10.55, 0.25]]);
    // The catalog lists the recorded days like imported ones.
    const listed = (await locate(dir)).map((f) => `${f.kind} ${f.interval ?? ''} ${f.date}`);
    // The quote is stamped with its receive time (the feed's wall clock), after midnight.
    expect(listed.sort()).toEqual([
      'bars 1s 2024-08-08',
      'bars 1s 2024-08-09',
      'quotes  2024-08-09',
      'ticks  2024-08-09',
    ]);

    // The recorded session, replayed as a backtest from the store.
    const parsed = parseSessionConfig({
      session_name: 'btc replay',
      calendar: '24x7',
      data_streams: [
        { type: 'bars', symbol: 'BTCUSDT', interval: '1s' },
        { type: 'ticks', symbol: 'BTCUSDT' },
      ],
      backtest_config: { start_date: '2024-08-08', end_date: '2024-08-09', speed_multiplier: 0 },
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const opened = createDataStore(parsed.config, dir);
    if (!opened.ok) throw new Error(opened.problems.join('\n'));
    const replay = await openSession(parsed.config, opened.store);
    expect(await replay.coordinator.start()).toBe('completed');
    const data = replay.sessionData.getSymbolData('BTCUSDT')!;
    expect(Array.from(data.bars_base.timestamp.subarray(0, data.bars_base.length))).toEqual(
      bars.map((b) => b.start),
    );
    expect(data.ticks.length).toBe(1);
  });

  it("across a drop, a repeated and a malformed frame, the store holds the server's bars, each once", async () => {
    const bars = testBars();
    server.bars = bars;
    const feedWall = new SetWallClock(bars[20]!.start + 500);
    live = await openFeedSession(liveConfig(), {
      wall: systemWallClock,
      feed: { wall: feedWall },
      record: { dataDir: dir },
    });
    const { feed } = live;
    const done = live.session.coordinator.start();
    await server.send([
      ...bars.slice(20, 60).map((b) => klineMessage('BTCUSDT', b)),
      klineMessage('BTCUSDT', bars[30]!), // a repeated frame
      '{"stream":"btcusdt@kline_1s","data":{"e":"kline","k":"garbled"}}',
    ]);
    await waitFor('the streamed bars', () => feed.counts.bars === 60);
    // The connection drops; bars 60-149 close meanwhile and come back over REST.
    feedWall.t = bars[150]!.start + 500;
    const back = server.nextClient();
    server.drop();
    await back;
    await server.send(bars.slice(140, bars.length).map((b) => klineMessage('BTCUSDT', b)));
    await waitFor('every bar', () => feed.counts.bars === bars.length);
    expect(feed.counts.bad).toEqual({ 'btcusdt@kline_1s': 1 });
    expect(feed.counts.duplicates).toBe(11);
    await live.close();
    live = null;
    await done;
    const fields = 'open, high, low, close, volume';
    const stored = [
      ...(await duckRows(streamFilePath(dir, BARS, '2024-08-08'), fields)),
      ...(await duckRows(streamFilePath(dir, BARS, '2024-08-09'), fields)),
    ];
    expect(stored).toEqual(bars.map((b) => [b.start, b.open, b.high, b.low, b.close, b.volume]));
  });

  it('a failed roll leaves the store byte-identical and its rows sealed; the next recording commits them', async () => {
    let failing = false;
    const faults = {
      beforeRename: () => {
        if (failing) throw new Error('injected failure before the renames');
      },
    };
    const { recording } = await LiveRecording.open(dir, [BARS], { faults });
    const spool = recording.spoolOf(BARS)!;
    const start = MIDNIGHT + 1000;
    for (let i = 0; i < 50; i++) spool.append(start + i * 1000, 1, 2, 0.5, 1.5, i);
    await recording.roll();
    const file = streamFilePath(dir, BARS, '2024-08-09');
    const before = readFileSync(file);

    failing = true;
    for (let i = 50; i < 80; i++) spool.append(start + i * 1000, 1, 2, 0.5, 1.5, i);
    await expect(recording.roll()).rejects.toThrow(/injected failure/);
    // No half file, no staging left behind, the stored day unchanged.
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(join(dir, 'parquet')).filter((n) => n.startsWith('.staging'))).toEqual([]);
    expect(readdirSync(recordingDir(dir)).filter((n) => n.endsWith('.rolling'))).toHaveLength(1);
    await recording.close().catch(() => undefined);

    failing = false;
    const next = await LiveRecording.open(dir, [BARS]);
    expect(next.recovered.rows).toEqual({ 'BTCUSDT 1s': 30 });
    await next.recording.close();
    const rows = await duckRows(file, 'volume');
    expect(rows.map(([t, v]) => [t, v])).toEqual(
      Array.from({ length: 80 }, (_, i) => [start + i * 1000, i]),
    );
  });

  it('a spool record cut short by a kill is left out; the whole records before it are committed', async () => {
    const { recording } = await LiveRecording.open(dir, [BARS]);
    const spool = recording.spoolOf(BARS)!;
    for (let i = 0; i < 10; i++) spool.append(MIDNIGHT + i * 1000, 1, 2, 0.5, 1.5, i);
    spool.flush();
    // A write the kill interrupted: half a record at the end of the file.
    const { appendFileSync } = await import('node:fs');
    appendFileSync(spool.path, Buffer.alloc(20, 7));
    const leftover = spool.path;
    expect(existsSync(leftover)).toBe(true);
    // The process is gone: the next recording finds the spool as it was left.
    const next = await LiveRecording.open(dir, [BARS]);
    expect(next.recovered.rows).toEqual({ 'BTCUSDT 1s': 10 });
    await next.recording.close();
    const file = streamFilePath(dir, BARS, '2024-08-09');
    expect((await duckRows(file, 'volume')).map(([, v]) => v)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('survives a SIGKILL: what was fsynced before the kill is in the store after restart', async () => {
    await new Promise<void>((done, fail) => {
      // node itself, not the tsx wrapper: the SIGKILL must hit the recording process.
      const child = spawn(process.execPath, ['--import', 'tsx', KILL_CHILD, dir], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (data: Buffer) => {
        out += data.toString();
        if (out.includes('flushed')) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) =>
        signal === 'SIGKILL' ? done() : fail(new Error(`child ended without the kill: ${out}`)),
      );
      child.on('error', fail);
    });
    // Nothing of the killed recording is in the store yet: no file, no staging.
    expect(await locate(dir)).toEqual([]);
    const next = await LiveRecording.open(dir, [BARS]);
    expect(next.recovered.rows).toEqual({ 'BTCUSDT 1s': 100 });
    await next.recording.close();
    const file = streamFilePath(dir, BARS, '2024-08-09');
    expect((await duckRows(file, 'volume')).map(([, v]) => v)).toEqual(
      Array.from({ length: 100 }, (_, i) => i),
    );
  });
});
