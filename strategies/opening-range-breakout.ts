/**
 * Opening-range breakout: the high and low of each symbol's first `range_minutes` after the
 * open set the range; a close above the high buys, a close below the low sells short, with a
 * stop at the other side of the range. Everything is flattened `exit_minutes_before_close`
 * minutes before the close (the last bar seen before then). Open and close come from the
 * symbol's exchange calendar (`ctx.session`), so early-close days flatten before 13:00.
 */
import type { Strategy, StrategyParams } from 'tapedeck/strategy';

interface Params extends StrategyParams {
  range_minutes: number;
  qty: number;
  exit_minutes_before_close: number;
}

const params = {
  range_minutes: { default: 15, label: 'Opening range (minutes)' },
  qty: { default: 100, label: 'Shares per trade' },
  exit_minutes_before_close: { default: 5, label: 'Flatten before close (minutes)' },
};

const MINUTE = 60_000;

function openingRangeBreakout(p: Params): Strategy<Params> {
  const state = new Map<
    string,
    { day: string; high: number; low: number; traded: boolean; stop: number | null }
  >();
  return {
    onBar(bar, ctx) {
      if (bar.interval !== '1m') return;
      const session = ctx.session(bar.symbol, bar.timestamp);
      if (!session) return;
      const day = session.date;
      let s = state.get(bar.symbol);
      if (!s || s.day !== day)
        state.set(
          bar.symbol,
          (s = { day, high: -Infinity, low: Infinity, traded: false, stop: null }),
        );
      if (bar.timestamp < session.open) return;
      if (bar.timestamp < session.open + p.range_minutes * MINUTE) {
        s.high = Math.max(s.high, bar.high);
        s.low = Math.min(s.low, bar.low);
        return;
      }
      ctx.plot('range high', s.high, { color: '#26a69a' });
      ctx.plot('range low', s.low, { color: '#ef5350' });
      const position = ctx.position(bar.symbol);
      // The bar ending `exit_minutes_before_close` before the close is the last one traded on.
      if (bar.timestamp + MINUTE >= session.close - p.exit_minutes_before_close * MINUTE) {
        if (s.stop !== null) ctx.cancel(s.stop);
        s.stop = null;
        if (position > 0) ctx.sell(bar.symbol, position);
        else if (position < 0) ctx.buy(bar.symbol, -position);
        return;
      }
      if (s.traded || position !== 0) return;
      if (bar.close > s.high) {
        ctx.buy(bar.symbol, p.qty);
        s.stop = ctx.sell(bar.symbol, p.qty, { type: 'stop', stop: s.low });
        s.traded = true;
      } else if (bar.close < s.low) {
        ctx.sell(bar.symbol, p.qty);
        s.stop = ctx.buy(bar.symbol, p.qty, { type: 'stop', stop: s.high });
        s.traded = true;
      }
    },
  };
}

export default Object.assign(openingRangeBreakout, { params });
