/**
 * A strategy's delivered derived bars of released days (docs/long-sessions.md). `ctx.bars`
 * must return the bars as the strategy was shown them, and a refill that lands after a bucket
 * was delivered changes the session's bar but not what was shown; so the delivered bars used
 * to be a copy of their own for the whole session, 0.3 GB a year for 50 symbols' 1m/5m/15m.
 * When a day is released, its delivered bars are compared with the upkeep's bars of the same
 * buckets, which the session's history makes again to the bit for a released day: only where
 * they differ is anything kept (the bar as delivered), and the buckets the upkeep has but the
 * strategy was never shown (no streamed bar of the bucket arrived; its bars came by refill) are
 * listed. A look-back past the held days reads the history and applies those few.
 */
import type { BarRows } from '../bar-history';
import { ColumnStore } from '../column-store';

const FIELDS = 5;
const NO_FIELDS: readonly number[] = [];

export class ReleasedDeliveries {
  /** Delivered bars starting before this time were released. */
  before = -Infinity;
  /** Bars as delivered where the history's differ or lack them, by start. */
  private readonly asDelivered: ColumnStore;
  /** Starts of buckets the history has but that were never delivered (no fields). */
  private readonly undelivered = new ColumnStore([], 16);

  constructor(fields: readonly string[]) {
    this.asDelivered = new ColumnStore(fields, 16);
  }

  /** Kept: bars as delivered, and buckets never delivered (tests, diagnostics). */
  get kept(): { asDelivered: number; undelivered: number } {
    return { asDelivered: this.asDelivered.length, undelivered: this.undelivered.length };
  }

  /**
   * Releases the delivered bars starting before `before` from `delivered`, after comparing
   * them with `session`, the upkeep's bars of the same interval (both still in memory), but
   * keeps the last `keep` delivered bars in memory: the longest look-back the strategy has
   * asked for, which then never reads the store (making a day again costs a decode of it).
   */
  release(delivered: ColumnStore, session: ColumnStore, before: number, keep: number): void {
    const count = delivered.lowerBound(before);
    let j = session.lowerBound(this.before);
    const end = session.lowerBound(before);
    const ts = delivered.timestamp;
    const st = session.timestamp;
    // Bars kept at the last release were compared then.
    for (let i = delivered.lowerBound(this.before); i < count; i++) {
      const t = ts[i]!;
      while (j < end && st[j]! < t) this.undelivered.append(st[j++]!, NO_FIELDS);
      const matched = j < end && st[j] === t;
      if (matched) j++;
      if (matched && this.same(delivered, i, session, j - 1)) continue;
      this.asDelivered.append(t, rowOf(delivered, i), delivered.flags[i]!);
    }
    while (j < end) this.undelivered.append(st[j++]!, NO_FIELDS);
    delivered.dropFront(Math.min(count, Math.max(0, delivered.length - keep)));
    this.before = before;
  }

  /**
   * The last `wanted` released bars before `end` (at most `before`: where the bars still in
   * memory start) as shown: `read(n)` gives the session's last n bars before `end`, and what
   * differed is put back. Buckets never shown drop out of what it gives, so a window short of
   * them asks again for as many more (a few; the history caches its days).
   */
  lastShown(read: (n: number) => BarRows, wanted: number, end = this.before): BarRows {
    for (let ask = wanted; ;) {
      const rows = read(ask);
      const complete = rows.length < ask;
      const older = this.shown(rows, complete, wanted, end);
      if (complete || older.length >= wanted) return older;
      ask += wanted - older.length;
    }
  }

  /**
   * The released part of a look-back: `history` holds the last bars the session has before
   * `before` (all of them when `complete`); returns at most the last `n` as the strategy was
   * shown them, from the window's first bar on (fewer than `n` when the buckets never shown in
   * it leave too few: ask for a longer window).
   */
  shown(history: BarRows, complete: boolean, n: number, end = this.before): BarRows {
    const from = complete || history.length === 0 ? -Infinity : history.timestamp[0]!;
    const a = this.asDelivered;
    let k = a.lowerBound(from);
    const kEnd = a.lowerBound(end);
    const undelivered = this.undelivered.timestamp;
    const uEnd = this.undelivered.length;
    let u = this.undelivered.lowerBound(from);
    const timestamp: number[] = [];
    const values: number[][] = Array.from({ length: FIELDS }, () => []);
    const flags: number[] = [];
    const push = (ts: number, cols: Float64Array[], row: number, flag: number): void => {
      timestamp.push(ts);
      for (let f = 0; f < FIELDS; f++) values[f]!.push(cols[f]![row]!);
      flags.push(flag);
    };
    for (let i = 0; i < history.length; i++) {
      const t = history.timestamp[i]!;
      for (; k < kEnd && a.timestamp[k]! < t; k++) push(a.timestamp[k]!, a.values, k, a.flags[k]!);
      while (u < uEnd && undelivered[u]! < t) u++;
      if (k < kEnd && a.timestamp[k] === t) {
        push(t, a.values, k, a.flags[k]!);
        k++;
      } else if (!(u < uEnd && undelivered[u] === t)) {
        push(t, history.values, i, history.flags[i]!);
      }
    }
    for (; k < kEnd; k++) push(a.timestamp[k]!, a.values, k, a.flags[k]!);
    const first = Math.max(0, timestamp.length - n);
    return {
      length: timestamp.length - first,
      timestamp: Float64Array.from(timestamp.slice(first)),
      values: values.map((v) => Float64Array.from(v.slice(first))),
      flags: Uint8Array.from(flags.slice(first)),
    };
  }

  private same(a: ColumnStore, i: number, b: ColumnStore, j: number): boolean {
    for (let f = 0; f < FIELDS; f++) {
      if (!Object.is(a.values[f]![i], b.values[f]![j])) return false;
    }
    return true;
  }
}

function rowOf(store: ColumnStore, i: number): number[] {
  const out: number[] = [];
  for (let f = 0; f < store.values.length; f++) out.push(store.values[f]![i]!);
  return out;
}
