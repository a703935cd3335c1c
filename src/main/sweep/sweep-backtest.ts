/**
 * One run of a sweep: a full headless session with the strategy, opened and run the way
 * `npm run backtest --strategy` does it (same store, fill source, upkeep slot and runner), at
 * full speed over the run's window. A problem throws a RunFailure with the message a user
 * would get from the backtest CLI.
 */
import type { SessionConfig } from '../../shared/session-config';
import type { BacktestReport } from '../../shared/strategy/stats/backtest-report';
import type { StrategyParams } from '../../shared/strategy/types';
import type { StrategyBundle } from '../engine/strategy/strategy-loader';
import type { SweepWindow } from '../../shared/sweep-spec';
import { createDataStore, createFillSource } from '../host/data-store';
import { openSession, SessionProblems } from '../host/session-host';
import { attachStrategy } from '../host/strategy-session';
import { DeferredTask } from '../engine/strategy/deferred-task';
import { StrategyError } from '../engine/strategy/strategy-error';
import { runStrategy } from './sweep-strategy-cache';
import { SlabCache, type KeptFile } from '../storage/parquet/slab-cache';

export interface RunRequest {
  config: SessionConfig;
  dataDir: string;
  /** Absolute path of the strategy file. */
  strategyFile: string;
  /** The file already compiled (by the sweep's parent process); else the worker compiles it. */
  strategyBundle?: StrategyBundle;
  params: StrategyParams;
  window: SweepWindow;
}

/**
 * The window's decoded data, kept for this process's next runs: a worker runs the grid's
 * points one after another over the same days, and decoding them again was most of what a
 * run read. A file that changes is read afresh.
 */
const slabCache = new SlabCache();

/** Files the sweep's parent decoded (sweep-window-slabs.ts), kept as if decoded here. */
export function adoptSlabs(files: readonly KeptFile[]): number {
  return slabCache.adopt(files);
}

export class RunFailure extends Error {
  override name = 'RunFailure';
}

/** The config of one run: the window's dates, full speed, the strategy given apart. */
export function runConfig(config: SessionConfig, window: SweepWindow): SessionConfig {
  const { strategy: _strategy, ...rest } = config;
  return {
    ...rest,
    backtest_config: {
      start_date: window.start_date,
      end_date: window.end_date,
      speed_multiplier: 0,
    },
  };
}

export async function runBacktest(request: RunRequest): Promise<BacktestReport> {
  try {
    return await runSession(request);
  } catch (error) {
    if (error instanceof StrategyError) throw new RunFailure(`strategy: ${error.message}`);
    if (error instanceof SessionProblems) {
      throw new RunFailure(`the session cannot start: ${error.problems.join('; ')}`);
    }
    throw error;
  }
}

async function runSession(request: RunRequest): Promise<BacktestReport> {
  const config = runConfig(request.config, request.window);
  const prepared = await runStrategy(request.strategyFile, request.params, request.strategyBundle);
  const beforeUpkeep = new DeferredTask();
  const store = createDataStore(config, request.dataDir, { slabCache });
  if (!store.ok) throw new RunFailure(store.problems.join('; '));
  const fillSource = createFillSource(config, request.dataDir);
  try {
    const session = await openSession(config, store.store, { speed: 0, fillSource, beforeUpkeep });
    const runner = attachStrategy(session, prepared.loaded, prepared.params, {
      log: () => undefined,
      beforeUpkeep,
    });
    const outcome = await session.coordinator.start();
    runner.finish(outcome === 'completed');
    return runner.report();
  } finally {
    store.store.close();
    fillSource.close?.();
  }
}
