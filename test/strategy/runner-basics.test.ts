import { describe, expect, it } from 'vitest';
import { at, bars, quotes } from '../engine/helpers';
import { runStrategy } from './harness';

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
});
