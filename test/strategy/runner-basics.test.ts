import { describe, expect, it } from 'vitest';
import { MemoryStreamCursor } from '../../src/main/storage/memory-cursor';
import { at, bars, quotes } from '../engine/helpers';
import { runStrategy, strategyFile } from './harness';

describe('strategy runner', () => {
  it('fills a market order at the last quote (buy at the ask) and tracks cash and position', async () => {
    const { runner, error } = await runStrategy({
      cursors: [bars('AAA', '1m', at(9, 30), 5), quotes('AAA', [at(9, 30, 30), at(9, 31, 30)], 50)],
      source: `
        export default {
          onBar(bar, ctx) {
            if (bar.timestamp === ${at(9, 31)} ) ctx.buy('AAA', 10);
          },
        };`,
    });
    expect(error).toBeNull();
    // The 09:31 bar is available at 09:32; the last quote before is 09:31:30 (ask 50.01).
    expect(runner.broker.fills).toEqual([
      {
        seq: 0,
        time: at(9, 32),
        order_id: 1,
        symbol: 'AAA',
        side: 'buy',
        qty: 10,
        price: 50.01,
        fee: 0,
        source: 'strategy',
      },
    ]);
    expect(runner.broker.cash).toBeCloseTo(100_000 - 500.1, 9);
    expect(runner.ctx.position('AAA')).toBe(10);
  });

  it('sees every bar, quote and tick with its input values across batch ends, and fills on them', async () => {
    const ticks = (): MemoryStreamCursor =>
      new MemoryStreamCursor({
        symbol: 'CCC',
        type: 'ticks',
        timestamp: Array.from({ length: 90 }, (_, i) => at(9, 30, i * 2, 300)),
        values: {
          price: Array.from({ length: 90 }, (_, i) => 30 + (i % 11) * 0.1),
          size: Array.from({ length: 90 }, (_, i) => 1 + (i % 4)),
        },
      });
    const cursors = (): MemoryStreamCursor[] => [
      bars('AAA', '1s', at(9, 30), 180, 50),
      quotes(
        'AAA',
        Array.from({ length: 120 }, (_, i) => at(9, 30, i, 500)),
        50,
      ),
      bars('BBB', '1m', at(9, 30), 3, 70),
      ticks(),
    ];
    const source = `
      const seen = [];
      export default {
        onBar(bar, ctx) {
          seen.push(['bar', bar.symbol, bar.interval, bar.timestamp, bar.open, bar.high, bar.low, bar.close, bar.volume]);
          if (bar.symbol === 'AAA' && bar.timestamp % 7000 === 0) ctx.buy('AAA', 3);
          if (bar.symbol === 'BBB') ctx.order({ symbol: 'CCC', side: 'sell', qty: 2, type: 'limit', price: 30.5 });
        },
        onQuote(q, ctx) {
          seen.push(['quote', q.symbol, q.timestamp, q.bid, q.ask, q.bid_size, q.ask_size]);
          if (q.timestamp % 11000 === 500 && ctx.position('AAA') > 0) ctx.sell('AAA', 1);
        },
        onTick(t) {
          seen.push(['tick', t.symbol, t.timestamp, t.price, t.size]);
        },
        onEnd(ctx) {
          ctx.log(JSON.stringify(seen));
        },
      };`;
    const file = strategyFile(source);
    const run = await runStrategy({ cursors: cursors(), file, batchSize: 7 });
    expect(run.error).toBeNull();
    const seen = (r: typeof run): unknown[][] =>
      JSON.parse(r.runner.logLines.at(-1)!.slice(r.runner.logLines.at(-1)!.indexOf(' ') + 1));
    // Independently: every event the strategy saw holds its input's values.
    const events = seen(run);
    expect(events).toHaveLength(180 + 120 + 3 + 90);
    for (const e of events) {
      if (e[0] === 'quote') expect(e.slice(3)).toEqual([50, 50.01, 100, 200]);
      if (e[0] === 'tick') {
        const i = Math.round(((e[2] as number) - at(9, 30, 0, 300)) / 2000);
        expect(e.slice(3)).toEqual([30 + (i % 11) * 0.1, 1 + (i % 4)]);
      }
      if (e[0] === 'bar' && e[1] === 'AAA') {
        const i = ((e[3] as number) - at(9, 30)) / 1000;
        const close = 50 + i * 0.01;
        expect(e.slice(4)).toEqual([close - 0.005, close + 0.02, close - 0.02, close, 100 + i]);
      }
    }
    expect(run.runner.broker.fills.length).toBeGreaterThan(10);
    expect(run.runner.broker.fills.some((f) => f.symbol === 'CCC')).toBe(true);
  });
});
