/**
 * What Tapedeck needs of a live market-data vendor. A second vendor is one more class that
 * implements this; sessions, the coordinator and the upkeep see only StreamCursors and a
 * BarFillSource.
 */
import type { FEED_STATES } from '../../shared/live-status';
import type { BaseInterval } from '../../shared/interval';
import type { BarFillSource, StreamBatch, StreamKey } from '../../shared/stream-cursor';
import type { LiveCursor } from './live-cursor';

export type FeedState = (typeof FEED_STATES)[number];

export interface FeedStatus {
  state: FeedState;
  /** Reconnect attempt (1 for the first retry); 0 while the first connection holds. */
  attempt: number;
  /** While reconnecting: how long until the next attempt. */
  nextInMs?: number;
  /** Receive time minus exchange time of the newest message that has one. */
  latencyMs?: number;
  /** Why the state changed (the socket's close reason, a REST failure). */
  detail?: string;
}

export interface FeedCounts {
  bars: number;
  quotes: number;
  ticks: number;
  /** Malformed messages, per stream name. */
  bad: Record<string, number>;
  /** Well-formed messages of streams the session does not use. */
  other: number;
  /** Items refused as repeats or out of order. */
  duplicates: number;
  /** Bars that came from REST backfills. */
  backfilled: number;
  reconnects: number;
}

export type StatusListener = (status: FeedStatus) => void;

export interface MarketFeed extends BarFillSource {
  /** Says which stream keys the feed will deliver; call before connect(). */
  subscribe(keys: readonly StreamKey[]): LiveCursor[];
  /**
   * Opens the connection and backfills the history before it; resolves once the first
   * connection is open and that history is in the cursors. Later drops reconnect on their own.
   */
  connect(): Promise<void>;
  /** Base bars with start in [startMs, endMs), from the vendor's history endpoint. */
  backfill(
    symbol: string,
    interval: BaseInterval,
    startMs: number,
    endMs: number,
  ): Promise<StreamBatch>;
  /** Closes the connection for good and ends every cursor. */
  close(): Promise<void>;
  onStatus(listener: StatusListener): () => void;
  readonly status: FeedStatus;
  readonly counts: FeedCounts;
}

export class FeedError extends Error {
  override name = 'FeedError';
}
