/**
 * A symbol's fills split by side, as indexes into its list, kept up to date as the list grows
 * (the trading model only appends; a new session makes new lists). Marker layout walks each
 * side on its own, so zoomed far out it can jump over a pixel column's fills of one side
 * without missing the other side's.
 */
import type { Fill } from '../../../../shared/strategy/types';

export interface FillSides {
  buys: Int32Array;
  buyCount: number;
  sells: Int32Array;
  sellCount: number;
}

interface Indexed extends FillSides {
  seen: number;
}

const indexed = new WeakMap<readonly Fill[], Indexed>();

export function sidesOf(fills: readonly Fill[]): FillSides {
  let s = indexed.get(fills);
  if (!s || s.seen > fills.length) {
    s = { buys: new Int32Array(64), buyCount: 0, sells: new Int32Array(64), sellCount: 0, seen: 0 };
    indexed.set(fills, s);
  }
  for (let i = s.seen; i < fills.length; i++) {
    if (fills[i]!.side === 'buy') {
      if (s.buyCount === s.buys.length) s.buys = grown(s.buys);
      s.buys[s.buyCount++] = i;
    } else {
      if (s.sellCount === s.sells.length) s.sells = grown(s.sells);
      s.sells[s.sellCount++] = i;
    }
  }
  s.seen = fills.length;
  return s;
}

function grown(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
