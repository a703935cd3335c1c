/** A symbol's price decimals as the service learnt them from its data (see price-precision.ts). */
import type { SymbolStats } from '../../../shared/ipc-contract';
import { MIN_DECIMALS } from '../../../shared/price-precision';

export function priceDecimals(stats: readonly SymbolStats[], symbol: string): number {
  for (const s of stats) if (s.symbol === symbol) return s.pricePrecision ?? MIN_DECIMALS;
  return MIN_DECIMALS;
}
