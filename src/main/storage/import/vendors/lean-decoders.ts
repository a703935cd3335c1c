/**
 * One decoder per LEAN CSV layout (Data/equity/readme.md, TradeBar.cs, QuoteBar.cs, Tick.cs).
 * A decoder turns one split CSV row into our stream's fields, in STREAM_FIELDS order, with the
 * price scale undone (by division, so 1674100 gives the double nearest 167.41, exactly as any
 * other reader dividing by 10,000 would); time stays LEAN's ms-of-day and the reader converts it.
 *
 *   trade bars   time, open, high, low, close, volume                       → bars
 *   quote bars   time, bid o/h/l/c, last bid size, ask o/h/l/c, last ask size  → quotes
 *   trade ticks  time, price, quantity, exchange, sale condition, suspicious  → ticks
 *   quote ticks  time, bid, bid size, ask, ask size, exchange, condition, suspicious → quotes
 */
import type { StreamType } from '../../../../shared/stream-types';

export type DecodeOutcome =
  /** `out` holds a row. */
  | 'row'
  /** The row was read but yields nothing (a quote tick that leaves the best quotes as they were). */
  | 'none'
  /** The vendor flagged the row suspicious; it is dropped and counted. */
  | 'suspicious'
  | { field: string; value: string; message: string };

export interface LeanDecoder {
  readonly kind: StreamType;
  /** The CSV's columns, in order, for the preview's mapping. */
  readonly columns: readonly string[];
  /** Our field → the source column it comes from. */
  readonly fields: Record<string, string>;
  /**
   * Added to a row's time to get our timestamp. Quote bars: the interval, because a bar's
   * closing bid and ask are known only when it closes (docs/design.md §1), so the quote they make
   * exists at the bar's END; stamping it at the start would show it a whole bar too early.
   */
  readonly shiftMs: number;
  /**
   * Decodes `parts` (one row split on commas) into `out`; `out.time` is ms-of-day. A deferred
   * decoder's 'row' is the one it held back, which ended on the line before `parts`.
   */
  decode(parts: string[], out: DecodedRow): DecodeOutcome;
  /** Set when rows come out one line late (a row is complete only when the next starts). */
  readonly deferred?: boolean;
  /** The row still held back at the end of the file, if any; true when `out` holds it. */
  flush?(out: DecodedRow): boolean;
}

export interface DecodedRow {
  time: number;
  values: Float64Array;
}

/** Number('') is 0; an empty LEAN field is a missing value, not a zero. */
function num(text: string | undefined): number {
  return text === undefined || text === '' ? NaN : Number(text);
}

function wrongWidth(parts: string[], expected: number): DecodeOutcome | null {
  return parts.length === expected
    ? null
    : {
        field: 'row',
        value: parts.join(',').slice(0, 80),
        message: `has ${parts.length} fields; this LEAN layout has ${expected}`,
      };
}

function readTime(parts: string[], out: DecodedRow): DecodeOutcome | null {
  const time = num(parts[0]);
  // Tick files may carry fractional ms (14400009.367); the stores keep whole ms, floored so
  // that order is preserved.
  out.time = Math.floor(time);
  if (!Number.isFinite(time) || time < 0 || time > 86_400_000) {
    return {
      field: 'time',
      value: parts[0] ?? '',
      message: 'is not a time of day in ms (0 to 86,400,000)',
    };
  }
  return null;
}

const TRADE_BAR_COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'];
const QUOTE_BAR_COLUMNS = [
  'time',
  'bid open',
  'bid high',
  'bid low',
  'bid close',
  'last bid size',
  'ask open',
  'ask high',
  'ask low',
  'ask close',
  'last ask size',
];
const TRADE_TICK_COLUMNS = [
  'time',
  'price',
  'quantity',
  'exchange',
  'sale condition',
  'suspicious',
];
const QUOTE_TICK_COLUMNS = [
  'time',
  'bid price',
  'bid size',
  'ask price',
  'ask size',
  'exchange',
  'quote condition',
  'suspicious',
];

