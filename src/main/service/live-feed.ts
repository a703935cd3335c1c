/**
 * The live half of a ReplaySession: a feed session opened for the app (strategy checked first,
 * the feed's state changes logged and pushed to the badge at once) and closed with the
 * recording's last roll reported in the Log.
 */
import type { SessionConfig } from '../../shared/session-config';
import { DeferredTask } from '../engine/strategy/deferred-task';
import { StrategyError } from '../engine/strategy/strategy-error';
import type { StrategyRunner } from '../engine/strategy/strategy-runner';
import { FeedError } from '../feed/market-feed';
import type { OpenedDataStore } from '../host/data-store';
import { openFeedSession, type FeedSession } from '../host/feed-session';
import { SessionProblems } from '../host/session-host';
import { attachStrategy, prepareStrategy } from '../host/strategy-session';
import { ApiRequestError } from './api-error';
import type { LogRing } from './log-ring';
import { strategyPath } from './strategy-files';

export interface LiveFeedOptions {
  dataDir: string;
  log: LogRing;
  onChange: (what: 'items' | 'state') => void;
  record?: boolean;
}

export interface LiveFeedParts {
  live: FeedSession;
  runner: StrategyRunner;
  /** A live session reads nothing from the store: a stand-in with nothing to close. */
  store: OpenedDataStore;
}

export async function openLiveFeed(
  config: SessionConfig,
  options: LiveFeedOptions,
): Promise<LiveFeedParts> {
  const beforeUpkeep = new DeferredTask();
  let live: FeedSession;
  let prepared: Awaited<ReturnType<typeof prepareStrategy>> | null = null;
  try {
    // The strategy is checked before the connection, as before data loads in a replay.
    prepared = config.strategy
      ? await prepareStrategy(
          strategyPath(options.dataDir, config.strategy.file),
          config.strategy.params,
        )
      : null;
    live = await openFeedSession(config, {
      beforeUpkeep,
      ...(options.record ? { record: { dataDir: options.dataDir } } : {}),
    });
  } catch (error) {
    throw refusal(error);
  }
  let runner: StrategyRunner;
  try {
    runner = attachStrategy(live.session, prepared?.loaded ?? null, prepared?.params ?? {}, {
      beforeUpkeep,
      log: (line) => options.log.info(`strategy: ${line}`),
    });
  } catch (error) {
    await live.close().catch(() => undefined);
    throw refusal(error);
  }
  let last = live.feed.status.state;
  live.feed.onStatus((status) => {
    if (status.state !== last) {
      const line = `Feed ${status.state}${status.detail ? `: ${status.detail}` : ''}`;
      if (status.state === 'reconnecting' || status.state === 'stale') options.log.warn(line);
      else options.log.info(line);
      last = status.state;
    }
    options.onChange('state');
  });
  const store: OpenedDataStore = {
    source: {
      open: () => Promise.reject(new FeedError('A live session reads no stored stream')),
    },
    description: `feed ${live.feed.description}`,
    preflight: async () => ({ rows: 0, skipped: 0, problems: [] }),
    close: () => undefined,
  };
  return { live, runner, store };
}

/** Closes the feed and rolls the recording into the store, saying in the Log what it wrote. */
export async function closeLiveFeed(live: FeedSession, log: LogRing): Promise<void> {
  try {
    const rolled = await live.close();
    const rows = Object.entries(rolled?.rows ?? {});
    if (rows.length > 0) {
      log.info(
        `Recorded into the store: ${rows.map(([stream, n]) => `${stream} ${n} rows`).join(', ')}` +
          ` (${rolled!.days.join(', ')}).`,
      );
    }
  } catch (error) {
    // The spools stay sealed; the next recording commits them first.
    log.error(
      `The recording could not be written to the store (${(error as Error).message}); ` +
        'it is kept and written by the next recording.',
    );
  }
}

function refusal(error: unknown): unknown {
  if (error instanceof StrategyError) {
    return new ApiRequestError('The strategy cannot start', [error.message]);
  }
  if (error instanceof SessionProblems) {
    return new ApiRequestError('The session cannot start', error.problems);
  }
  if (error instanceof FeedError) {
    return new ApiRequestError('The feed refused the session', [error.message]);
  }
  return error;
}
