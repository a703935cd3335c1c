/**
 * A local sweep worker: a child process that runs one backtest at a time for its parent
 * (sweep-runner.ts) and answers each with the run's outcome. A process, not a thread: a
 * strategy that hangs or crashes takes down one worker, whose run is reported failed.
 */
import { readSlabFile } from '../storage/parquet/slab-file';
import { adoptSlabs, runBacktest, type RunRequest } from './sweep-backtest';
import { reportRow, type RunOutcome } from './sweep-results';

export interface WorkerRequest {
  run_id: string;
  request: RunRequest;
  /** A slab file (slab-file.ts) of the window the parent decoded; named in a worker's first run. */
  slabsFile?: string;
}

export async function outcomeOf(run_id: string, request: RunRequest): Promise<RunOutcome> {
  try {
    return { run_id, report: reportRow(await runBacktest(request)) };
  } catch (error) {
    return { run_id, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The collector, exposed by the worker's flags (sweep-runner.ts). */
const collect = (globalThis as { gc?: () => void }).gc;

if (process.send) {
  // The parent is gone (killed, or a queue worker that died): nobody will read the outcome.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: WorkerRequest) => {
    if (message.slabsFile) adoptSlabs(readSlabFile(message.slabsFile));
    void outcomeOf(message.run_id, message.request).then((outcome) => {
      process.send!(outcome);
      // While the parent takes the outcome and sends the next run: collected now, this run's
      // session columns free memory the next run reuses. Left for the collector's own time,
      // they pile up for several runs, and each of those maps fresh pages (docs/sweeps.md).
      collect?.();
    });
  });
}
