/**
 * Derived bars of one interval for one symbol, built from base bars as time buckets
 * (docs/design.md §2): buckets [B, B+s) anchored at the session open and cut at the close; a base
 * bar belongs to the bucket holding its start; empty buckets give no bar; each bar carries how
 * many base bars made it. Each base bar costs O(1); a refilled gap recomputes only the buckets
 * it touches.
 */
import { intervalMs, type Interval } from '../../../shared/interval';
import type { ExchangeCalendar, TradingSession } from '../../../shared/market/exchange-calendar';
import { ColumnStore, FLAG_SYNTHETIC } from '../column-store';

export const DERIVED_FIELDS = ['open', 'high', 'low', 'close', 'volume', 'base_bars'] as const;

export interface DerivedBar {
  /** Bucket start (UTC epoch ms) and its end, which is cut at the session close. */
  start: number;
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  base_bars: number;
}

export type DerivedBarListener = (interval: Interval, bar: DerivedBar, revised: boolean) => void;

export class DerivedBars {
  readonly spanMs: number;
  /** Completed bars only: a consumer never sees a partial one here. */
  readonly completed = new ColumnStore(DERIVED_FIELDS);
  /** Bucket end of each completed bar (cut at the close), parallel to `completed`. */
  private ends = new Float64Array(64);
  private formingBar: DerivedBar | null = null;
  private session: TradingSession | null = null;
  /** Buckets ending at or before this are complete (the time advanceTo last established). */
  private completeTo = -Infinity;
  /** Completed bars a bounded session released from memory (see releaseBefore). */
  private releasedCount = 0;
  /** Start of the last bar released, -Infinity before any; and the time released before. */
  releasedLast = -Infinity;
  private releasedBefore = -Infinity;

  constructor(
    readonly interval: Interval,
    private readonly calendar: ExchangeCalendar,
    private readonly listener: DerivedBarListener = () => undefined,
  ) {
    this.spanMs = intervalMs(interval);
  }

  /**
   * Sizes the store once for `bars` completed bars (the buckets a session's calendar has), so a
   * long session neither doubles it, with both copies alive, nor keeps up to half of it unused.
   */
  reserve(bars: number): void {
    this.completed.reserve(bars);
    if (bars > this.ends.length) {
      const ends = new Float64Array(bars);
      ends.set(this.ends);
      this.ends = ends;
    }
  }

  /** Completed bars of the session so far, held or released. */
  get count(): number {
    return this.releasedCount + this.completed.length;
  }

  /**
   * Drops the completed bars starting before `t` from memory. A bounded session does this for
   * the days whose base bars it released: the bars are a function of those base bars (the
   * buckets of a day hold only that day's bars, and a refill recomputes a bucket from its base
   * bars), so BarHistory derives them again from the store when someone asks.
   */
  releaseBefore(t: number): void {
    const store = this.completed;
    if (t > this.releasedBefore) this.releasedBefore = t;
    const k = store.lowerBound(t);
    if (k === 0) return;
    this.releasedLast = store.timestamp[k - 1]!;
    this.ends.copyWithin(0, k, store.length);
    store.dropFront(k);
    this.releasedCount += k;
  }

  /** The bar still forming, for charts; null between buckets. */
  get forming(): Readonly<DerivedBar> | null {
    return this.formingBar;
  }

  /** The bucket holding a base bar's start, or null outside regular hours. */
  bucketOf(t: number): { start: number; end: number } | null {
    let s = this.session;
    if (!s || t < s.open || t >= s.close) {
      s = this.calendar.sessionAfter(t);
      if (!s || t < s.open) return null;
      this.session = s;
    }
    const start = s.open + Math.floor((t - s.open) / this.spanMs) * this.spanMs;
    return { start, end: Math.min(start + this.spanMs, s.close) };
  }

  /** Folds in the next base bar (in time order). */
  add(t: number, open: number, high: number, low: number, close: number, volume: number): void {
    const f = this.formingBar;
    if (f && t >= f.start && t < f.end) {
      if (high > f.high) f.high = high;
      if (low < f.low) f.low = low;
      f.close = close;
      f.volume += volume;
      f.base_bars++;
      return;
    }
    const bucket = this.bucketOf(t);
    if (!bucket) return;
    if (f) this.complete();
    // One literal shape for every bar keeps the fast path above monomorphic.
    this.formingBar = {
      start: bucket.start,
      end: bucket.end,
      open,
      high,
      low,
      close,
      volume,
      base_bars: 1,
    };
  }

  /** Folds in rows [from, to) of `base` (in time order); see addRowsTo. */
  addRows(base: ColumnStore, from: number, to: number): void {
    DerivedBars.addRowsTo([this], base, from, to);
  }

  /**
   * Folds rows [from, to) of `base` (in time order) into every derived interval of one symbol
   * at once. A run of rows inside every interval's forming bucket (the finest bucket's rows,
   * most of the time) is one tight loop, read once for its high, low and close, which are the
   * same whatever the order they are folded in; the volume is still summed row by row into
   * each bar, so each total is the exact sum the interval would have made alone. Only a row
   * that starts a bucket goes through `add`.
   */
  static addRowsTo(
    list: readonly DerivedBars[],
    base: ColumnStore,
    from: number,
    to: number,
  ): void {
    const ts = base.timestamp;
    const [o, h, l, c, v] = barColumns(base);
    const k = list.length;
    let i = from;
    while (i < to) {
      const first = ts[i]!;
      // The run may go on up to the earliest end among the forming bars, if all hold `first`.
      let end = Infinity;
      for (let d = 0; d < k; d++) {
        const f = list[d]!.formingBar;
        if (!f || first < f.start || first >= f.end) {
          end = -Infinity;
          break;
        }
        if (f.end < end) end = f.end;
      }
      if (end === -Infinity) {
        for (let d = 0; d < k; d++) list[d]!.add(first, o[i]!, h[i]!, l[i]!, c[i]!, v[i]!);
        i++;
        continue;
      }
      let high = h[i]!;
      let low = l[i]!;
      let j = i + 1;
      for (; j < to; j++) {
        const t = ts[j]!;
        if (t < first || t >= end) break;
        if (h[j]! > high) high = h[j]!;
        if (l[j]! < low) low = l[j]!;
      }
      const close = c[j - 1]!;
      for (let d = 0; d < k; d++) {
        const f = list[d]!.formingBar!;
        if (high > f.high) f.high = high;
        if (low < f.low) f.low = low;
        f.close = close;
        let volume = f.volume;
        for (let r = i; r < j; r++) volume += v[r]!;
        f.volume = volume;
        f.base_bars += j - i;
      }
      i = j;
    }
  }

