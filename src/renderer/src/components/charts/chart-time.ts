import type { UTCTimestamp } from 'lightweight-charts';

/** The charts' time: UTC seconds (labels are formatted in exchange time elsewhere). */
export function toTime(ms: number): UTCTimestamp {
  return (ms / 1000) as UTCTimestamp;
}
