/** Re-renders a component when the trading model changes, at most once per animation frame. */
import { useSyncExternalStore } from 'react';
import type { TradingModel } from '../../state/trading-model';

export function useTrading(model: TradingModel): number {
  return useSyncExternalStore(
    (notify) => {
      let frame = 0;
      const off = model.subscribe(() => {
        if (frame !== 0) return;
        frame = requestAnimationFrame(() => {
          frame = 0;
          notify();
        });
      });
      return () => {
        off();
        if (frame !== 0) cancelAnimationFrame(frame);
      };
    },
    () => model.version,
  );
}
