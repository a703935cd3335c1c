/**
 * Everything the session holds for one symbol (the seed plan's SymbolData), columnar.
 */
import type { BarData, Quote, Tick } from '../../shared/records';
import type { BaseInterval, Interval } from '../../shared/interval';
import { BAR_FIELDS, QUOTE_FIELDS, TICK_FIELDS } from '../../shared/stream-types';
import { ColumnStore, FLAG_SYNTHETIC } from './column-store';
import { ReleasedBars } from './released-bars';

export class SymbolData {
  /** Null until a bar stream is registered for the symbol (a quotes-only symbol has none). */
  base_interval: BaseInterval | null = null;
  readonly bars_base = new ColumnStore(BAR_FIELDS);
  /** Derived bars keyed by interval string; the upkeep fills them. */
  readonly bars_derived = new Map<Interval, ColumnStore>();
  readonly quotes = new ColumnStore(QUOTE_FIELDS);
  readonly ticks = new ColumnStore(TICK_FIELDS);
  /** Base bars no longer in `bars_base` (a bounded session releases old days). */
  readonly released = new ReleasedBars();
  /** Set whenever base bars change; the upkeep clears it once it has caught up. */
  bars_updated = false;
  /** Percent of expected base bars present; null until the upkeep has measured it. */
  bar_quality: number | null = null;

  constructor(readonly symbol: string) {}

  /**
   * The old API's name. For a 1m-base symbol it is the base bars; for a 1s-base symbol it is
   * the derived 1m bars, which is what old callers meant by it. Only the days held in memory:
   * reading across released days goes through BarHistory.
   */
  get bars_1m(): ColumnStore | undefined {
    if (this.base_interval === '1m') return this.bars_base;
    return this.bars_derived.get('1m');
  }

  /** Base bars of the session so far, held or released. */
  get baseBarCount(): number {
    return this.released.rows + this.bars_base.length;
  }

  /**
   * Puts a bar no stream delivered (a refill, a fill-forward bar) at its place in time; false
   * when one is there already. It is remembered too: the store may not have it once released.
   */
  insertBar(timestamp: number, values: readonly number[], flags = 0): boolean {
    if (!this.bars_base.insertOrdered(timestamp, values, flags)) return false;
    this.released.inserted.insertOrdered(timestamp, values, flags);
    return true;
  }

  get latest_quote(): Quote | null {
    const n = this.quotes.length;
    return n === 0 ? null : (this.quotes.row(n - 1) as unknown as Quote);
  }

  bar(i: number): BarData {
    const row = this.bars_base.row(i);
    return {
      ...(row as unknown as Omit<BarData, 'symbol' | 'interval'>),
      symbol: this.symbol,
      interval: this.base_interval ?? '1m',
    };
  }

  isSynthetic(i: number): boolean {
    return (this.bars_base.flags[i]! & FLAG_SYNTHETIC) !== 0;
  }

  tick(i: number): Tick {
    return this.ticks.row(i) as unknown as Tick;
  }

  get byteLength(): number {
    let bytes = this.bars_base.byteLength + this.quotes.byteLength + this.ticks.byteLength;
    bytes += this.released.inserted.byteLength;
    for (const store of this.bars_derived.values()) bytes += store.byteLength;
    return bytes;
  }
}
