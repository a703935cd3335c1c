/** The three kinds of stream a symbol can have, and the numeric fields each carries. */

export const STREAM_TYPES = ['bars', 'quotes', 'ticks'] as const;
export type StreamType = (typeof STREAM_TYPES)[number];

export const BAR_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
export const QUOTE_FIELDS = ['bid', 'ask', 'bid_size', 'ask_size'] as const;
export const TICK_FIELDS = ['price', 'size'] as const;

export type BarField = (typeof BAR_FIELDS)[number];
export type QuoteField = (typeof QUOTE_FIELDS)[number];
export type TickField = (typeof TICK_FIELDS)[number];

export const STREAM_FIELDS: Record<StreamType, readonly string[]> = {
  bars: BAR_FIELDS,
  quotes: QUOTE_FIELDS,
  ticks: TICK_FIELDS,
};
