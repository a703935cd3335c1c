/**
 * The bar, quote and tick objects handed to handlers are reused: one per stream (and per
 * derived interval), overwritten for each event. This pins down what an author may rely on:
 * fields read during the handler and copies (`{ ...bar }`, JSON) are that event's, whole and
 * right; a kept reference is not (it shows its stream's latest event); one stream's object is
 * never touched by another's events; ctx.bars() arrays are the author's to keep; and scribbling
 * on the object changes nothing the engine does.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStreamCursor } from '../../src/main/storage/memory-cursor';
import { at } from '../engine/helpers';
import { runStrategy } from './harness';

declare global {
  var __views:
    | { kind: string; kept: Record<string, unknown>; copy: Record<string, unknown>; json: string }[]
    | undefined;
  var __viewLookBacks: { at: number; kept: unknown[]; copy: string }[] | undefined;
}

const N = 12;
const MIN = 60_000;

function barColumns(symbol: string, base: number) {
  const timestamp = Array.from({ length: N }, (_, i) => at(9, 30) + i * MIN);
  const close = timestamp.map((_, i) => base + ((i * 7) % 5) * 0.25);
  return {
    symbol,
    timestamp,
    open: close.map((c, i) => c - 0.1 * (i % 3)),
    high: close.map((c) => c + 0.5),
    low: close.map((c) => c - 0.5),
    close,
    volume: timestamp.map((_, i) => 1000 + i * 13),
  };
}

const A = barColumns('AAA', 50);
const B = barColumns('BBB', 80);
const quoteTimes = Array.from({ length: N }, (_, i) => at(9, 30, 20 + i * 17));
const tickTimes = Array.from({ length: N }, (_, i) => at(9, 30, 35 + i * 19));

function cursors(): MemoryStreamCursor[] {
  const bars = (c: typeof A) =>
    new MemoryStreamCursor({
      symbol: c.symbol,
      type: 'bars',
      interval: '1m',
      timestamp: c.timestamp,
      values: { open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume },
    });
  return [
    bars(A),
    bars(B),
    new MemoryStreamCursor({
      symbol: 'AAA',
      type: 'quotes',
      timestamp: quoteTimes,
      values: {
        bid: quoteTimes.map((_, i) => 50 + i * 0.01),
        ask: quoteTimes.map((_, i) => 50.02 + i * 0.01),
        bid_size: quoteTimes.map((_, i) => 100 + i),
        ask_size: quoteTimes.map((_, i) => 300 + i),
      },
    }),
    new MemoryStreamCursor({
      symbol: 'BBB',
      type: 'ticks',
      timestamp: tickTimes,
      values: {
        price: tickTimes.map((_, i) => 80 + i * 0.03),
        size: tickTimes.map((_, i) => i + 1),
      },
    }),
  ];
}

/** What each base bar of `c` should read as, brute force from the input columns. */
function expectedBars(c: typeof A) {
  return c.timestamp.map((timestamp, i) => ({
    symbol: c.symbol,
    interval: '1m',
    timestamp,
    open: c.open[i],
    high: c.high[i],
    low: c.low[i],
    close: c.close[i],
    volume: c.volume[i],
  }));
}

/** 5m bars of `c` (buckets from 09:30; the last one short), the aggregate of their 1m bars. */
function expected5m(c: typeof A) {
  const out = [];
  for (let s = 0; s < N; s += 5) {
    const r = Array.from({ length: Math.min(5, N - s) }, (_, k) => s + k);
    out.push({
      symbol: c.symbol,
      interval: '5m',
      timestamp: c.timestamp[s],
      open: c.open[s],
      high: Math.max(...r.map((i) => c.high[i]!)),
      low: Math.min(...r.map((i) => c.low[i]!)),
      close: c.close[r.at(-1)!],
      volume: r.reduce((sum, i) => sum + c.volume[i]!, 0),
    });
  }
  return out;
}

