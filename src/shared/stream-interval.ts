/**
 * A stream's base interval, apart from the config's schema: the engine and sweep workers read
 * it from an already validated config and need not load zod to do so (docs/sweeps.md).
 */
import type { BaseInterval } from './interval';
import type { DataStreamConfig } from './session-config';

/**
 * The base interval of a validated stream that has bars (a bar stream, or ticks with
 * bars_from_ticks); null for one without.
 */
export function baseIntervalOf(stream: DataStreamConfig): BaseInterval | null {
  if (stream.type === 'bars') return stream.interval ?? null;
  if (stream.type === 'ticks') return stream.bars_from_ticks ?? null;
  return null;
}
