/**
 * The market-data feed of a live session: which vendor, and where its endpoints are. Both
 * URLs default to the vendor's public endpoints and can point elsewhere (a proxy, a test
 * server). `ws_url` is the base `/stream?streams=…` is appended to; `rest_url` the base of
 * `/api/v3/klines`.
 */
import { z } from 'zod';

export const BINANCE_WS_URL = 'wss://stream.binance.com:9443';
export const BINANCE_REST_URL = 'https://api.binance.com';

export const FeedConfigSchema = z.strictObject({
  type: z.enum(['binance'], { error: 'Unknown feed type. Supported feeds: binance.' }),
  ws_url: z
    .url({ protocol: /^wss?$/, error: 'ws_url must be a ws:// or wss:// URL' })
    .default(BINANCE_WS_URL),
  rest_url: z
    .url({ protocol: /^https?$/, error: 'rest_url must be an http:// or https:// URL' })
    .default(BINANCE_REST_URL),
  /** Bars fetched over REST before the connection, so charts and indicators start warm. */
  history_minutes: z.number().nonnegative().max(10_080).default(60),
});
export type FeedConfig = z.output<typeof FeedConfigSchema>;

/** Cross-field rules of a session with a feed, in the config problems' words. */
export function feedProblems(
  raw: Record<string, unknown>,
): Array<{ path: string; message: string }> {
  if (raw.feed === undefined) return [];
  const problems: Array<{ path: string; message: string }> = [];
  if (raw.mode !== 'live') {
    problems.push({
      path: 'feed',
      message: `feed: a market-data feed needs mode "live" (mode is ${JSON.stringify(raw.mode ?? 'backtest')})`,
    });
  }
  if (Array.isArray(raw.data_streams)) {
    raw.data_streams.forEach((s: unknown, index) => {
      if (typeof s === 'object' && s !== null && 'bars_from_ticks' in s) {
        problems.push({
          path: `data_streams[${index}].bars_from_ticks`,
          message: `data_streams[${index}]: bars_from_ticks is not available with a live feed; subscribe to a bars stream instead`,
        });
      }
    });
  }
  return problems;
}
