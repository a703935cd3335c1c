/**
 * `npm run live -- --config <file> [--data <dir>] [--record] [--for <seconds>]
 *  [--events <file.csv>] [--summary <file.json>]`
 *
 * Runs a live session headless: connects the config's feed, merges its streams on the wall
 * clock, prints a status line each second, and with --record rolls what it received into the
 * store. Runs until Ctrl-C (SIGINT/SIGTERM) or --for; a clean stop finishes the recording and
 * exits 0. Exit codes: 2 bad config or a feed that refuses the session, 1 a failure while running.
 */
import { Command, InvalidArgumentError } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { liveStateText } from '../../shared/live-status';
import { loadConfigFile } from '../host/config-file';
import { EventCsvWriter } from '../host/event-csv';
import { liveStatusOf, openFeedSession, type FeedSession } from '../host/feed-session';
import { SessionProblems } from '../host/session-host';
import { buildSummary } from '../host/session-summary';
import { FeedError } from '../feed/market-feed';

interface Options {
  config: string;
  data: string;
  record?: boolean;
  for?: number;
  events?: string;
  summary?: string;
}

const STATUS_EVERY_MS = 1000;

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('--for must be seconds > 0');
  return n;
}

function fail(code: number, lines: string[]): never {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(code);
}

/** `connected | 12.0 items/s | latency 85 ms | BTCUSDT 61234.5 | late 0 | recording` */
function statusLine(live: FeedSession, itemsPerSecond: number): string {
  const status = liveStatusOf(live);
  const prices: string[] = [];
  for (const data of live.session.sessionData.all()) {
    const ticks = data.ticks;
    const bars = data.bars_base;
    const price =
      ticks.length > 0
        ? ticks.values[0]![ticks.length - 1]!
        : bars.length > 0
          ? bars.values[3]![bars.length - 1]!
          : null;
    if (price !== null) prices.push(`${data.symbol} ${price}`);
  }
  return [
    liveStateText(status),
    `${itemsPerSecond.toFixed(1)} items/s`,
    status.latencyMs !== undefined ? `latency ${Math.round(status.latencyMs)} ms` : 'latency -',
    ...prices,
    `late ${status.late}`,
    ...(status.recording ? ['recording'] : []),
    ...(status.detail && status.state !== 'connected' ? [status.detail] : []),
  ].join(' | ');
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('live')
    .description('Run a live session on a market-data feed, and record it with --record.')
    .requiredOption('--config <file>', 'session config (JSON) with mode "live" and a feed')
    .option('--data <dir>', 'data directory (where --record writes)', 'data')
    .option('--record', 'record every bar, quote and tick received into the parquet store')
    .option('--for <seconds>', 'stop after this many seconds', parseSeconds)
    .option('--events <file.csv>', 'write every emitted item, in order, as CSV')
    .option('--summary <file.json>', 'write a JSON summary of the run')
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse(argv);
  const options = program.opts<Options>();

  const loaded = await loadConfigFile(resolve(options.config));
  if (!loaded.ok) fail(2, loaded.problems);
  const { config } = loaded;
  if (config.mode !== 'live' || !config.feed) {
    fail(2, [`${resolve(options.config)}: npm run live needs mode "live" and a "feed" block`]);
  }
  let live: FeedSession;
  try {
    live = await openFeedSession(config, {
      ...(options.record ? { record: { dataDir: resolve(options.data) } } : {}),
    });
  } catch (error) {
    if (error instanceof SessionProblems) fail(2, ['The session cannot start:', ...error.problems]);
    if (error instanceof FeedError) fail(2, [`The feed refused the session: ${error.message}`]);
    throw error;
  }
  const { session, feed } = live;
  session.upkeep?.onNote((note) => process.stderr.write(`note: ${note}\n`));
  const events = options.events ? new EventCsvWriter(resolve(options.events)) : null;
  if (events) session.coordinator.subscribe(events.write);
  let clockStart: number | null = null;
  const offFirst = session.coordinator.subscribe((batch) => {
    clockStart = batch.clock[0]!;
    offFirst();
  });

  let lastItems = 0;
  const status = setInterval(() => {
    const items = liveStatusOf(live).items;
    process.stderr.write(`${statusLine(live, ((items - lastItems) * 1000) / STATUS_EVERY_MS)}\n`);
    lastItems = items;
  }, STATUS_EVERY_MS);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void session.coordinator.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const timer = options.for ? setTimeout(stop, options.for * 1000) : null;

  const started = performance.now();
  let outcome;
  try {
    outcome = await session.coordinator.start();
  } finally {
    clearInterval(status);
    if (timer) clearTimeout(timer);
  }
  // Stop closes the feed, then rolls the recording into the store (all or nothing).
  const rolled = await live.close();
  events?.close();
  const elapsed = performance.now() - started;
  const summary = buildSummary(session, clockStart, elapsed);
  if (options.summary) {
    const recorded = rolled ? { recorded: rolled } : {};
    writeFileSync(
      resolve(options.summary),
      `${JSON.stringify({ ...summary, feed: feed.counts, ...recorded }, null, 2)}\n`,
    );
  }
  process.stdout.write(
    `${summary.session_name}: ${outcome}, ${summary.events.total} events ` +
      `(${summary.events.bars} bars, ${summary.events.quotes} quotes, ${summary.events.ticks} ticks, ` +
      `${summary.events.late ?? 0} late), ${feed.counts.reconnects} reconnects, ` +
      `in ${(elapsed / 1000).toFixed(1)} s\n`,
  );
  if (rolled) {
    const rows = Object.entries(rolled.rows).map(([stream, n]) => `${stream}: ${n}`);
    process.stdout.write(
      `recorded into ${resolve(options.data)}: ${rows.join(', ') || 'nothing'}` +
        `${rolled.days.length ? ` (${rolled.days.join(', ')})` : ''}\n`,
    );
  }
  process.exit(0);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`live failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
