/** Where the clock stands in the session's range, for the progress bar. */
export function progressPercent(progress: number | null | undefined): number {
  if (progress === null || progress === undefined || !Number.isFinite(progress)) return 0;
  return Math.round(Math.min(1, Math.max(0, progress)) * 1000) / 10;
}

/** Progress from the clock itself, when the host sends none (clamped to [0, 1]). */
export function progressOf(clock: number | null, rangeStart: number, rangeEnd: number): number {
  if (clock === null || !(rangeEnd > rangeStart)) return 0;
  return Math.min(1, Math.max(0, (clock - rangeStart) / (rangeEnd - rangeStart)));
}
