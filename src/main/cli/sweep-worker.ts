/**
 * `npm run sweep-worker -- --queue redis://host:port [--data <dir>] [--concurrency N]`
 *
 * Takes sweep runs from the BullMQ queue in that Redis and runs them against this machine's
 * data directory (which must hold the same data as the sweep's). Runs until stopped (SIGINT or
 * SIGTERM finish the current runs first). Exit code 2 when Redis cannot be reached.
 */
import { Command, InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';
import { checkRedis } from '../sweep/sweep-queue';
import { startQueueWorker } from '../sweep/sweep-queue-worker';

interface Options {
  queue: string;
  data: string;
  concurrency: number;
  lockMs: number;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an integer >= 1');
  return n;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('sweep-worker')
    .description('Run sweep jobs from a BullMQ queue.')
    .requiredOption('--queue <url>', 'the Redis holding the queue (redis://host:port)')
    .option('--data <dir>', 'data directory (the same data the sweep planned against)', 'data')
    .option('--concurrency <n>', 'runs at a time', positiveInt, availableParallelism())
    .option(
      '--lock-ms <ms>',
      "job lock duration; a dead worker's job is retried after it",
      positiveInt,
      30_000,
    )
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse(argv);
  const options = program.opts<Options>();
  const problem = await checkRedis(options.queue);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(2);
  }
  const worker = startQueueWorker({
    url: options.queue,
    dataDir: options.data,
    concurrency: options.concurrency,
    lockMs: options.lockMs,
    onJob: (event, job, detail) => {
      const what = `run ${job.run_id} (${job.window.start_date}..${job.window.end_date})`;
      process.stdout.write(`${event} ${what}${detail ? `: ${detail}` : ''}\n`);
    },
    onError: (message) => process.stderr.write(`queue: ${message}\n`),
  });
  process.stdout.write(`sweep-worker: waiting for runs on ${options.queue}\n`);
  const stop = (): void => {
    void worker.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(
    `sweep-worker failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
