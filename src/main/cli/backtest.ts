/**
 * `npm run backtest -- --config <file> [--data <dir>] [--speed <n>] [--events <file.csv>]
 *  [--summary <file.json>] [--bars <dir>] [--dump <file.csv>] [--skip-invalid]
 *  [--strategy <file>] [--param k=v ...] [--fills <file.csv>] [--report <file.json|file.html>]`
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
import { tradingDays } from '../service/session-range';
import { exportBars } from '../host/bars-export';
import { dumpLayout, SessionDumpWriter } from '../host/session-dump';
import { DeferredTask } from '../engine/strategy/deferred-task';
import { StrategyError } from '../engine/strategy/strategy-error';
import type { StrategyRunner } from '../engine/strategy/strategy-runner';
import { attachStrategy, prepareStrategy } from '../host/strategy-session';
import { fillsCsv } from '../host/fills-csv';
import { reportHtml } from '../host/report-html';

interface Options {
  config: string;
  data: string;
  speed?: number;
  events?: string;
  summary?: string;
  bars?: string;
  dump?: string;
  skipInvalid?: boolean;
  strategy?: string;
  param: string[];
  fills?: string;
  report?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
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
    .option('--strategy <file>', "strategy module (.ts/.js); overrides the config's strategy")
    .option('--param <k=v>', "strategy param (repeatable); overrides the config's", collect, [])
    .option('--fills <file.csv>', 'write every simulated fill as CSV')
    .option('--report <file>', 'write the backtest report (.json, or .html to open in a browser)')
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse(argv);
  const options = program.opts<Options>();

  const loaded = await loadConfigFile(resolve(options.config));
  if (!loaded.ok) fail(2, loaded.problems);
  const { config, notes } = loaded;
  for (const note of notes) process.stderr.write(`note: ${note}\n`);

  const strategyPath = options.strategy
    ? resolve(options.strategy)
    : config.strategy
      ? resolve(options.data, 'strategies', config.strategy.file)
      : null;
  if (!strategyPath && (options.fills || options.report || options.param.length > 0)) {
    fail(2, [
      "--fills, --report and --param need a strategy (--strategy or the config's strategy)",
    ]);
  }
  if (options.report && !/\.(json|html?)$/i.test(options.report)) {
    fail(2, [`--report ${options.report}: the file must end in .json or .html`]);
  }
  let prepared: Awaited<ReturnType<typeof prepareStrategy>> | null = null;
  if (strategyPath) {
    try {
      // The config's params belong to the config's strategy, not to one given by --strategy.
      const given = options.strategy ? {} : (config.strategy?.params ?? {});
      prepared = await prepareStrategy(strategyPath, given, options.param);
    } catch (error) {
      if (error instanceof StrategyError) fail(2, [`strategy: ${error.message}`]);
      throw error;
    }
  }
  const beforeUpkeep = prepared ? new DeferredTask() : undefined;

  const store = createDataStore(config, resolve(options.data), {
    skipInvalid: options.skipInvalid ?? false,
    readerWorker: 'auto',
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
      ...(beforeUpkeep ? { beforeUpkeep } : {}),
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
  let runner: StrategyRunner | null = null;
  if (prepared) {
    try {
      runner = attachStrategy(session, prepared.loaded, prepared.params, {
        log: (line) => process.stderr.write(`strategy: ${line}\n`),
        ...(beforeUpkeep ? { beforeUpkeep } : {}),
      });
    } catch (error) {
      if (error instanceof StrategyError) fail(2, [`strategy: ${error.message}`]);
      throw error;
    }
  }
  let clockStart: number | null = null;
  const offFirst = coordinator.subscribe((batch) => {
    clockStart = batch.clock[0]!;
    offFirst();
  });
  const progress = startProgress(
    session.totalRows,
    coordinator,
    tradingDays(config, session.calendarOf, session.dataRange),
  );
  const stopOnSignal = (): void => void coordinator.stop();
  process.once('SIGINT', stopOnSignal);

  const started = performance.now();
  let outcome;
  try {
    outcome = await coordinator.start();
    runner?.finish(outcome === 'completed');
  } catch (error) {
    if (error instanceof StrategyError) {
      progress.stop();
      events?.close();
      dump?.close();
      fail(1, [
        `strategy failed: ${error.message}`,
        'The session stopped; nothing after the failure ran.',
      ]);
    }
    throw error;
  } finally {
    progress.stop();
    events?.close();
    dump?.close();
    process.off('SIGINT', stopOnSignal);
  }
  const elapsed = performance.now() - started;
  if (options.bars) exportBars(resolve(options.bars), session.sessionData, session.history);
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
  if (runner) writeStrategyOutputs(runner, options, config);
}

function writeStrategyOutputs(runner: StrategyRunner, options: Options, config: unknown): void {
  const report = runner.report();
  if (options.fills) writeFileSync(resolve(options.fills), fillsCsv(runner.broker.fills));
  if (options.report) {
    const text = /\.html?$/i.test(options.report)
      ? reportHtml(report, runner.curve, config)
      : `${JSON.stringify(report, null, 2)}\n`;
    writeFileSync(resolve(options.report), text);
  }
  const pct = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
  process.stdout.write(
    `strategy ${report.strategy?.file ?? ''}: ${report.fill_count} fills, ${report.trade_count} trades ` +
      `(win rate ${pct(report.win_rate)}), net P&L ${report.net_pnl.toFixed(2)} ` +
      `(${report.return_pct.toFixed(2)}%), max drawdown ${report.max_drawdown_pct.toFixed(2)}%\n`,
  );
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(
    `backtest failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
