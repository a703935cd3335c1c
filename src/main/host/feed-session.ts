/**
 * Opens a live session whose streams come from a market-data feed instead of the store: the
 * feed's cursors stand in for the store's, and the feed's history endpoint is the upkeep's
 * fill source, so gaps the reconnect sync could not close are refilled the usual way. With
 * `record`, every row the feed accepts is also spooled and rolled into the parquet store.
 */
import type { LiveStatus } from '../../shared/live-status';
import type { SessionConfig } from '../../shared/session-config';
import type { StreamCursor, StreamKey } from '../../shared/stream-cursor';
import { createFeed, type FeedRuntime } from '../feed/create-feed';
import { FeedError, type MarketFeed } from '../feed/market-feed';
import {
  LiveRecording,
  type RecordingOptions,
  type RollResult,
} from '../storage/recording/live-recording';
import {
  openSession,
  streamKeys,
  streamLabel,
  type DataStore,
  type OpenSessionOptions,
  type Session,
} from './session-host';

/** Spools are fsynced this often: at most this much of a recording is lost to a kill. */
const FLUSH_EVERY_MS = 1000;
const DAY_MS = 86_400_000;

export interface RecordOptions extends RecordingOptions {
  /** The data directory the recording is rolled into. */
  dataDir: string;
}

export interface FeedSession {
  session: Session;
  feed: MarketFeed;
  /** Null when the session does not record. */
  recording: LiveRecording | null;
  /** The newest spool or roll failure; recording goes on and the next roll retries. */
  readonly recordError: string | null;
  /**
   * Stops the session, closes the feed, then rolls what was recorded into the store; resolves
   * with the last roll (null without recording).
   */
  close(): Promise<RollResult | null>;
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
  options: OpenSessionOptions & { feed?: FeedRuntime; record?: RecordOptions } = {},
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
  let recording: LiveRecording | null = null;
  if (options.record) {
    const { dataDir, ...recordingOptions } = options.record;
    // What an earlier recording left (a crash) is committed before anything new is spooled.
    ({ recording } = await LiveRecording.open(dataDir, keys, {
      calendar: config.calendar,
      ...recordingOptions,
    }));
    for (const [i, cursor] of cursors.entries()) cursor.tap = recording.spoolOf(keys[i]!);
  }
  let session: Session;
  try {
    // Connect first: an unknown symbol or a refused subscription stops the session here.
    await feed.connect();
    session = await openSession(config, feedStore(keys, cursors), {
      ...options,
      fillSource: options.fillSource ?? feed,
    });
  } catch (error) {
    await feed.close();
    await recording?.close().catch(() => undefined);
    throw error;
  }
  let recordError: string | null = null;
  let rolledDay = Math.floor(Date.now() / DAY_MS);
  let roll: Promise<unknown> | null = null;
  const tick = recording
    ? setInterval(() => {
        try {
          recording.flush();
        } catch (error) {
          recordError = errorText(error);
        }
        // Each UTC day's rows reach the store when the day ends, not only at stop.
        const day = Math.floor(Date.now() / DAY_MS);
        if (day !== rolledDay && !roll) {
          rolledDay = day;
          roll = recording
            .roll()
            .then(() => (recordError = null))
            .catch((error: unknown) => (recordError = errorText(error)))
            .finally(() => (roll = null));
        }
      }, FLUSH_EVERY_MS)
    : null;
  return {
    session,
    feed,
    recording,
    get recordError() {
      return recordError;
    },
    close: async () => {
      if (tick) clearInterval(tick);
      await session.coordinator.stop();
      await feed.close();
      if (!recording) return null;
      await roll;
      return recording.close();
    },
  };
}

/** The session's feed status in the shared shape (the badge, the status line). */
export function liveStatusOf(live: FeedSession): LiveStatus {
  const { status, counts } = live.feed;
  const detail = live.recordError ?? status.detail;
  return {
    state: status.state,
    attempt: status.attempt,
    ...(status.nextInMs !== undefined ? { nextInMs: status.nextInMs } : {}),
    ...(status.latencyMs !== undefined ? { latencyMs: status.latencyMs } : {}),
    late: live.session.coordinator.late,
    items: counts.bars + counts.quotes + counts.ticks,
    reconnects: counts.reconnects,
    recording: live.recording !== null,
    ...(detail !== undefined ? { detail } : {}),
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
