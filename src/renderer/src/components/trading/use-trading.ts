/**
 * Re-renders a component when the trading model changes, at most every REFRESH_MS: a
 * strategy can fill on every frame, and tables of fills need not redraw that often (the
 * chart's markers follow on their own schedule).
 */
import { useSyncExternalStore } from 'react';
import type { TradingModel } from '../../state/trading-model';

const REFRESH_MS = 250;

export function useTrading(model: TradingModel): number {
  return useSyncExternalStore(
    (notify) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const off = model.subscribe(() => {
        if (timer !== null) return;
        timer = setTimeout(() => {
          timer = null;
          notify();
        }, REFRESH_MS);
      });
      return () => {
        off();
        if (timer !== null) clearTimeout(timer);
      };
    },
    () => model.version,
  );
}
