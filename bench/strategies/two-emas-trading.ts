/**
 * The bench strategy: handles every bar and quote, updating two EMAs per symbol (of bar closes
 * and of quote mids), and trades on the bar EMAs' crosses (about 1 fill per 100 events) so
 * the broker, positions and the equity curve work too: it holds a position most of the time.
 */
import { EMA } from 'trading-signals';
import type { Strategy } from 'tapedeck/strategy';

interface Pair {
  fast: EMA;
  slow: EMA;
  above: boolean;
}

const barPairs = new Map<string, Pair>();
const quotePairs = new Map<string, Pair>();

function pair(pairs: Map<string, Pair>, symbol: string): Pair {
  let p = pairs.get(symbol);
  if (!p) pairs.set(symbol, (p = { fast: new EMA(9), slow: new EMA(21), above: false }));
  return p;
}

const strategy: Strategy = {
  onBar(bar, ctx) {
    const p = pair(barPairs, bar.symbol);
    const fast = p.fast.add(bar.close);
    const slow = p.slow.add(bar.close);
    if (fast === null || slow === null) return;
    const above = fast > slow;
    if (above !== p.above) {
      const position = ctx.position(bar.symbol);
      if (above && position <= 0) ctx.buy(bar.symbol, 10);
      else if (!above && position > 0) ctx.sell(bar.symbol, position);
    }
    p.above = above;
  },
  onQuote(quote) {
    const p = pair(quotePairs, quote.symbol);
    const mid = (quote.bid + quote.ask) / 2;
    p.fast.add(mid);
    p.slow.add(mid);
  },
};

export default strategy;
