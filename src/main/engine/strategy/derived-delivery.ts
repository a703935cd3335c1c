/**
 * When a strategy sees each completed derived bar. A bucket [B, B+s) (docs/design.md §2: anchored
 * at the session open, cut at the close) is delivered at B+s: after every base bar available
 * at B+s, before any quote or tick stamped B+s and before anything later; with its last base
 * bars missing, still at B+s once time passes it. Its values are read from session data at
 * that moment (synthetic fill-forward bars excluded, as the upkeep does), so a refill that
 * lands later never changes what the strategy was shown.
 */
import {
  intervalMs,
  isDerivableFrom,
  type BaseInterval,
  type Interval,
} from '../../../shared/interval';
import type { ExchangeCalendar, TradingSession } from '../../../shared/market/exchange-calendar';
import { ColumnStore } from '../column-store';
import { aggregate } from '../upkeep/derived-bars';
import { ReleasedDeliveries } from './released-deliveries';

export const DELIVERED_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** One derived interval of one symbol. */
export interface DerivedTrack {
  symbol: string;
  interval: Interval;
  /** Order among tracks delivered at the same instant: symbol, then interval. */
  rank: number;
  spanMs: number;
  calendar: ExchangeCalendar;
  base: ColumnStore;
  session: TradingSession | null;
  /** The bucket a base bar has landed in and that is not yet delivered; NaN when none. */
  start: number;
  end: number;
  /** Bars delivered so far and still held (what ctx.bars reads for this interval). */
  delivered: ColumnStore;
  /** What differs from the session's history among those released; null while none are. */
  released: ReleasedDeliveries | null;
  /** The most bars a look-back has asked for: that many stay in memory. */
  longestLookBack: number;
}

/** Called with the bucket's end: the backtest time the bar is delivered at. */
export type DeliverBar = (track: DerivedTrack, row: number, end: number) => void;

export class DerivedDelivery {
  /** Tracks per symbol, in rank order. */
  private readonly bySymbol = new Map<string, DerivedTrack[]>();
  private readonly tracks: DerivedTrack[] = [];
  /** Earliest end among pending buckets: the per-item check is one comparison. */
  nextEnd = Number.POSITIVE_INFINITY;

  constructor(private readonly deliver: DeliverBar) {}

  /** Adds the derived intervals of a symbol with base bars (call in a stable symbol order). */
  addSymbol(
    symbol: string,
    baseInterval: BaseInterval,
    base: ColumnStore,
    intervals: readonly Interval[],
    calendar: ExchangeCalendar,
  ): void {
    const spans = [...new Set(intervals)]
      .filter((iv) => isDerivableFrom(iv, baseInterval))
      .sort((a, b) => intervalMs(a) - intervalMs(b));
    const list = spans.map((interval) => {
      const track: DerivedTrack = {
        symbol,
        interval,
        rank: this.tracks.length,
        spanMs: intervalMs(interval),
        calendar,
        base,
        session: null,
        start: Number.NaN,
        end: Number.NaN,
        delivered: new ColumnStore(DELIVERED_FIELDS),
        released: null,
        longestLookBack: 0,
      };
      this.tracks.push(track);
      return track;
    });
    this.bySymbol.set(symbol, list);
  }

  tracksOf(symbol: string): DerivedTrack[] {
    return this.bySymbol.get(symbol) ?? [];
  }

  track(symbol: string, interval: Interval): DerivedTrack | undefined {
    return this.bySymbol.get(symbol)?.find((t) => t.interval === interval);
  }

  intervalsOf(symbol: string): Interval[] {
    return (this.bySymbol.get(symbol) ?? []).map((t) => t.interval);
  }

  /** Start of the symbol's earliest bucket not yet delivered (Infinity when none waits). */
  pendingFrom(symbol: string): number {
    let from = Infinity;
    for (const track of this.bySymbol.get(symbol) ?? []) {
      if (track.start < from) from = track.start;
    }
    return from;
  }

  /**
   * A bounded session released the symbol's days before `before`: so do its tracks whose
   * interval the session keeps too (`sessionStore`, read back through the history); what was
   * delivered differently from it is kept (ReleasedDeliveries). No bucket before `before` is
   * still to be delivered: `pendingFrom` holds the release back (a Retention hold).
   */
  releaseBefore(
    symbol: string,
    before: number,
    sessionStore: (interval: Interval) => ColumnStore | undefined,
  ): void {
    for (const track of this.bySymbol.get(symbol) ?? []) {
      const session = sessionStore(track.interval);
      if (!session) continue;
      track.released ??= new ReleasedDeliveries(DELIVERED_FIELDS);
      if (before > track.released.before) {
        track.released.release(track.delivered, session, before, track.longestLookBack);
      }
    }
  }

  /** A base bar starting at `t` has been emitted (`list`: its symbol's tracks): its buckets become pending. */
  baseBar(list: readonly DerivedTrack[], t: number): void {
    for (let i = 0; i < list.length; i++) {
      const track = list[i]!;
      if (t >= track.start && t < track.end) continue;
      // Any earlier pending bucket ended before this bar was available, so it was delivered.
      if (!bucketOf(track, t)) continue;
      if (track.end < this.nextEnd) this.nextEnd = track.end;
    }
  }

  /**
   * Delivers every pending bucket ending before `t` (or at `t` when `inclusive`), in bar
   * order: by end time, then symbol and interval.
   */
  deliverUntil(t: number, inclusive: boolean): void {
    for (;;) {
      let best: DerivedTrack | null = null;
      for (const track of this.tracks) {
        const end = track.end;
        if (!(inclusive ? end <= t : end < t)) continue;
        if (!best || end < best.end) best = track;
      }
      if (!best) break;
      this.complete(best);
    }
    this.refreshNextEnd();
  }

  private complete(track: DerivedTrack): void {
    const start = track.start;
    const end = track.end;
    track.start = Number.NaN;
    track.end = Number.NaN;
    const bar = aggregate(track.base, start, end);
    if (!bar) return; // only synthetic bars, or none: no derived bar (docs/design.md §2)
    const { open, high, low, close, volume } = bar;
    track.delivered.append(start, [open, high, low, close, volume]);
    this.deliver(track, track.delivered.length - 1, end);
  }

  private refreshNextEnd(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const track of this.tracks) if (track.end < next) next = track.end;
    this.nextEnd = next;
  }
}

/** Sets the track's pending bucket to the one holding `t`; false outside regular hours. */
function bucketOf(track: DerivedTrack, t: number): boolean {
  let s = track.session;
  if (!s || t < s.open || t >= s.close) {
    s = track.calendar.sessionAfter(t);
    if (!s || t < s.open) return false;
    track.session = s;
  }
  const start = s.open + Math.floor((t - s.open) / track.spanMs) * track.spanMs;
  track.start = start;
  track.end = Math.min(start + track.spanMs, s.close);
  return true;
}
