/**
 * `npm run live` against the local Binance stand-in: a bounded run with --for, a Ctrl-C stop
 * that still finishes the recording, and the clear refusals (config, unknown symbol).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listStoreFiles as locate } from '../../src/main/storage/parquet/parquet-layout';
import { BinanceTestServer } from '../feed/binance-test-server';
import type { TestBar } from '../feed/capture';
import { makeDataDir, removeDataDir } from '../storage/fixtures';

const CLI = resolve('src/main/cli/live.ts');

let server: BinanceTestServer;
let dir: string;
beforeEach(async () => {
  server = await BinanceTestServer.start();
  dir = await makeDataDir();
  // A minute of closed 1s bars just before now: the session's history.
  const now = Math.floor(Date.now() / 1000) * 1000;
  const bars: TestBar[] = [];
  for (let i = 60; i > 0; i--) {
    bars.push({ start: now - i * 1000, open: 10, high: 11, low: 9, close: 10.5, volume: i });
  }
  server.bars = bars;
});
afterEach(async () => {
  await server.stop();
  await removeDataDir(dir);
});

function writeConfig(extra: Record<string, unknown> = {}): string {
  const file = join(dir, 'live.json');
  writeFileSync(
    file,
    JSON.stringify({
      session_name: 'btc cli',
      mode: 'live',
      data_streams: [{ type: 'bars', symbol: 'BTCUSDT', interval: '1s' }],
      feed: { type: 'binance', ws_url: server.wsUrl, rest_url: server.restUrl, history_minutes: 2 },
      ...extra,
    }),
  );
  return file;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI (node itself, so a signal reaches it); `interrupt` sends SIGINT at a status line. */
function runLive(args: string[], interrupt = false): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (interrupt && stderr.includes('items/s')) {
        interrupt = false;
        child.kill('SIGINT');
      }
    });
    child.on('exit', (code) => {
      clearTimeout(guard);
      done({ code, stdout, stderr });
    });
    child.on('error', fail);
  });
}

describe('npm run live', { timeout: 90_000 }, () => {
  it('--for runs a bounded session, records it and writes the summary', async () => {
    const summaryFile = join(dir, 'summary.json');
    const run = await runLive([
      '--config',
      writeConfig(),
      '--data',
      dir,
      '--record',
      '--for',
      '2',
      '--summary',
      summaryFile,
    ]);
    expect(run.stderr).toMatch(/connected \| .* items\/s/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/btc cli: stopped, 60 events \(60 bars/);
    expect(run.stdout).toMatch(/recorded into .*BTCUSDT 1s: 60/);
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    expect(summary.events).toMatchObject({ bars: 60, late: 0 });
    expect(summary.feed).toMatchObject({ backfilled: 60, reconnects: 0 });
    expect(summary.recorded.rows).toEqual({ 'BTCUSDT 1s': 60 });
    expect((await locate(dir)).map((f) => f.symbol)).toContain('BTCUSDT');
  });

  it('Ctrl-C stops cleanly and finishes the recording', async () => {
    const run = await runLive(['--config', writeConfig(), '--data', dir, '--record'], true);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/stopped/);
    expect(run.stdout).toMatch(/BTCUSDT 1s: 60/);
    const files = await locate(dir);
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => f.kind === 'bars' && f.interval === '1s')).toBe(true);
  });

  it('refuses a config without a feed, and an unknown symbol, with exit 2 and the reason', async () => {
    const noFeed = await runLive(['--config', writeConfig({ mode: 'backtest', feed: undefined })]);
    expect(noFeed.code).toBe(2);
    expect(noFeed.stderr).toMatch(/live\.json: npm run live needs mode "live" and a "feed" block/);
    server.symbol = 'ETHUSDT';
    const unknown = await runLive(['--config', writeConfig()]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/BTCUSDT: .*Invalid symbol/);
  });
});
