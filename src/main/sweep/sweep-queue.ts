/**
 * A sweep through BullMQ: one job per run on a queue in Redis, taken by `npm run sweep-worker`
 * on any machine that sees the same data. A job's id is the sweep's context hash (config and
 * strategy source) plus the run id, so adding a run again is a no-op and a finished run is
 * never run twice: a sweep started again collects what is already done.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { SessionConfig } from '../../shared/session-config';
import type { StrategyParams } from '../../shared/strategy/types';
import type { SweepWindow } from '../../shared/sweep-spec';
import type { OutcomeListener } from './sweep-runner';
import type { ReportRow, RunOutcome } from './sweep-results';
import type { SweepPlan } from './sweep-setup';

export const QUEUE_NAME = 'tapedeck-sweep';

/** What a worker needs to run one backtest; paths are relative to the worker's data dir. */
export interface SweepJob {
  run_id: string;
  config: SessionConfig;
  strategy: string;
  params: StrategyParams;
  window: SweepWindow;
}

/** A report row as JSON can carry it: Infinity and NaN become strings and come back. */
export type EncodedRow = Record<string, number | string | null>;

export function encodeRow(row: ReportRow): EncodedRow {
  const out: EncodedRow = {};
  for (const [k, v] of Object.entries(row))
    out[k] = v !== null && !Number.isFinite(v) ? String(v) : v;
  return out;
}

export function decodeRow(row: EncodedRow): ReportRow {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'string' ? Number(v) : v;
  return out as ReportRow;
}

/** A Redis connection for BullMQ (which requires no per-request retry limit on workers). */
export function redisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true });
}

/**
 * Why the URL cannot be used, or null once a PING went through. Tried once, with a short
 * timeout: a typo in the URL should fail in seconds, before any work.
 */
export async function checkRedis(url: string): Promise<string | null> {
  if (!/^rediss?:\/\/[^/]/.test(url)) {
    return `--queue ${url}: expected a Redis URL, redis://host:port`;
  }
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // The connection error names the cause (ECONNREFUSED, ENOTFOUND); connect() only says closed.
  let cause: Error | null = null;
  redis.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    const first = cause as Error | null;
    const why = first?.message ?? (error instanceof Error ? error.message : String(error));
    return `--queue ${url}: cannot reach Redis (${why})`;
  } finally {
    redis.disconnect();
  }
}

/** The config and the strategy's source: runs of a changed strategy are new runs. */
export function contextHash(plan: SweepPlan): string {
  const source = readFileSync(plan.strategyFile, 'utf8');
  return createHash('sha256')
    .update(JSON.stringify([plan.config, relative(plan.dataDir, plan.strategyFile), source]))
    .digest('hex')
    .slice(0, 12);
}

/** Adds every run (no-op for runs already queued or done) and waits for all outcomes. */
export async function runQueued(
  plan: SweepPlan,
  url: string,
  onOutcome: OutcomeListener = () => undefined,
): Promise<Map<string, RunOutcome>> {
  const connection = redisConnection(url);
  const queue = new Queue<SweepJob, EncodedRow>(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection: redisConnection(url) });
  const context = contextHash(plan);
  const jobId = (runId: string): string => `${context}-${runId}`;
  const pending = new Map(plan.runs.map((r) => [jobId(r.run_id), r.run_id]));
  const outcomes = new Map<string, RunOutcome>();
  let wake: () => void = () => undefined;
  const settle = async (id: string): Promise<void> => {
    const runId = pending.get(id);
    if (runId === undefined) return;
    // The state first, then the job: a job read while active and found finished a moment
    // later would have no return value yet.
    const state = await queue.getJobState(id);
    if (state !== 'completed' && state !== 'failed') return;
    const job = await Job.fromId<SweepJob, EncodedRow>(queue, id);
    if (!job || (state === 'completed' && !job.returnvalue)) return;
    if (!pending.delete(id)) return;
    const outcome: RunOutcome =
      state === 'completed'
        ? { run_id: runId, report: decodeRow(job.returnvalue) }
        : { run_id: runId, error: job.failedReason || 'the job failed' };
    outcomes.set(runId, outcome);
    onOutcome(outcome);
    if (pending.size === 0) wake();
  };
  try {
    await events.waitUntilReady();
    // A lookup failing here (Redis gone) is reported by the periodic look below.
    const notified = ({ jobId: id }: { jobId: string }): void =>
      void settle(id).catch(() => undefined);
    events.on('completed', notified);
    events.on('failed', notified);
    const relPath = relative(plan.dataDir, plan.strategyFile);
    for (let i = 0; i < plan.runs.length; i += 500) {
      await queue.addBulk(
        plan.runs.slice(i, i + 500).map((run) => ({
          name: 'run',
          data: {
            run_id: run.run_id,
            config: plan.config,
            strategy: relPath,
            params: run.params,
            window: { start_date: run.window.start_date, end_date: run.window.end_date },
          },
          opts: { jobId: jobId(run.run_id), removeOnComplete: { age: 7 * 86_400 } },
        })),
      );
    }
    // A run failed in an earlier sweep is tried again; one done is collected as it is.
    for (const id of [...pending.keys()]) {
      const job = await Job.fromId(queue, id);
      if (job && (await job.getState()) === 'failed') await job.retry('failed');
      else await settle(id);
    }
    // Events are notifications, not the record: a periodic look catches any missed one.
    while (pending.size > 0) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 5000);
      });
      for (const id of [...pending.keys()]) await settle(id);
    }
    return outcomes;
  } finally {
    await events.close();
    await queue.close();
    connection.disconnect();
  }
}