export function tradeBarDecoder(priceDivisor: number): LeanDecoder {
  return {
    kind: 'bars',
    columns: TRADE_BAR_COLUMNS,
    fields: { open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume' },
    shiftMs: 0,
    decode(parts, out) {
      const problem = wrongWidth(parts, 6) ?? readTime(parts, out);
      if (problem) return problem;
      const v = out.values;
      for (let k = 0; k < 4; k++) v[k] = num(parts[k + 1]) / priceDivisor;
      v[4] = num(parts[5]);
      return 'row';
    },
  };
}

/**
 * Quote bars become one quote each: the bar's closing bid and ask with the last sizes, at the
 * bar's end. A bar with one side empty (LEAN writes no bid when there was none in the bar)
 * keeps that side's last known value; before any is known the row yields nothing.
 */
export function quoteBarDecoder(priceDivisor: number, intervalMs: number): LeanDecoder {
  let bid = NaN;
  let bidSize = NaN;
  let ask = NaN;
  let askSize = NaN;
  return {
    kind: 'quotes',
    columns: QUOTE_BAR_COLUMNS,
    fields: {
      bid: 'bid close',
      ask: 'ask close',
      bid_size: 'last bid size',
      ask_size: 'last ask size',
    },
    shiftMs: intervalMs,
    decode(parts, out) {
      const problem = wrongWidth(parts, 11) ?? readTime(parts, out);
      if (problem) return problem;
      if (parts[4] !== '') {
        bid = num(parts[4]) / priceDivisor;
        bidSize = num(parts[5]);
      }
      if (parts[9] !== '') {
        ask = num(parts[9]) / priceDivisor;
        askSize = num(parts[10]);
      }
      if (parts[4] === '' && parts[9] === '') {
        return { field: 'bid close', value: '', message: 'and ask close are both empty' };
      }
      if (Number.isNaN(bid) && parts[4] === '') return 'none';
      if (Number.isNaN(ask) && parts[9] === '') return 'none';
      const v = out.values;
      v[0] = bid;
      v[1] = ask;
      v[2] = bidSize;
      v[3] = askSize;
      return 'row';
    },
  };
}

export function tradeTickDecoder(priceDivisor: number): LeanDecoder {
  return {
    kind: 'ticks',
    columns: TRADE_TICK_COLUMNS,
    fields: { price: 'price', size: 'quantity' },
    shiftMs: 0,
    decode(parts, out) {
      const problem = wrongWidth(parts, 6) ?? readTime(parts, out);
      if (problem) return problem;
      if (parts[5] === '1') return 'suspicious';
      out.values[0] = num(parts[1]) / priceDivisor;
      out.values[1] = num(parts[2]);
      return 'row';
    },
  };
}

/**
 * LEAN quote ticks carry one side per row (the other side is 0, 0): each change of the
 * consolidated top of book is a bid row and an ask row with the same time, each naming the
 * exchange that holds that side. As LEAN's own TickQuoteBarConsolidator does, the latest
 * non-zero bid and the latest non-zero ask make the quote, whichever exchange sent them. The
 * rows sharing one millisecond are one update, so the quote is emitted once per millisecond
 * (after its last row), and only when it differs from the one before: emitting after the bid
 * row alone would show a half-updated, often crossed, quote that never existed.
 */
export function quoteTickDecoder(priceDivisor: number): LeanDecoder {
  const state = new Float64Array(4).fill(NaN);
  const last = new Float64Array(4).fill(NaN);
  let pendingTime = NaN;
  let pendingChanged = false;

  /** Writes the pending millisecond's quote to `out` if it is complete and new. */
  const emitPending = (out: DecodedRow): boolean => {
    if (!pendingChanged || Number.isNaN(state[0]!) || Number.isNaN(state[1]!)) return false;
    pendingChanged = false;
    if (state.every((x, i) => x === last[i])) return false;
    last.set(state);
    out.time = pendingTime;
    out.values.set(state);
    return true;
  };

  return {
    kind: 'quotes',
    columns: QUOTE_TICK_COLUMNS,
    fields: { bid: 'bid price', ask: 'ask price', bid_size: 'bid size', ask_size: 'ask size' },
    shiftMs: 0,
    deferred: true,
    decode(parts, out) {
      const problem = wrongWidth(parts, 8) ?? readTime(parts, out);
      if (problem) return problem;
      if (parts[7] === '1') return 'suspicious';
      const bid = num(parts[1]);
      const bidSize = num(parts[2]);
      const ask = num(parts[3]);
      const askSize = num(parts[4]);
      for (const [field, value] of [
        ['bid price', bid],
        ['bid size', bidSize],
        ['ask price', ask],
        ['ask size', askSize],
      ] as const) {
        if (!(value >= 0)) {
          return { field, value: String(value), message: 'must be a number of at least 0' };
        }
      }
      const time = out.time;
      const emitted = time !== pendingTime && emitPending(out);
      pendingTime = time;
      if (bid > 0) {
        state[0] = bid / priceDivisor;
        state[2] = bidSize;
        pendingChanged = true;
      }
      if (ask > 0) {
        state[1] = ask / priceDivisor;
        state[3] = askSize;
        pendingChanged = true;
      }
      return emitted ? 'row' : 'none';
    },
    flush(out) {
      return emitPending(out);
    },
  };
}
