/**
 * One symbol's quotes as growable typed arrays, appended as they stream in. Quotes arrive in
 * time order; one older than the last is dropped, because the engine never emits one.
 */
import type { QuoteColumns } from '../../../shared/ipc-contract';

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
  private columns: Record<Field, Float64Array>;
  private size = 0;
  revision = 0;

  constructor(capacity = 1024) {
    this.columns = allocate(Math.max(16, capacity));
  }

  get length(): number {
    return this.size;
  }

  get last(): Quote | null {
    return this.size === 0 ? null : this.at(this.size - 1);
  }

  timeAt(index: number): number {
    return this.columns.time[index];
  }

  bidAt(index: number): number {
    return this.columns.bid[index];
  }

  askAt(index: number): number {
    return this.columns.ask[index];
  }

  at(index: number): Quote {
    const c = this.columns;
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
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.columns.time[mid] < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  reset(quotes: QuoteColumns): void {
    this.size = 0;
    this.revision += 1;
    this.append(quotes);
  }

  append(quotes: QuoteColumns): number {
    const n = quotes.time.length;
    const start = this.size;
    this.ensureCapacity(this.size + n);
    const c = this.columns;
    for (let i = 0; i < n; i += 1) {
      const t = quotes.time[i];
      if (this.size > 0 && t < c.time[this.size - 1]) continue;
      const at = this.size;
      c.time[at] = t;
      c.bid[at] = quotes.bid[i];
      c.ask[at] = quotes.ask[i];
      c.bidSize[at] = quotes.bidSize[i];
      c.askSize[at] = quotes.askSize[i];
      this.size += 1;
    }
    return this.size - start;
  }

  private ensureCapacity(needed: number): void {
    const capacity = this.columns.time.length;
    if (needed <= capacity) return;
    const next = allocate(Math.max(needed, capacity * 2));
    for (const f of FIELDS) next[f].set(this.columns[f].subarray(0, this.size));
    this.columns = next;
  }
}

function allocate(capacity: number): Record<Field, Float64Array> {
  return Object.fromEntries(FIELDS.map((f) => [f, new Float64Array(capacity)])) as Record<
    Field,
    Float64Array
  >;
}
