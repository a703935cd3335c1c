/**
 * `npm run backtest -- --config <file> [--data <dir>] [--speed <n>] [--events <file.csv>]
 *  [--summary <file.json>] [--bars <dir>] [--dump <file.csv>] [--skip-invalid]`
 *
 * Runs a session headless on the same engine as the desktop app. Exit codes: 0 done, 2 bad
 * config or data (every problem on stderr), 1 a failure while running.
 */
import { Command, InvalidArgumentError } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfigFile } from '../host/config-file';
import { EventCsvWriter } from '../host/event-csv';
import { openSession, SessionProblems } from '../host/session-host';
import { buildSummary } from '../host/session-summary';
import { createDataStore, createFillSource } from '../host/data-store';
import { startProgress } from './progress';
import { exportBars } from '../host/bars-export';
import { dumpLayout, SessionDumpWriter } from '../host/session-dump';

interface Options {
  config: string;
  data: string;
  speed?: number;
  events?: string;
  summary?: string;
  bars?: string;
  dump?: string;
  skipInvalid?: boolean;
}

function parseSpeed(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('speed must be a number >= 0');
  return n;
}

function fail(code: number, lines: string[]): never {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('backtest')
    .description('Replay a session headless and write its events and summary.')
    .requiredOption('--config <file>', 'session config (JSON)')
    .option('--data <dir>', 'data directory', 'data')
    .option(
      '--speed <n>',
      'speed multiplier; 0 = as fast as possible (overrides the config)',
      parseSpeed,
    )
    .option('--events <file.csv>', 'write every emitted item, in order, as CSV')
    .option('--summary <file.json>', 'write a JSON summary of the run')
    .option(
      '--bars <dir>',
      'write completed base and derived bars, one CSV per symbol and interval',
    )
    .option('--dump <file.csv>', 'write the session dump: one row per upkeep cycle')
    .option('--skip-invalid', 'skip bad rows and report how many, instead of refusing to start')
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse(argv);
  const options = program.opts<Options>();

  const loaded = await loadConfigFile(resolve(options.config));
  if (!loaded.ok) fail(2, loaded.problems);
  const { config, notes } = loaded;
  for (const note of notes) process.stderr.write(`note: ${note}\n`);

  const store = createDataStore(config, resolve(options.data), {
    skipInvalid: options.skipInvalid ?? false,
  });
  if (!store.ok) fail(2, store.problems);
  const fillSource = createFillSource(config, resolve(options.data));
  // Closed however the run ends (every exit is process.exit): a read-only database connection
  // left open would leave its -wal and -shm files behind.
  process.once('exit', () => {
    store.store.close();
    fillSource.close?.();
  });

  let session;
  try {
    session = await openSession(config, store.store, {
      ...(options.speed !== undefined ? { speed: options.speed } : {}),
      fillSource,
    });
  } catch (error) {
    if (error instanceof SessionProblems) fail(2, ['The session cannot start:', ...error.problems]);
    throw error;
  }
  for (const note of session.notes) process.stderr.write(`note: ${note}\n`);
  for (const [stream, count] of Object.entries(session.skipped)) {
    process.stderr.write(`skipped ${count} invalid rows in ${stream}\n`);
  }

  const { coordinator } = session;
  session.upkeep?.onNote((note) => process.stderr.write(`note: ${note}\n`));
  if (options.dump && !session.upkeep) {
    fail(2, ['--dump needs the upkeep: session_data_config.data_upkeep.enabled is false']);
  }
  const dump =
    options.dump && session.upkeep
      ? new SessionDumpWriter(
          resolve(options.dump),
          dumpLayout(config),
          session.sessionData,
          session.upkeep,
        )
      : null;
  if (dump) session.upkeep!.onCycle(dump.row);
  const events = options.events ? new EventCsvWriter(resolve(options.events)) : null;
  if (events) coordinator.subscribe(events.write);
  let clockStart: number | null = null;
  const offFirst = coordinator.subscribe((batch) => {
    clockStart = batch.clock[0]!;
    offFirst();
  });
  const progress = startProgress(session.totalRows, coordinator);
  const stopOnSignal = (): void => void coordinator.stop();
  process.once('SIGINT', stopOnSignal);

  const started = performance.now();
  let outcome;
  try {
    outcome = await coordinator.start();
  } finally {
    progress.stop();
    events?.close();
    dump?.close();
    process.off('SIGINT', stopOnSignal);
  }
  const elapsed = performance.now() - started;
  if (options.bars) exportBars(resolve(options.bars), session.sessionData);
  const summary = buildSummary(session, clockStart, elapsed);
  if (options.summary)
    writeFileSync(resolve(options.summary), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(
    `${summary.session_name}: ${outcome}, ${summary.events.total} events ` +
      `(${summary.events.bars} bars, ${summary.events.quotes} quotes, ${summary.events.ticks} ticks, ` +
      `${summary.events.stale_skipped} stale skipped) in ${(elapsed / 1000).toFixed(2)} s, ` +
      `clock ${summary.clock_start ?? '-'} → ${summary.clock_end ?? '-'}\n`,
  );
  for (const symbol of Object.values(summary.symbols)) {
    if (symbol.quality_note) process.stdout.write(`  ${symbol.quality_note}\n`);
  }
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(
    `backtest failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
