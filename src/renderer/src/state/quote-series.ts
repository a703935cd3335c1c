/**
 * One symbol's quotes as growable typed arrays, appended as they stream in. Quotes arrive in
 * time order; one older than the last is dropped, because the engine never emits one.
 */
import type { QuoteColumns } from '../../../shared/ipc-contract';
import { GrowableColumns } from './growable-columns';

const FIELDS = ['time', 'bid', 'ask', 'bidSize', 'askSize'] as const;
type Field = (typeof FIELDS)[number];

export interface Quote {
  time: number;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
}

export class QuoteSeries {
  private readonly rows: GrowableColumns<Field>;
  revision = 0;

  constructor(capacity = 1024) {
    this.rows = new GrowableColumns(FIELDS, capacity);
  }

  get length(): number {
    return this.rows.size;
  }

  get last(): Quote | null {
    return this.rows.size === 0 ? null : this.at(this.rows.size - 1);
  }

  timeAt(index: number): number {
    return this.rows.columns.time[index];
  }

  bidAt(index: number): number {
    return this.rows.columns.bid[index];
  }

  askAt(index: number): number {
    return this.rows.columns.ask[index];
  }

  at(index: number): Quote {
    const c = this.rows.columns;
    return {
      time: c.time[index],
      bid: c.bid[index],
      ask: c.ask[index],
      bidSize: c.bidSize[index],
      askSize: c.askSize[index],
    };
  }

  /** Index of the first quote at or after `time` (binary search). */
  indexAtOrAfter(time: number): number {
    return this.rows.indexAtOrAfter(time);
  }

  reset(quotes: QuoteColumns): void {
    this.rows.size = 0;
    this.revision += 1;
    this.append(quotes);
  }

  append(quotes: QuoteColumns): number {
    const n = quotes.time.length;
    const start = this.rows.size;
    this.rows.ensureCapacity(this.rows.size + n);
    const c = this.rows.columns;
    for (let i = 0; i < n; i += 1) {
      const t = quotes.time[i];
      if (this.rows.size > 0 && t < c.time[this.rows.size - 1]) continue;
      const at = this.rows.size;
      c.time[at] = t;
      c.bid[at] = quotes.bid[i];
      c.ask[at] = quotes.ask[i];
      c.bidSize[at] = quotes.bidSize[i];
      c.askSize[at] = quotes.askSize[i];
      this.rows.size += 1;
    }
    return this.rows.size - start;
  }
}
