/**
 * The BullMQ side of `npm run sweep-worker`: takes sweep jobs and runs each in a child process
 * (the local runner's, sweep-process.ts), so this process's event loop stays free to renew
 * job locks however long a backtest runs. If this process dies, its locks lapse and another
 * worker's stalled-job check puts the jobs back on the queue.
 */
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { UnrecoverableError, Worker } from 'bullmq';
import {
  encodeRow,
  QUEUE_NAME,
  redisConnection,
  type EncodedRow,
  type SweepJob,
} from './sweep-queue';
import { runOn, spawnWorker } from './sweep-runner';
import { compiledStrategy } from './sweep-strategy-cache';
import { prepareWorkerEntry } from './sweep-worker-entry';

export interface QueueWorkerOptions {
  url: string;
  dataDir: string;
  concurrency: number;
  /** How long a job's lock lasts without renewal (BullMQ's default 30 s; tests use less). */
  lockMs?: number;
  onJob?: (event: 'started' | 'done' | 'failed', job: SweepJob, detail?: string) => void;
  /** A connection or lock problem BullMQ reports (the worker keeps going). */
  onError?: (message: string) => void;
}

export function startQueueWorker(options: QueueWorkerOptions): { close(): Promise<void> } {
  const dataDir = resolve(options.dataDir);
  const idle: ChildProcess[] = [];
  const all = new Set<ChildProcess>();
  const lockMs = options.lockMs ?? 30_000;
  let closed = false;
  // Compiled, and the processes started, while the worker connects and waits: a job is not
  // held up by a process start.
  void prepareWorkerEntry().then(() => {
    for (let i = 0; i < options.concurrency && !closed; i++) {
      const child = spawnWorker();
      all.add(child);
      idle.push(child);
    }
  });
  const worker = new Worker<SweepJob, EncodedRow>(
    QUEUE_NAME,
    async (job) => {
      const data = job.data;
      options.onJob?.('started', data);
      await prepareWorkerEntry();
      let child = idle.pop();
      while (child && (child.exitCode !== null || child.signalCode !== null)) child = idle.pop();
      if (!child) {
        child = spawnWorker();
        all.add(child);
      }
      const strategyFile = resolve(dataDir, data.strategy);
      // Compiled here once for this machine's children, not by each in its first run (esbuild
      // is a process of its own). A strategy that does not compile is left to the child, whose
      // run then fails with the loader's message as before.
      const strategyBundle = await compiledStrategy(strategyFile).catch(() => undefined);
      const outcome = await runOn(child, {
        run_id: data.run_id,
        request: {
          config: data.config,
          dataDir,
          strategyFile,
          ...(strategyBundle ? { strategyBundle } : {}),
          params: data.params,
          window: data.window,
        },
      });
      if ('died' in outcome) {
        all.delete(child);
        options.onJob?.('failed', data, outcome.died);
        throw new UnrecoverableError(outcome.died);
      }
      idle.push(child);
      if ('error' in outcome) {
        options.onJob?.('failed', data, outcome.error);
        // The run's own failure (bad data, a strategy error) would fail again anywhere.
        throw new UnrecoverableError(outcome.error);
      }
      options.onJob?.('done', data);
      return encodeRow(outcome.report);
    },
    {
      connection: redisConnection(options.url),
      concurrency: options.concurrency,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
      // A job whose worker died is put back this many times before it counts as failed.
      maxStalledCount: 3,
    },
  );
  worker.on('error', (error) => options.onError?.(error.message));
  return {
    close: async () => {
      closed = true;
      await worker.close();
      for (const child of all) child.kill();
    },
  };
}
