/**
 * Puts a strategy on an opened session, the same way for every host: load the file, check
 * the params against its declarations, and wire the runner into the coordinator's loop.
 */
import type { StrategyParams } from '../../shared/strategy/types';
import { parseParamArgs, resolveParams } from '../../shared/strategy/params';
import { DeferredTask } from '../engine/strategy/deferred-task';
import { StrategyError } from '../engine/strategy/strategy-error';
import { loadStrategy, type LoadedStrategy } from '../engine/strategy/strategy-loader';
import { StrategyRunner } from '../engine/strategy/strategy-runner';
import type { Session } from './session-host';

export interface StrategyAttachOptions {
  /** Values given in the config or on the command line, checked against the declarations. */
  params: Record<string, unknown>;
  log?: (line: string) => void;
  /** The slot openSession reserved before the upkeep (see OpenSessionOptions.beforeUpkeep). */
  beforeUpkeep?: DeferredTask;
  /** Collect plot values for a live view. */
  live?: boolean;
}

/** Loads the file and resolves params; throws a StrategyError naming the file on any problem. */
export async function prepareStrategy(
  file: string,
  given: Record<string, unknown>,
  /** `k=v` pairs from the command line, read by each param's declared kind; they win. */
  pairs: readonly string[] = [],
): Promise<{ loaded: LoadedStrategy; params: StrategyParams }> {
  const loaded = await loadStrategy(file);
  const args = parseParamArgs(loaded.fields, pairs);
  if (args.problems.length > 0)
    throw new StrategyError(loaded.file, null, null, args.problems.join('; '));
  const resolved = resolveParams(loaded.fields, { ...given, ...args.values });
  if (!resolved.ok) throw new StrategyError(loaded.file, null, null, resolved.problems.join('; '));
  return { loaded, params: resolved.params };
}

export function attachStrategy(
  session: Session,
  loaded: LoadedStrategy | null,
  params: StrategyParams,
  options: Omit<StrategyAttachOptions, 'params'> = {},
): StrategyRunner {
  const { config, coordinator, upkeep } = session;
  const runner = new StrategyRunner({
    loaded,
    params,
    execution: config.execution,
    sessionData: session.sessionData,
    history: session.history,
    streams: coordinator.streams,
    derivedIntervals: config.session_data_config.data_upkeep.derived_intervals,
    calendarOf: session.calendarOf,
    ...(options.log ? { log: options.log } : {}),
    ...(options.live ? { live: true } : {}),
  });
  coordinator.subscribe(runner.onBatch);
  // A bucket not yet delivered keeps its base bars in memory: a symbol silent for days has its
  // last buckets delivered only when time moves on, from those bars.
  session.retention?.addHold((symbol) => runner.pendingFrom(symbol));
  if (upkeep) {
    options.beforeUpkeep?.bind(runner.preCycleTask(upkeep));
    upkeep.onDerivedBar(runner.onDerivedRevision);
    // Delivered derived bars of released days go with them where the upkeep makes the same
    // interval, which the history gives back.
    session.retention?.onRelease((symbol, before) =>
      runner.releaseBefore(
        symbol,
        before,
        (interval) => upkeep.derivedOf(symbol, interval)?.completed,
      ),
    );
  }
  return runner;
}
