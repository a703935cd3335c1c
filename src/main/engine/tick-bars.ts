/**
 * Base bars built from a symbol's trades, for symbols that have ticks and no stored bars
 * (`bars_from_ticks: "1s" | "1m"` on the tick stream). It wraps the tick cursor and yields
 * bars as a bar stream would: stamped at their start, and, like any bar, available to the
 * replay only at their end (the coordinator's rule), so nothing is seen early. A bucket with
 * no trade has no bar (a no-trade second is a gap, as in stored 1s data). Open is the first
 * trade of the bucket, close the last, high/low the extremes, volume the sum of sizes.
 */
import { intervalMs, type BaseInterval } from '../../shared/interval';
import type { StreamBatch, StreamCursor } from '../../shared/stream-cursor';

const PRICE = 0;
const SIZE = 1;

export class TickBarCursor implements StreamCursor {
  readonly type = 'bars' as const;
  readonly symbol: string;
  private readonly step: number;
  private start = Number.NaN;
  private o = 0;
  private h = 0;
  private l = 0;
  private c = 0;
  private v = 0;
  private batch: StreamBatch | null = null;
  private row = 0;
  private exhausted = false;

  constructor(
    private readonly ticks: StreamCursor,
    readonly interval: BaseInterval,
  ) {
    this.symbol = ticks.symbol;
    this.step = intervalMs(interval);
  }

  async next(maxRows: number): Promise<StreamBatch | null> {
    const cap = Math.max(1, maxRows);
    const time = new Float64Array(cap);
    const values = [0, 1, 2, 3, 4].map(() => new Float64Array(cap));
    let n = 0;
    const emit = (): void => {
      time[n] = this.start;
      values[0]![n] = this.o;
      values[1]![n] = this.h;
      values[2]![n] = this.l;
      values[3]![n] = this.c;
      values[4]![n] = this.v;
      n += 1;
    };
    while (n < cap) {
      if (!this.batch || this.row >= this.batch.length) {
        // Every trade of it is in the bar being built or an emitted one: the tick cursor may
        // have its memory back (the reader worker decodes later slabs into it).
        if (this.batch) this.ticks.finished?.(this.batch);
        this.batch = null;
        if (this.exhausted) break;
        this.batch = await this.ticks.next(4096);
        this.row = 0;
        if (!this.batch) {
          this.exhausted = true;
          if (!Number.isNaN(this.start)) {
            emit();
            this.start = Number.NaN;
          }
          break;
        }
        continue;
      }
      const b = this.batch;
      const price = b.values[PRICE]![this.row]!;
      const size = b.values[SIZE]![this.row]!;
      const bucket = Math.floor(b.timestamp[this.row]! / this.step) * this.step;
      if (bucket !== this.start) {
        // A trade in a later bucket completes the one being built.
        if (!Number.isNaN(this.start)) emit();
        this.start = bucket;
        this.o = this.h = this.l = this.c = price;
        this.v = size;
      } else {
        if (price > this.h) this.h = price;
        if (price < this.l) this.l = price;
        this.c = price;
        this.v += size;
      }
      this.row += 1;
    }
    if (n === 0) return null;
    return { length: n, timestamp: time, values };
  }

  close(): Promise<void> {
    return this.ticks.close();
  }
}
