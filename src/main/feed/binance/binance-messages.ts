/**
 * Binance spot market-stream messages, parsed as pure functions. Every message is checked
 * with zod; a message that fails is a `bad` result naming its stream and the first broken
 * field, never an exception, so one malformed frame cannot stop a session.
 */
import { z } from 'zod';
import { barValuesProblem } from '../../../shared/market/value-rules';

/** Binance sends prices and quantities as decimal strings ("61837.63000000"). */
const decimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'expected a decimal string')
  .transform(Number);
const epochMs = z.number().int().nonnegative();

const KlineSchema = z.object({
  e: z.literal('kline'),
  E: epochMs,
  s: z.string(),
  k: z.object({
    t: epochMs,
    T: epochMs,
    i: z.string(),
    o: decimal,
    c: decimal,
    h: decimal,
    l: decimal,
    v: decimal,
    x: z.boolean(),
  }),
});

const BookTickerSchema = z.object({
  u: z.number().int(),
  s: z.string(),
  b: decimal,
  B: decimal,
  a: decimal,
  A: decimal,
});

const TradeSchema = z.object({
  e: z.literal('trade'),
  E: epochMs,
  s: z.string(),
  t: z.number().int().nonnegative(),
  p: decimal,
  q: decimal,
  T: epochMs,
  m: z.boolean(),
});

const EnvelopeSchema = z.object({ stream: z.string().min(1), data: z.unknown() });

/** A closed kline from the stream: the REST row's values plus where and when it came. */
export interface KlineMessage extends RestKline {
  kind: 'bar';
  stream: string;
  symbol: string;
  interval: string;
  /** Exchange event time. */
  eventTime: number;
}

export interface BookTickerMessage {
  kind: 'quote';
  stream: string;
  symbol: string;
  /** bookTicker carries no exchange time: this is the local receive time. */
  time: number;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  updateId: number;
}

export interface TradeMessage {
  kind: 'tick';
  stream: string;
  symbol: string;
  /** Exchange trade time. */
  time: number;
  price: number;
  size: number;
  tradeId: number;
  eventTime: number;
}

export type ParsedMessage =
  | KlineMessage
  | BookTickerMessage
  | TradeMessage
  /** A kline still forming (`x: false`): Tapedeck takes bars once they close. */
  | { kind: 'open-bar'; stream: string }
  /** A well-formed message of a stream Tapedeck does not use (depth, snapshots). */
  | { kind: 'other'; stream: string }
  | { kind: 'bad'; stream: string; reason: string };

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

function bad(stream: string, reason: string): ParsedMessage {
  return { kind: 'bad', stream, reason };
}

/** The stream name's kind: `btcusdt@kline_1s` → `kline`, `btcusdt@bookTicker` → `bookTicker`. */
function streamKind(stream: string): string {
  const at = stream.indexOf('@');
  const rest = at < 0 ? '' : stream.slice(at + 1);
  return rest.startsWith('kline_') ? 'kline' : rest;
}

/** Parses one combined-stream frame received at `receivedAt` (UTC epoch ms). */
export function parseCombinedMessage(text: string, receivedAt: number): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return bad('(unknown)', `not JSON: ${text.slice(0, 60)}`);
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    // A REST depth snapshot saved beside the stream, or anything else without the envelope.
    return bad('(unknown)', `no combined-stream envelope: ${firstIssue(envelope.error)}`);
  }
  const { stream, data } = envelope.data;
  return parseStreamData(stream, data, receivedAt);
}

export function parseStreamData(stream: string, data: unknown, receivedAt: number): ParsedMessage {
  switch (streamKind(stream)) {
    case 'kline': {
      const m = KlineSchema.safeParse(data);
      if (!m.success) return bad(stream, firstIssue(m.error));
      const k = m.data.k;
      if (!k.x) return { kind: 'open-bar', stream };
      const problem = barValuesProblem(k.o, k.h, k.l, k.c, k.v);
      if (problem) return bad(stream, problem);
      return {
        kind: 'bar',
        stream,
        symbol: m.data.s.toUpperCase(),
        interval: k.i,
        start: k.t,
        open: k.o,
        high: k.h,
        low: k.l,
        close: k.c,
        volume: k.v,
        eventTime: m.data.E,
      };
    }
    case 'bookTicker': {
      const m = BookTickerSchema.safeParse(data);
      if (!m.success) return bad(stream, firstIssue(m.error));
      const q = m.data;
      if (!(q.b > 0) || !(q.a > 0)) return bad(stream, 'bid and ask must be positive');
      return {
        kind: 'quote',
        stream,
        symbol: q.s.toUpperCase(),
        time: receivedAt,
        bid: q.b,
        ask: q.a,
        bidSize: q.B,
        askSize: q.A,
        updateId: q.u,
      };
    }
    case 'trade': {
      const m = TradeSchema.safeParse(data);
      if (!m.success) return bad(stream, firstIssue(m.error));
      const t = m.data;
      if (!(t.p > 0)) return bad(stream, 'p: price must be positive');
      return {
        kind: 'tick',
        stream,
        symbol: t.s.toUpperCase(),
        time: t.T,
        price: t.p,
        size: t.q,
        tradeId: t.t,
        eventTime: t.E,
      };
    }
    default:
      return { kind: 'other', stream };
  }
}

/** One REST kline row: [openTime, "o", "h", "l", "c", "v", closeTime, ...]. */
const RestKlineSchema = z
  .tuple([epochMs, decimal, decimal, decimal, decimal, decimal, epochMs])
  .rest(z.unknown());

export interface RestKline {
  /** Bar start (UTC epoch ms): Tapedeck stamps bars at their start. */
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Parses a klines answer; throws naming the row and field at the first bad row. */
export function parseRestKlines(json: unknown, where: string): RestKline[] {
  if (!Array.isArray(json)) throw new Error(`${where}: expected an array of klines`);
  return json.map((row, index) => {
    const m = RestKlineSchema.safeParse(row);
    if (!m.success) throw new Error(`${where}: row ${index}: ${firstIssue(m.error)}`);
    const [start, open, high, low, close, volume] = m.data;
    const problem = barValuesProblem(open, high, low, close, volume);
    if (problem) throw new Error(`${where}: row ${index}: ${problem}`);
    return { start, open, high, low, close, volume };
  });
}
