/**
 * A strategy's look-back, `ctx.bars(symbol, interval, n)`: the last n bars it has been shown.
 * Base bars up to the last one delivered, read through the session's bar history (memory or,
 * for a released day, the store); derived bars from what derived delivery has handed over, so
 * a bucket still forming is never visible, and for released days from the history with what
 * was delivered differently put back (ReleasedDeliveries).
 */
import type { Interval } from '../../../shared/interval';
import type { StrategyBar } from '../../../shared/strategy/types';
import { HistoryError, type BarHistory, type BarRows } from '../bar-history';
import type { ColumnStore } from '../column-store';
import type { DerivedDelivery } from './derived-delivery';
import { StrategyUsageError } from './strategy-error';

export class LookBack {
  private readonly baseOf = new Map<string, { interval: Interval; store: ColumnStore }>();
  /** Per symbol, the start of its last delivered base bar (the runner updates it per bar). */
  private readonly seen = new Map<string, { lastBarStart: number }>();

  constructor(
    private readonly history: BarHistory,
    private readonly derived: DerivedDelivery,
    /** The session's symbols, for naming them in an error. */
    private readonly symbols: ReadonlySet<string>,
  ) {}

  addBaseStream(symbol: string, interval: Interval, store: ColumnStore): void {
    this.baseOf.set(symbol, { interval, store });
  }

  /** The symbol's cursor the runner writes each delivered base bar's start to. */
  seenOf(symbol: string): { lastBarStart: number } {
    let seen = this.seen.get(symbol);
    if (!seen) this.seen.set(symbol, (seen = { lastBarStart: Number.NaN }));
    return seen;
  }

  bars(symbol: string, interval: Interval, n: number): StrategyBar[] {
    if (!Number.isInteger(n) || n <= 0) {
      throw new StrategyUsageError(`bars() count must be a positive integer (got ${String(n)})`);
    }
    const base = this.baseOf.get(symbol);
    if (!base && !this.symbols.has(symbol)) {
      throw new StrategyUsageError(
        `bars() for unknown symbol ${JSON.stringify(symbol)}: the session streams ${[...this.symbols].join(', ')}`,
      );
    }
    let store: BarRows | ColumnStore;
    if (base && base.interval === interval) {
      const last = this.seen.get(symbol)?.lastBarStart ?? Number.NaN;
      if (Number.isNaN(last)) return [];
      store = this.read(symbol, interval, last + 1, n);
    } else {
      const track = this.derived.track(symbol, interval);
      if (!track) {
        const have = base
          ? [base.interval, ...this.derived.intervalsOf(symbol)].join(', ')
          : 'none (no bar stream)';
        throw new StrategyUsageError(
          `bars() has no ${String(interval)} bars for ${symbol}; available: ${have}`,
        );
      }
      if (n > track.longestLookBack) track.longestLookBack = n;
      const held = track.delivered;
      const released = track.released;
      if (n > held.length && released) {
        // Past what memory holds: the session's history, as the strategy was shown it.
        const wanted = n - held.length;
        const end =
          held.length > 0 ? Math.min(released.before, held.timestamp[0]!) : released.before;
        const older = released.lastShown(
          (ask) => this.read(symbol, interval, end, ask),
          wanted,
          end,
        );
        const out = toBars(symbol, interval, older, 0, older.length);
        return out.concat(toBars(symbol, interval, held, 0, held.length));
      }
      store = held;
    }
    return toBars(symbol, interval, store, Math.max(0, store.length - n), store.length);
  }

  private read(symbol: string, interval: Interval, end: number, n: number): BarRows {
    try {
      return this.history.last(symbol, interval, end, n);
    } catch (error) {
      if (error instanceof HistoryError) throw new StrategyUsageError(`bars(): ${error.message}`);
      throw error;
    }
  }
}

function toBars(
  symbol: string,
  interval: Interval,
  rows: BarRows | ColumnStore,
  from: number,
  to: number,
): StrategyBar[] {
  const out: StrategyBar[] = [];
  const v = rows.values;
  for (let i = from; i < to; i++) {
    out.push({
      symbol,
      interval,
      timestamp: rows.timestamp[i]!,
      open: v[0]![i]!,
      high: v[1]![i]!,
      low: v[2]![i]!,
      close: v[3]![i]!,
      volume: v[4]![i]!,
    });
  }
  return out;
}
