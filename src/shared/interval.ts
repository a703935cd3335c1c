/**
 * Bar intervals. The engine works in seconds; the strings are the plan's names.
 */

export const INTERVALS = [
  '1s',
  '5s',
  '10s',
  '15s',
  '30s',
  '1m',
  '5m',
  '10m',
  '15m',
  '30m',
  '1h',
  '1d',
] as const;

export type Interval = (typeof INTERVALS)[number];

/** Only these come from storage; everything coarser is derived by the upkeep. */
export const BASE_INTERVALS = ['1s', '1m'] as const;
export type BaseInterval = (typeof BASE_INTERVALS)[number];

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

const SECONDS: Record<Interval, number> = Object.fromEntries(
  INTERVALS.map((name) => {
    const unit = name.slice(-1) as keyof typeof UNIT_SECONDS;
    return [name, Number(name.slice(0, -1)) * UNIT_SECONDS[unit]];
  }),
) as Record<Interval, number>;

export function isInterval(value: unknown): value is Interval {
  return typeof value === 'string' && (INTERVALS as readonly string[]).includes(value);
}

export function isBaseInterval(value: unknown): value is BaseInterval {
  return value === '1s' || value === '1m';
}

export class IntervalError extends Error {
  override name = 'IntervalError';
}

/** Parses an interval string to seconds, refusing anything outside the supported list. */
export function parseInterval(value: string): number {
  if (!isInterval(value)) {
    throw new IntervalError(
      `Unknown interval "${value}". Supported intervals: ${INTERVALS.join(', ')}.`,
    );
  }
  return SECONDS[value];
}

export function intervalSeconds(interval: Interval): number {
  return SECONDS[interval];
}

export function intervalMs(interval: Interval): number {
  return SECONDS[interval] * 1000;
}

/** Formats a number of seconds back to its interval name; refuses spans that have none. */
export function formatInterval(seconds: number): Interval {
  const found = INTERVALS.find((name) => SECONDS[name] === seconds);
  if (!found) {
    throw new IntervalError(`No supported interval is ${seconds} seconds long.`);
  }
  return found;
}

/**
 * A derived interval is computed for a base interval only when it is a strictly larger
 * whole multiple of it (5s from 1s, 5m from 1m; never 1m from 1m, never 30s from 1m).
 */
export function isDerivableFrom(derived: Interval, base: BaseInterval): boolean {
  const d = SECONDS[derived];
  const b = SECONDS[base];
  return d > b && d % b === 0;
}
