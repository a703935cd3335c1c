/**
 * What a live session shows of its feed: the connection state, the reconnect attempt, the
 * feed latency, how many items came late, and whether it records. The same shape for the CLI
 * status line, the IPC/WebSocket API and the renderer's badge.
 */
import { z } from 'zod';

export const FEED_STATES = [
  'idle',
  'connecting',
  'connected',
  'backfilling',
  'reconnecting',
  'stale',
  'closed',
] as const;

export const LiveStatusSchema = z.object({
  state: z.enum(FEED_STATES),
  /** Reconnect attempt (1 for the first retry); 0 while the connection holds. */
  attempt: z.number().int().nonnegative(),
  /** While reconnecting: how long until the next attempt. */
  nextInMs: z.number().nonnegative().optional(),
  /** Receive time minus exchange time of the newest message that has one. */
  latencyMs: z.number().optional(),
  /** Items emitted after the merge had passed their place, in all. */
  late: z.number().int().nonnegative(),
  /** Items the feed accepted (bars, quotes, ticks), in all. */
  items: z.number().int().nonnegative(),
  reconnects: z.number().int().nonnegative(),
  recording: z.boolean(),
  /** Why the state changed, or the newest recording failure. */
  detail: z.string().optional(),
});
export type LiveStatus = z.infer<typeof LiveStatusSchema>;

/** The badge's words: `connected`, `reconnecting (attempt 2, next in 3 s)`. */
export function liveStateText(status: LiveStatus): string {
  if (status.state !== 'reconnecting') return status.state;
  const next =
    status.nextInMs !== undefined ? `, next in ${Math.ceil(status.nextInMs / 1000)} s` : '';
  return `reconnecting (attempt ${status.attempt}${next})`;
}
