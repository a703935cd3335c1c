/**
 * The bench strategy: handles every bar and quote, updating two EMAs per symbol (of bar
 * closes and of quote mids). It does not trade: two-emas-trading.ts does, on the crosses.
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
  onBar(bar) {
    const p = pair(barPairs, bar.symbol);
    const fast = p.fast.add(bar.close);
    const slow = p.slow.add(bar.close);
    if (fast === null || slow === null) return;
    p.above = fast > slow;
  },
  onQuote(quote) {
    const p = pair(quotePairs, quote.symbol);
    const mid = (quote.bid + quote.ask) / 2;
    p.fast.add(mid);
    p.slow.add(mid);
  },
};

export default strategy;
