/**
 * `npm run sweep -- --spec <file> [--data <dir>] [--out <results.parquet|results.csv>]
 *  [--jobs N] [--queue redis://host:port]`
 *
 * Runs a strategy over a grid of params and date windows (docs/sweeps.md), on this machine's
 * cores or through a BullMQ queue, and writes one ranked row per run. Exit codes: 0 every run
 * done, 1 some runs failed (the others are in the results), 2 bad input (nothing ran).
 */
import { Command, InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { setupSweep, type SweepPlan } from '../sweep/sweep-setup';
import { runLocal, startWorkersAhead, type OutcomeListener } from '../sweep/sweep-runner';
import { resultTable, writeResults, type RunOutcome } from '../sweep/sweep-results';

interface Options {
  spec: string;
  data: string;
  out: string;
  jobs: number;
  queue?: string;
}

function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an integer >= 1');
  return n;
}

function fail(code: number, lines: string[]): never {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(code);
}

function describeRun(plan: SweepPlan, runId: string): string {
  const run = plan.runs.find((r) => r.run_id === runId);
  if (!run) return runId;
  const params = Object.entries(run.grid)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return `${runId} (${params}, ${run.window.start_date}..${run.window.end_date})`;
}

/**
 * Runs done/total with an ETA on a terminal; failures are printed as they come when piped,
 * after the bar on a terminal (a line written under a live bar is overdrawn).
 */
function progressOf(plan: SweepPlan): { listener: OutcomeListener; stop(): void } {
  const bar = process.stderr.isTTY
    ? new SingleBar(
        {
          format: 'sweep |{bar}| {value}/{total} runs | ETA {eta_formatted} | {failed} failed',
          stream: process.stderr,
          etaBuffer: 20,
        },
        Presets.shades_classic,
      )
    : null;
  let done = 0;
  let failed = 0;
  const held: string[] = [];
  bar?.start(plan.runs.length, 0, { failed });
  return {
    listener: (outcome: RunOutcome) => {
      done++;
      if ('error' in outcome) {
        failed++;
        const line = `run ${describeRun(plan, outcome.run_id)} failed: ${outcome.error}`;
        if (bar) held.push(line);
        else process.stderr.write(`${line}\n`);
      }
      bar?.update(done, { failed });
    },
    stop: () => {
      bar?.stop();
      for (const line of held) process.stderr.write(`${line}\n`);
    },
  };
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('sweep')
    .description('Run a strategy over a grid of params and date windows; write ranked results.')
    .requiredOption('--spec <file>', 'sweep spec (JSON)')
    .option('--data <dir>', "data directory (the spec's paths are relative to it)", 'data')
    .option('--out <file>', 'results: .parquet or .csv', 'sweep-results.csv')
    .option('--jobs <n>', 'worker processes on this machine', parseJobs, availableParallelism())
    .option('--queue <url>', 'run through a BullMQ queue in this Redis (redis://host:port)')
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse(argv);
  const options = program.opts<Options>();
  if (!/\.(parquet|csv)$/i.test(options.out)) {
    fail(2, [`--out ${options.out}: the file must end in .parquet or .csv`]);
  }
  // Checked now, not after hours of runs.
  if (!existsSync(dirname(resolve(options.out)))) {
    fail(2, [`--out ${options.out}: the folder ${dirname(resolve(options.out))} does not exist`]);
  }
  // BullMQ and its Redis client load only for a queued sweep: a local one starts sooner.
  const queue = options.queue ? await import('../sweep/sweep-queue') : null;
  if (queue && options.queue) {
    const problem = await queue.checkRedis(options.queue);
    if (problem) fail(2, [problem]);
  }
  // The workers load while the sweep is planned.
  if (!queue) void startWorkersAhead(options.jobs);
  const setup = await setupSweep(resolve(options.spec), options.data);
  if (!setup.ok) fail(2, ['The sweep cannot start:', ...setup.problems.map((p) => `  - ${p}`)]);
  const { plan } = setup;

  const started = performance.now();
  const progress = progressOf(plan);
  let heard = false;
  const listener: OutcomeListener = (outcome) => {
    heard = true;
    progress.listener(outcome);
  };
  // Nothing comes back from a queue nobody works on: say what is missing instead of hanging.
  const hint = options.queue
    ? setTimeout(() => {
        if (!heard) {
          process.stderr.write(
            `waiting for workers: start \`npm run sweep-worker -- --queue ${options.queue}\`\n`,
          );
        }
      }, 15_000)
    : null;
  let outcomes: Map<string, RunOutcome>;
  try {
    outcomes =
      queue && options.queue
        ? await queue.runQueued(plan, options.queue, listener)
        : await runLocal(plan, options.jobs, listener);
  } finally {
    if (hint) clearTimeout(hint);
    progress.stop();
  }
  const table = resultTable(plan.spec, plan.fields, plan.runs, outcomes);
  writeResults(resolve(options.out), table);
  const failed = [...outcomes.values()].filter((o) => 'error' in o).length;
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${plan.runs.length} runs (${failed} failed) in ${seconds.toFixed(2)} s ` +
      `→ ${options.out}, ranked by ${plan.spec.rank_by} (${plan.spec.rank_order})\n`,
  );
  process.exit(failed > 0 ? 1 : 0);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`sweep failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