const source = `
  const record = (kind, v) =>
    globalThis.__views.push({ kind, kept: v, copy: { ...v }, json: JSON.stringify(v) });
  export default {
    onBar(bar, ctx) {
      record('bar ' + bar.symbol + ' ' + bar.interval, bar);
      if (bar.symbol === 'AAA' && bar.interval === '1m') {
        const kept = ctx.bars('AAA', '1m', 3);
        globalThis.__viewLookBacks.push({ at: ctx.time, kept, copy: JSON.stringify(kept) });
        if (bar.timestamp === ${at(9, 33)}) ctx.buy('AAA', 10);
      }
      // Scribbling on the object must change nothing the engine does or shows next.
      bar.close = -1;
      bar.symbol = 'ZZZ';
      bar.interval = '1h';
    },
    onQuote(quote) {
      record('quote ' + quote.symbol, quote);
      quote.bid = -1;
    },
    onTick(tick) {
      record('tick ' + tick.symbol, tick);
      tick.price = -1;
    },
  };`;

describe('event objects handed to handlers', () => {
  it('are whole and right while handled and when copied; kept, they show their stream’s latest event', async () => {
    globalThis.__views = [];
    globalThis.__viewLookBacks = [];
    const { runner, error } = await runStrategy({ cursors: cursors(), source, derived: ['5m'] });
    expect(error).toBeNull();
    const views = globalThis.__views;
    const of = (kind: string) => views.filter((v) => v.kind === kind);

    const streams = {
      'bar AAA 1m': expectedBars(A),
      'bar BBB 1m': expectedBars(B),
      'bar AAA 5m': expected5m(A),
      'bar BBB 5m': expected5m(B),
      'quote AAA': quoteTimes.map((timestamp, i) => ({
        symbol: 'AAA',
        timestamp,
        bid: 50 + i * 0.01,
        ask: 50.02 + i * 0.01,
        bid_size: 100 + i,
        ask_size: 300 + i,
      })),
      'tick BBB': tickTimes.map((timestamp, i) => ({
        symbol: 'BBB',
        timestamp,
        price: 80 + i * 0.03,
        size: i + 1,
      })),
    };
    for (const [kind, expected] of Object.entries(streams)) {
      const seen = of(kind);
      // Copies made in the handler: every event, every field, despite the scribbling.
      expect(seen.map((v) => v.copy)).toEqual(expected);
      expect(seen.map((v) => JSON.parse(v.json))).toEqual(expected);
      // Kept references: one object per stream, showing what was written into it last.
      expect(new Set(seen.map((v) => v.kept)).size).toBe(1);
      expect(seen[0]!.kept).not.toEqual(expected[0]);
    }
    const firstOf = (kind: string) => of(kind)[0]!.kept;
    const objects = Object.keys(streams).map(firstOf);
    expect(new Set(objects).size).toBe(objects.length);
    // Another stream's events never touch an object: AAA's quote object still holds its
    // last quote (with the handler's own scribble), though BBB's ticks came later.
    const lastQuote = streams['quote AAA'].at(-1)!;
    expect(tickTimes.at(-1)!).toBeGreaterThan(lastQuote.timestamp);
    expect(firstOf('quote AAA')).toEqual({ ...lastQuote, bid: -1 });

    // ctx.bars() gives fresh objects: what was kept still reads as it did then.
    for (const look of globalThis.__viewLookBacks) {
      expect(JSON.stringify(look.kept)).toBe(look.copy);
    }
    expect(globalThis.__viewLookBacks.at(-1)!.kept).toEqual(expectedBars(A).slice(N - 3));

    // The scribbles did not reach the broker: the buy after the 09:33 bar (available 09:34)
    // filled at the last quote's ask before then, and marks are the real prices.
    const ask = streams['quote AAA'].filter((q) => q.timestamp < at(9, 34)).at(-1)!.ask;
    expect(runner.broker.fills.map((f) => [f.time, f.symbol, f.price])).toEqual([
      [at(9, 34), 'AAA', ask],
    ]);
    expect(runner.broker.books.get('AAA')!.mark).toBeCloseTo(
      (lastQuote.bid + lastQuote.ask) / 2,
      9,
    );
  });
});