  /**
   * Time has reached `t`: a forming bar whose bucket has ended is complete. `settled` says
   * every item available at `t` itself has arrived too (true at an upkeep cycle). After a
   * batch only items available before its last clock are sure to have arrived: another
   * stream may still hold a bar that closes at that same instant, so the bucket ending
   * exactly there stays open until time moves past it.
   */
  advanceTo(t: number, settled: boolean): void {
    // Times are whole milliseconds: "past end" is "at end + 1 ms or later".
    const completeTo = settled ? t : t - 1;
    if (completeTo > this.completeTo) this.completeTo = completeTo;
    const f = this.formingBar;
    if (f && f.end <= completeTo) this.complete();
  }

  /**
   * Recomputes the bucket holding `t` from the base bars, after a refill put bars there. Only
   * that bucket is touched. A bucket that has not ended is the forming bar (later base bars
   * still fold into it, and it completes once); a completed bucket is updated in place and the
   * listener hears of it once, as revised.
   */
  recompute(t: number, base: ColumnStore): void {
    const bucket = this.bucketOf(t);
    if (!bucket) return;
    // A released day's bucket is no longer here to update, and its base bars are no longer in
    // `base`. The release waits for the upkeep's hold, so no refill reaches one; were one to,
    // inserting the bucket again would count it twice.
    if (bucket.start < this.releasedBefore) return;
    const bar = aggregate(base, bucket.start, bucket.end);
    const f = this.formingBar;
    if (f && f.start === bucket.start) {
      if (bar) Object.assign(f, bar);
      return;
    }
    if (!bar) return;
    if (bucket.end > this.completeTo) {
      // Refilled before any of the bucket's own bars arrived: it starts forming here.
      if (f) this.complete();
      this.formingBar = {
        start: bar.start,
        end: bar.end,
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: bar.volume,
        base_bars: bar.base_bars,
      };
      return;
    }
    const store = this.completed;
    const at = store.lowerBound(bucket.start);
    if (at < store.length && store.timestamp[at] === bucket.start) {
      const values = store.values;
      values[0]![at] = bar.open;
      values[1]![at] = bar.high;
      values[2]![at] = bar.low;
      values[3]![at] = bar.close;
      values[4]![at] = bar.volume;
      values[5]![at] = bar.base_bars;
    } else {
      store.insertOrdered(bucket.start, [
        bar.open,
        bar.high,
        bar.low,
        bar.close,
        bar.volume,
        bar.base_bars,
      ]);
      this.insertEnd(at, bar.end);
    }
    this.listener(this.interval, bar, true);
  }

  /** Completed bar i as an object (edges and tests). */
  bar(i: number): DerivedBar {
    const v = this.completed.values;
    return {
      start: this.completed.timestamp[i]!,
      end: this.ends[i]!,
      open: v[0]![i]!,
      high: v[1]![i]!,
      low: v[2]![i]!,
      close: v[3]![i]!,
      volume: v[4]![i]!,
      base_bars: v[5]![i]!,
    };
  }

  private complete(): void {
    const f = this.formingBar!;
    this.formingBar = null;
    const n = this.completed.length;
    this.completed.append(f.start, [f.open, f.high, f.low, f.close, f.volume, f.base_bars]);
    this.insertEnd(n, f.end);
    this.listener(this.interval, f, false);
  }

  private insertEnd(at: number, end: number): void {
    const n = this.completed.length - 1; // the store already holds the new row
    if (n >= this.ends.length) {
      const next = new Float64Array(this.ends.length * 2);
      next.set(this.ends);
      this.ends = next;
    }
    this.ends.copyWithin(at + 1, at, n);
    this.ends[at] = end;
  }
}

/** OHLCV of the real (not synthetic) base bars with start in [start, end), or null if none. */
export function aggregate(base: ColumnStore, start: number, end: number): DerivedBar | null {
  const from = base.lowerBound(start);
  const to = base.lowerBound(end);
  const [o, h, l, c, v] = barColumns(base);
  let bar: DerivedBar | null = null;
  for (let i = from; i < to; i++) {
    if ((base.flags[i]! & FLAG_SYNTHETIC) !== 0) continue;
    if (!bar) {
      bar = {
        start,
        end,
        open: o[i]!,
        high: h[i]!,
        low: l[i]!,
        close: c[i]!,
        volume: v[i]!,
        base_bars: 1,
      };
      continue;
    }
    if (h[i]! > bar.high) bar.high = h[i]!;
    if (l[i]! < bar.low) bar.low = l[i]!;
    bar.close = c[i]!;
    bar.volume += v[i]!;
    bar.base_bars++;
  }
  return bar;
}

type BarColumns = [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

/** A base store's open, high, low, close and volume columns. */
function barColumns(base: ColumnStore): BarColumns {
  return base.values as BarColumns;
}
