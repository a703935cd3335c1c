/**
 * A bar file's interval, from the spacing of its timestamps. Real bar files are sparse (no row
 * for a minute without trades), so the interval is the most frequent positive gap, not the
 * average, refined to the greatest common divisor of the other common gaps for files so thin that
 * the mode itself is a multiple (a thin 1s file whose most common gap is 2s).
 */
import { formatInterval, type Interval } from '../../../shared/interval';

export interface InferredInterval {
  /** The interval's name, or undefined when the spacing matches none. */
  interval?: Interval;
  /** The spacing found, in ms (0 when there were too few rows to tell). */
  spacingMs: number;
}

/** `timestamps` are one symbol's bar stamps in ms, ascending (ties and disorder are skipped). */
export function inferInterval(timestamps: ArrayLike<number>): InferredInterval {
  const counts = new Map<number, number>();
  for (let i = 1; i < timestamps.length; i++) {
    const gap = timestamps[i] - timestamps[i - 1];
    if (!(gap > 0) || !Number.isFinite(gap)) continue;
    counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  if (counts.size === 0) return { spacingMs: 0 };
  const byFrequency = [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  // The mode, refined by the other common gaps (a fifth as common, and seen twice at least);
  // rarer odd gaps (a clock glitch, a bad row) do not count.
  const [mode, modeCount] = byFrequency[0];
  let spacing = mode;
  for (const [gap, count] of byFrequency.slice(1)) {
    if (count >= Math.max(2, modeCount * 0.2)) spacing = gcd(spacing, gap);
  }
  const seconds = spacing / 1000;
  let interval: Interval | undefined;
  try {
    interval = Number.isInteger(seconds) ? formatInterval(seconds) : undefined;
  } catch {
    interval = undefined;
  }
  return { interval, spacingMs: spacing };
}

/** The wording of the session config's check, so a user meets one message for one rule. */
export function coarseIntervalMessage(interval: string): string {
  return (
    `Invalid bar interval: ${interval}. Only '1s' or '1m' are supported as base intervals. ` +
    `Derived intervals (5m, 15m, etc.) are computed automatically.`
  );
}

export function describeSpacing(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
