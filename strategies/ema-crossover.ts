/**
 * EMA crossover: long when the fast EMA of closes crosses above the slow one, flat (or short,
 * with `allow_short`) when it crosses below. Runs on one bar interval of every symbol.
 */
import { EMA } from 'trading-signals';
import type { Strategy, StrategyParams } from 'tapedeck/strategy';

interface Params extends StrategyParams {
  fast: number;
  slow: number;
  interval: string;
  qty: number;
  allow_short: boolean;
}

const params = {
  fast: { default: 9, label: 'Fast EMA (bars)' },
  slow: { default: 21, label: 'Slow EMA (bars)' },
  interval: { default: '1m', choices: ['1s', '1m', '5m', '15m'], label: 'Bar interval' },
  qty: { default: 100, label: 'Shares per trade' },
  allow_short: { default: false, label: 'Go short on a cross down' },
};

function emaCrossover(p: Params): Strategy<Params> {
  const emas = new Map<string, { fast: EMA; slow: EMA; above: boolean | null }>();
  return {
    onBar(bar, ctx) {
      if (bar.interval !== p.interval) return;
      let s = emas.get(bar.symbol);
      if (!s)
        emas.set(bar.symbol, (s = { fast: new EMA(p.fast), slow: new EMA(p.slow), above: null }));
      const fast = s.fast.add(bar.close);
      const slow = s.slow.add(bar.close);
      if (fast === null || slow === null || !s.slow.isStable) return;
      ctx.plot(`EMA ${p.fast}`, fast, { color: '#f5a623' });
      ctx.plot(`EMA ${p.slow}`, slow, { color: '#8e7dff' });
      const above = fast > slow;
      const crossed = s.above !== null && above !== s.above;
      s.above = above;
      if (!crossed) return;
      const position = ctx.position(bar.symbol);
      const target = above ? p.qty : p.allow_short ? -p.qty : 0;
      const delta = target - position;
      if (delta > 0) ctx.buy(bar.symbol, delta);
      else if (delta < 0) ctx.sell(bar.symbol, -delta);
    },
  };
}

export default Object.assign(emaCrossover, { params });
