/**
 * Fills of simple strategies against a brute-force oracle over the raw data: market orders on
 * derived-bar signals, latency, limits, stops with slippage, bar-priced symbols with
 * commission, and quoted-size limits. The data has quotes stamped exactly at every bucket end
 * (ties), an early close, and buckets missing their last base bars.
 */
import { describe, expect, it } from 'vitest';
import type { Fill } from '../../src/shared/strategy/types';
import { runStrategy } from './harness';
import {
  barCursor,
  lastQuote,
  oracleBuckets,
  oracleData,
  quoteCursor,
  type RawQuotes,
} from './oracle-data';

const MIN = 60_000;
const data = oracleData();
const buckets = oracleBuckets(data.bars, 5 * MIN);

type Expected = Pick<Fill, 'time' | 'side' | 'qty' | 'price'>;
const strip = (fills: readonly Fill[]): Expected[] =>
  fills.map(({ time, side, qty, price }) => ({ time, side, qty, price }));

const signalStrategy = `
  let k = 0;
  export default {
    onBar(bar, ctx) {
      if (bar.interval !== '5m') return;
      (globalThis.__delivered ??= []).push({ start: bar.timestamp, time: ctx.time, open: bar.open, high: bar.high, low: bar.low, close: bar.close });
      ctx.order({ symbol: bar.symbol, side: bar.close >= bar.open ? 'buy' : 'sell', qty: 1 + (k++ % 3) });
    },
  };`;

function expectedSignalFills(q: RawQuotes, latency: number): Expected[] {
  return buckets.map((b, k) => {
    const side = b.close >= b.open ? 'buy' : 'sell';
    // Delivered at the bucket end, before a quote stamped then; with latency, everything
    // available by the activation time counts.
    const i = latency === 0 ? lastQuote(q, b.end, false) : lastQuote(q, b.end + latency, true);
    return {
      time: b.end + latency,
      side,
      qty: 1 + (k % 3),
      price: side === 'buy' ? q.ask[i]! : q.bid[i]!,
    };
  });
}

declare global {
  var __delivered:
    | { start: number; time: number; open: number; high: number; low: number; close: number }[]
    | undefined;
}

