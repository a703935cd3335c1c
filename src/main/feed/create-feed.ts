/** The feed a session's config names. One case per vendor. */
import type { FeedConfig } from '../../shared/feed-config';
import type { WallClock } from '../engine/wall-clock';
import { BinanceFeed } from './binance/binance-feed';
import type { MarketFeed } from './market-feed';

export interface FeedRuntime {
  wall?: WallClock;
  /** Overrides the no-message timeout (tests). */
  staleAfterMs?: number;
}

export function createFeed(config: FeedConfig, runtime: FeedRuntime = {}): MarketFeed {
  switch (config.type) {
    case 'binance':
      return new BinanceFeed({
        wsUrl: config.ws_url,
        restUrl: config.rest_url,
        historyMs: config.history_minutes * 60_000,
        ...runtime,
      });
  }
}
