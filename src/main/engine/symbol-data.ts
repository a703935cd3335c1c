/**
 * Everything the session holds for one symbol (the seed plan's SymbolData), columnar.
 */
import type { BarData, Quote, Tick } from '../../shared/records';
import type { BaseInterval, Interval } from '../../shared/interval';
import { BAR_FIELDS, QUOTE_FIELDS, TICK_FIELDS } from '../../shared/stream-types';
import { ColumnStore, FLAG_SYNTHETIC } from './column-store';

export class SymbolData {
  /** Null until a bar stream is registered for the symbol (a quotes-only symbol has none). */
  base_interval: BaseInterval | null = null;
  readonly bars_base = new ColumnStore(BAR_FIELDS);
  /** Derived bars keyed by interval string; the upkeep fills them. */
  readonly bars_derived = new Map<Interval, ColumnStore>();
  readonly quotes = new ColumnStore(QUOTE_FIELDS);
  readonly ticks = new ColumnStore(TICK_FIELDS);
  /** Set whenever base bars change; the upkeep clears it once it has caught up. */
  bars_updated = false;
  /** Percent of expected base bars present; null until the upkeep has measured it. */
  bar_quality: number | null = null;

  constructor(readonly symbol: string) {}

  /**
   * The old API's name. For a 1m-base symbol it is the base bars; for a 1s-base symbol it is
   * the derived 1m bars, which is what old callers meant by it.
   */
  get bars_1m(): ColumnStore | undefined {
    if (this.base_interval === '1m') return this.bars_base;
    return this.bars_derived.get('1m');
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
    for (const store of this.bars_derived.values()) bytes += store.byteLength;
    return bytes;
  }
}