describe('fills against a brute-force oracle', () => {
  it('delivers derived bars at their bucket end with the raw data values, and fills market orders at the quote before', async () => {
    globalThis.__delivered = [];
    const { runner, error } = await runStrategy({
      cursors: [barCursor('X', data.bars), quoteCursor('X', data.quotes)],
      source: signalStrategy,
      derived: ['5m'],
    });
    expect(error).toBeNull();
    expect(globalThis.__delivered).toEqual(
      buckets.map((b) => ({
        start: b.start,
        time: b.end,
        open: b.open,
        high: b.high,
        low: b.low,
        close: b.close,
      })),
    );
    // The early close cuts the last bucket at 13:00, and it is still delivered with its last bar missing.
    expect(buckets.at(-1)!.end - buckets.at(-1)!.start).toBe(5 * MIN);
    expect(strip(runner.broker.fills)).toEqual(expectedSignalFills(data.quotes, 0));
  });

  it('gives the same fills whatever the batch size', async () => {
    const runs = await Promise.all(
      [1, 7, 4096].map((batchSize) =>
        runStrategy({
          cursors: [barCursor('X', data.bars), quoteCursor('X', data.quotes)],
          source: signalStrategy,
          derived: ['5m'],
          batchSize,
        }),
      ),
    );
    const [a, b, c] = runs.map((r) => JSON.stringify(r.runner.broker.fills));
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('activates orders after latency_ms at the last price known then', async () => {
    const { runner, error } = await runStrategy({
      cursors: [barCursor('X', data.bars), quoteCursor('X', data.quotes)],
      source: signalStrategy,
      derived: ['5m'],
      execution: { latency_ms: 1500 },
    });
    expect(error).toBeNull();
    expect(strip(runner.broker.fills)).toEqual(expectedSignalFills(data.quotes, 1500));
  });

  it('prices a bar-only symbol at the last emitted close, with per-share, per-order and minimum commission', async () => {
    const { runner, error } = await runStrategy({
      cursors: [barCursor('Y', data.bars)],
      source: signalStrategy,
      derived: ['5m'],
      execution: { commission: { per_share: 0.01, per_order: 1, minimum: 1.025 } },
    });
    expect(error).toBeNull();
    const b = data.bars;
    const expected = buckets.map((bucket, k) => {
      let last = -1;
      for (let i = 0; i < b.t.length && b.t[i]! + MIN <= bucket.end; i++) last = i;
      const qty = 1 + (k % 3);
      return {
        time: bucket.end,
        side: bucket.close >= bucket.open ? 'buy' : 'sell',
        qty,
        price: b.c[last]!,
        fee: Math.max(1.025, 0.01 * qty + 1),
      };
    });
    expect(
      runner.broker.fills.map(({ time, side, qty, price, fee }) => ({
        time,
        side,
        qty,
        price,
        fee,
      })),
    ).toEqual(expected);
    let cash = 100_000;
    for (const f of expected) cash += (f.side === 'buy' ? -1 : 1) * f.qty * f.price - f.fee;
    expect(runner.broker.cash).toBeCloseTo(cash, 6);
  });

  const round2 = (x: number): number => Math.round(x * 100) / 100;

  /** Sequential oracle for a strategy that alternates resting entry and exit orders. */
  function restingOracle(kind: 'limit' | 'stop', offset: number, bps: number): Expected[] {
    const q = data.quotes;
    const fills: Expected[] = [];
    let pos = 0;
    let pending: { side: 'buy' | 'sell'; price: number; from: number } | null = null;
    const scan = (until: number): void => {
      if (!pending) return;
      for (let i = 0; i < q.t.length; i++) {
        const t = q.t[i]!;
        if (t < pending.from) continue;
        if (t >= until) break;
        const { side, price } = pending;
        const hit =
          kind === 'limit'
            ? side === 'buy'
              ? q.ask[i]! <= price
              : q.bid[i]! >= price
            : side === 'buy'
              ? q.ask[i]! >= price
              : q.bid[i]! <= price;
        if (!hit) continue;
        const raw = side === 'buy' ? q.ask[i]! : q.bid[i]!;
        const fillPrice =
          kind === 'stop' && bps > 0 ? raw * (1 + ((side === 'buy' ? 1 : -1) * bps) / 10_000) : raw;
        fills.push({ time: t, side, qty: 1, price: fillPrice });
        pos += side === 'buy' ? 1 : -1;
        pending = null;
        return;
      }
    };
    for (const b of buckets) {
      scan(b.end);
      if (pending) continue;
      const side = pos === 0 ? 'buy' : 'sell';
      const sign = kind === 'limit' ? (side === 'buy' ? -1 : 1) : side === 'buy' ? 1 : -1;
      // The strategy's last quote at delivery: the one before the bucket end.
      const i = lastQuote(q, b.end, false);
      const mid = (q.bid[i]! + q.ask[i]!) / 2;
      pending = { side, price: round2(mid + sign * offset), from: b.end };
    }
    scan(Number.POSITIVE_INFINITY);
    return fills;
  }

  const restingStrategy = (kind: 'limit' | 'stop', offset: number) => `
    const round2 = (x) => Math.round(x * 100) / 100;
    let mid = NaN;
    export default {
      onQuote(q) {
        mid = (q.bid + q.ask) / 2;
      },
      onBar(bar, ctx) {
        if (bar.interval !== '5m' || ctx.orders().length > 0) return;
        const side = ctx.position(bar.symbol) === 0 ? 'buy' : 'sell';
        const sign = ${kind === 'limit' ? "side === 'buy' ? -1 : 1" : "side === 'buy' ? 1 : -1"};
        const level = round2(mid + sign * ${offset});
        ctx.order({ symbol: bar.symbol, side, qty: 1, type: '${kind}', ${kind === 'limit' ? 'price' : 'stop'}: level });
      },
    };`;

  it('rests limits until a later quote reaches them (at the quote, or better)', async () => {
    const { runner, error } = await runStrategy({
      cursors: [barCursor('X', data.bars), quoteCursor('X', data.quotes)],
      source: restingStrategy('limit', 0.05),
      derived: ['5m'],
    });
    expect(error).toBeNull();
    const expected = restingOracle('limit', 0.05, 0);
    expect(expected.length).toBeGreaterThan(5);
    expect(strip(runner.broker.fills)).toEqual(expected);
  });

  it('triggers stops on a later quote and fills them as market orders with slippage', async () => {
    const { runner, error } = await runStrategy({
      cursors: [barCursor('X', data.bars), quoteCursor('X', data.quotes)],
      source: restingStrategy('stop', 0.05),
      derived: ['5m'],
      execution: { slippage_bps: 10 },
    });
    expect(error).toBeNull();
    const expected = restingOracle('stop', 0.05, 10);
    expect(expected.length).toBeGreaterThan(5);
    expect(strip(runner.broker.fills)).toEqual(expected);
  });

  it('takes at most the quoted size with respect_quote_size, sharing it between orders', async () => {
    const { runner, error } = await runStrategy({
      cursors: [barCursor('X', data.bars), quoteCursor('X', data.quotes)],
      source: `let k = 0; export default { onBar(bar, ctx) { if (bar.interval === '5m' && k++ < 3) ctx.buy(bar.symbol, 7); } };`,
      derived: ['5m'],
      execution: { respect_quote_size: true },
    });
    expect(error).toBeNull();
    const q = data.quotes;
    // Oracle: replay quotes and placements in time order (a placement at E before a quote at E).
    const left = q.as.slice();
    const orders: { rem: number }[] = [];
    const expected: Expected[] = [];
    const take = (o: { rem: number }, i: number, t: number): void => {
      const n = Math.min(o.rem, left[i]!);
      if (n <= 0) return;
      o.rem -= n;
      left[i]! -= n;
      expected.push({ time: t, side: 'buy', qty: n, price: q.ask[i]! });
    };
    const placements = buckets.slice(0, 3).map((b) => b.end);
    let p = 0;
    for (let i = 0; i <= q.t.length; i++) {
      const t = i < q.t.length ? q.t[i]! : Number.POSITIVE_INFINITY;
      while (p < placements.length && placements[p]! <= t) {
        const o = { rem: 7 };
        orders.push(o);
        take(o, lastQuote(q, placements[p]!, false), placements[p]!);
        p++;
      }
      if (i === q.t.length) break;
      for (const o of orders) if (o.rem > 0) take(o, i, t);
    }
    expect(expected.reduce((s, f) => s + f.qty, 0)).toBe(21);
    expect(strip(runner.broker.fills)).toEqual(expected);
  });
});
