/**
 * Subscribes a component to one slice of the session model, re-rendering at most once per
 * animation frame however many updates arrive in it.
 */
import { useSyncExternalStore } from 'react';
import type { SessionModel, Slice } from '../state/session-model';

export function useSlice(model: SessionModel, slice: Slice): number {
  return useSyncExternalStore(
    (notify) => {
      let frame = 0;
      const off = model.subscribe((changed) => {
        if (changed !== slice || frame !== 0) return;
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
    () => model.version(slice),
  );
}
