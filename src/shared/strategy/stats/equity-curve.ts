/**
 * The equity curve as the session runs: every sample updates the drawdown (so the deepest
 * one is exact), the curve keeps the last value of each minute (a chart needs no more), and
 * each exchange day's closing equity is kept for daily returns.
 */
import { exchangeDate, exchangeTimeToUtc, nextDate } from '../../time';
import type { DailyEquity } from './daily-returns';
import { DrawdownTracker } from './drawdown';

const MINUTE = 60_000;

export class EquityCurve {
  private capacity = 1024;
  time = new Float64Array(this.capacity);
  equity = new Float64Array(this.capacity);
  /** 1 where a position was open at the point. */
  exposed = new Uint8Array(this.capacity);
  length = 0;
  /** The last point's minute, [start, end) in ms; NaN before the first. */
  private minuteStart = Number.NaN;
  private minuteEnd = Number.NaN;
  readonly drawdown = new DrawdownTracker();
  readonly days: DailyEquity[] = [];
  private day = '';
  private dayEnd = Number.NEGATIVE_INFINITY;

  constructor(readonly initialCash: number) {}

  sample(t: number, equity: number, exposed: boolean): void {
    this.drawdown.note(equity);
    if (t >= this.dayEnd) this.newDay(t);
    this.days[this.days.length - 1]!.equity = equity;
    let i = this.length - 1;
    // Samples come on every event while a position is open: the minute's bounds are compared,
    // the division is done once a minute.
    if (!(t >= this.minuteStart && t < this.minuteEnd)) {
      this.minuteStart = Math.floor(t / MINUTE) * MINUTE;
      this.minuteEnd = this.minuteStart + MINUTE;
      i = this.length++;
      if (i >= this.capacity) this.grow();
    }
    this.time[i] = t;
    this.equity[i] = equity;
    this.exposed[i] = exposed ? 1 : 0;
  }

  /** Percent of curve points (minutes with data) spent holding a position. */
  get exposurePct(): number {
    if (this.length === 0) return 0;
    let n = 0;
    for (let i = 0; i < this.length; i++) n += this.exposed[i]!;
    return (n / this.length) * 100;
  }

  get last(): number {
    return this.length === 0 ? this.initialCash : this.equity[this.length - 1]!;
  }

  private newDay(t: number): void {
    this.day = exchangeDate(t);
    this.dayEnd = exchangeTimeToUtc(nextDate(this.day), 0, 0);
    this.days.push({ date: this.day, equity: this.last });
  }

  private grow(): void {
    this.capacity *= 2;
    const time = new Float64Array(this.capacity);
    time.set(this.time);
    const equity = new Float64Array(this.capacity);
    equity.set(this.equity);
    const exposed = new Uint8Array(this.capacity);
    exposed.set(this.exposed);
    this.time = time;
    this.equity = equity;
    this.exposed = exposed;
  }
}
