/**
 * Opens a live session whose streams come from a market-data feed instead of the store: the
 * feed's cursors stand in for the store's, and the feed's history endpoint is the upkeep's
 * fill source, so gaps the reconnect sync could not close are refilled the usual way.
 */
import type { SessionConfig } from '../../shared/session-config';
import type { StreamCursor, StreamKey } from '../../shared/stream-cursor';
import { createFeed, type FeedRuntime } from '../feed/create-feed';
import { FeedError, type MarketFeed } from '../feed/market-feed';
import {
  openSession,
  streamKeys,
  streamLabel,
  type DataStore,
  type OpenSessionOptions,
  type Session,
} from './session-host';

export interface FeedSession {
  session: Session;
  feed: MarketFeed;
  /** Stops the session, then closes the feed. */
  close(): Promise<void>;
}

/** A store that hands out the feed's cursors, each once; live data has nothing to preflight. */
function feedStore(keys: readonly StreamKey[], cursors: StreamCursor[]): DataStore {
  const byLabel = new Map(keys.map((key, i) => [streamLabel(key), cursors[i]!]));
  return {
    source: {
      open: async (key) => {
        const label = streamLabel(key);
        const cursor = byLabel.get(label);
        if (!cursor) throw new FeedError(`${label}: the feed was not subscribed to this stream`);
        byLabel.delete(label);
        return cursor;
      },
    },
    preflight: async () => ({ rows: 0, skipped: 0, problems: [] }),
  };
}

export async function openFeedSession(
  config: SessionConfig,
  options: OpenSessionOptions & { feed?: FeedRuntime } = {},
): Promise<FeedSession> {
  if (config.mode !== 'live' || !config.feed) {
    throw new FeedError('A feed session needs mode "live" and a feed in its config');
  }
  const feed = createFeed(config.feed, {
    ...(options.wall ? { wall: options.wall } : {}),
    ...options.feed,
  });
  const keys = streamKeys(config);
  const cursors = feed.subscribe(keys);
  // Connect first: an unknown symbol or a refused subscription stops the session here.
  await feed.connect();
  let session: Session;
  try {
    session = await openSession(config, feedStore(keys, cursors), {
      ...options,
      fillSource: options.fillSource ?? feed,
    });
  } catch (error) {
    await feed.close();
    throw error;
  }
  return {
    session,
    feed,
    close: async () => {
      await session.coordinator.stop();
      await feed.close();
    },
  };
}
