/**
 * How far a long run is, for the CLI's bar and the app's toolbar: trading days done of the
 * session's days, events a second (over the last few seconds of wall time, so a slow stretch
 * shows), and the time left at that rate.
 */

export interface RunProgress {
  /** Trading days whose close the clock has passed. */
  daysDone: number;
  daysTotal: number;
  /** Events a second of wall time, lately; 0 until there are two samples. */
  eventsPerSecond: number;
  /** Seconds of wall time left at the current rate; null while unknown. */
  secondsLeft: number | null;
}

/** Wall time the rate is measured over. */
const WINDOW_MS = 5000;

export class RunProgressMeter {
  private readonly samples: { wall: number; events: number; clock: number | null }[] = [];

  /**
   * `days`: the session's trading days in order, each `[start, end)` in UTC ms (its open and
   * close, or its whole date on a round-the-clock calendar). `totalEvents`: items the session
   * will stream (0 when unknown: the time left is then judged by days).
   */
  constructor(
    private readonly days: readonly { start: number; end: number }[],
    private readonly totalEvents: number,
  ) {}

  /** The clock (UTC ms, null before the first item), events emitted so far, wall time (ms). */
  sample(clock: number | null, events: number, wallMs: number): RunProgress {
    const samples = this.samples;
    if (samples.length === 0 || wallMs > samples[samples.length - 1]!.wall) {
      samples.push({ wall: wallMs, events, clock });
    }
    // Keep one sample at or beyond the window's start, so the rate spans the whole window.
    while (samples.length > 2 && samples[1]!.wall <= wallMs - WINDOW_MS) samples.shift();
    const first = samples[0]!;
    const span = (wallMs - first.wall) / 1000;
    const eventsPerSecond = span > 0 ? Math.max(0, events - first.events) / span : 0;
    const done = clock === null ? 0 : this.daysBefore(clock);
    const daysTotal = this.days.length;
    let secondsLeft: number | null = null;
    if (eventsPerSecond > 0 && this.totalEvents > 0) {
      secondsLeft = Math.max(0, this.totalEvents - events) / eventsPerSecond;
    } else if (clock !== null && daysTotal > 0 && span > 0) {
      // No item count: days (with the current one's elapsed part) per second, lately.
      const nowDays = this.daysAt(clock);
      const thenDays = this.daysAt(first.clock ?? clock);
      const rate = (nowDays - thenDays) / span;
      if (rate > 0) secondsLeft = (daysTotal - nowDays) / rate;
    }
    return { daysDone: done, daysTotal, eventsPerSecond, secondsLeft };
  }

  /** Days whose end is at or before `clock`. */
  private daysBefore(clock: number): number {
    let lo = 0;
    let hi = this.days.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.days[mid]!.end <= clock) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Days done, with the current day's elapsed share. */
  private daysAt(clock: number): number {
    const done = this.daysBefore(clock);
    const day = this.days[done];
    if (!day || clock <= day.start) return done;
    return done + (clock - day.start) / (day.end - day.start);
  }
}

/** `1:02:03`, `4:05`, or `—` when unknown. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** `1.16 M/s`, `830 k/s`, `95/s`. */
export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M/s`;
  if (perSecond >= 1e4) return `${Math.round(perSecond / 1e3)} k/s`;
  return `${Math.round(perSecond)}/s`;
}
