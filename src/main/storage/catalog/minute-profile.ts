/**
 * A partition file's rows per minute since local midnight, kept in its parquet footer as
 * key/value metadata. With it the catalog knows how many bars fall inside any minute-aligned
 * session (regular hours, an early close) from the footer alone, without decoding a row, and
 * without storage having to know any calendar.
 *
 * Encoding: runs `first-last:count` of consecutive minutes with the same count, comma
 * separated, minutes counted from the date's local midnight (so DST days stay exact):
 * a full NYSE day of 1s bars is `570-959:60`.
 */

export const MINUTE_PROFILE_KEY = 'tapedeck.minute_rows';

const MINUTE_MS = 60_000;

/** Rows per minute since `dayStart` of the timestamps (sorted, as partitions are). */
export function encodeMinuteProfile(
  timestamp: Float64Array,
  length: number,
  dayStart: number,
): string {
  const runs: string[] = [];
  let runFirst = 0;
  let runLast = -Infinity;
  let runCount = 0;
  const flush = (): void => {
    if (runCount === 0) return;
    runs.push(
      runFirst === runLast ? `${runFirst}:${runCount}` : `${runFirst}-${runLast}:${runCount}`,
    );
  };
  let i = 0;
  while (i < length) {
    const minute = Math.floor((timestamp[i] - dayStart) / MINUTE_MS);
    const next = dayStart + (minute + 1) * MINUTE_MS;
    let count = 0;
    while (i < length && timestamp[i] < next) {
      if (timestamp[i] < next - MINUTE_MS)
        throw new Error('encodeMinuteProfile needs sorted timestamps');
      count++;
      i++;
    }
    if (minute === runLast + 1 && count === runCount) {
      runLast = minute;
    } else {
      flush();
      runFirst = minute;
      runLast = minute;
      runCount = count;
    }
  }
  flush();
  return runs.join(',');
}

export interface MinuteRun {
  first: number;
  last: number;
  count: number;
}

/** The runs of an encoded profile; null when it is not one (a file some other tool wrote). */
export function decodeMinuteProfile(text: string): MinuteRun[] | null {
  if (text === '') return [];
  const runs: MinuteRun[] = [];
  for (const part of text.split(',')) {
    const match = /^(-?\d+)(?:-(-?\d+))?:(\d+)$/.exec(part);
    if (!match) return null;
    const first = Number(match[1]);
    const last = match[2] !== undefined ? Number(match[2]) : first;
    if (last < first) return null;
    runs.push({ first, last, count: Number(match[3]) });
  }
  return runs;
}

/** Rows whose minute lies in [fromMinute, toMinute). */
export function rowsBetween(runs: MinuteRun[], fromMinute: number, toMinute: number): number {
  let rows = 0;
  for (const run of runs) {
    const lo = Math.max(run.first, fromMinute);
    const hi = Math.min(run.last + 1, toMinute);
    if (hi > lo) rows += (hi - lo) * run.count;
  }
  return rows;
}
