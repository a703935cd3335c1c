/**
 * A strategy that records everything it can see proves nothing is visible before its
 * availability time: bars after they close, quotes and ticks at their stamp, derived bars at
 * their bucket end, and ctx.bars() never ahead of the clock.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStreamCursor } from '../../src/main/storage/memory-cursor';
import { runStrategy } from './harness';
import { barCursor, oracleData, quoteCursor } from './oracle-data';

declare global {
  var __violations: string[] | undefined;
  var __calls: number | undefined;
}

/** `SLACK` is 0 for the real check; the self-test raises it to prove the check can fire. */
const spyStrategy = (slack: number): string => `
  const SPAN = { '1s': 1000, '1m': 60000, '5m': 300000, '15m': 900000 };
  const bad = (what) => globalThis.__violations.push(what);
  let last = -Infinity;
  // No bucket of this data is cut at the close (15m divides 09:30-13:00), so a bar is
  // available exactly at start + span.
  const early = (b, ctx) => b.timestamp + SPAN[b.interval] + ${slack} > ctx.time;
  function check(ctx, symbol) {
    globalThis.__calls++;
    if (ctx.time < last) bad('clock went back at ' + ctx.time);
    last = ctx.time;
    for (const iv of ['1m', '5m', '15m']) {
      for (const b of ctx.bars(symbol, iv, 100000)) if (early(b, ctx)) bad(iv + ' bar ' + b.timestamp + ' in ctx.bars at ' + ctx.time);
    }
  }
  export default {
    onBar(bar, ctx) {
      if (early(bar, ctx)) bad(bar.interval + ' bar ' + bar.timestamp + ' delivered at ' + ctx.time);
      check(ctx, bar.symbol);
    },
    onQuote(q, ctx) {
      if (q.timestamp > ctx.time) bad('quote early ' + q.timestamp);
      check(ctx, q.symbol);
    },
    onTick(t, ctx) {
      if (t.timestamp > ctx.time) bad('tick early ' + t.timestamp);
      check(ctx, t.symbol);
    },
  };`;

describe('look-ahead', () => {
  it('shows no bar, quote or tick before its availability time, in handlers or ctx.bars()', async () => {
    globalThis.__violations = [];
    globalThis.__calls = 0;
    const { bars, quotes } = oracleData(11);
    const ticks = new MemoryStreamCursor({
      symbol: 'X',
      type: 'ticks',
      timestamp: quotes.t.map((t) => t + 500),
      values: { price: quotes.bid, size: quotes.bs },
    });
    const { error } = await runStrategy({
      cursors: [barCursor('X', bars), quoteCursor('X', quotes), ticks, barCursor('Z', bars)],
      source: spyStrategy(0),
      derived: ['5m', '15m'],
      batchSize: 5,
    });
    expect(error).toBeNull();
    expect(globalThis.__calls).toBeGreaterThan(2000);
    expect(globalThis.__violations).toEqual([]);
  });

  it('catches a strategy shown a bar before its close (the check itself can fail)', async () => {
    globalThis.__violations = [];
    globalThis.__calls = 0;
    const { bars } = oracleData(3);
    const { error } = await runStrategy({
      cursors: [barCursor('X', bars)],
      source: spyStrategy(1),
      derived: ['5m', '15m'],
    });
    expect(error).toBeNull();
    expect(globalThis.__violations!.length).toBeGreaterThan(0);
  });
});
