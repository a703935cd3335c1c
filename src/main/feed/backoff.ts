/**
 * Reconnect delays: exponential with full jitter, so many clients dropped at once by the
 * same outage do not all come back in the same instant.
 */
export interface BackoffOptions {
  /** The first delay's ceiling. */
  baseMs: number;
  /** No delay exceeds this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** The delay before attempt `attempt` (1-based); `random` returns a number in [0, 1). */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half jitter: never zero, so a flapping server is not hammered.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
