/**
 * One symbol's trade prints as growable typed arrays, appended as they stream in (in time
 * order; one older than the last is dropped, because the engine never emits one).
 */
import type { TickColumns } from '../../../shared/ipc-contract';
import { GrowableColumns } from './growable-columns';

const FIELDS = ['time', 'price', 'size'] as const;
type Field = (typeof FIELDS)[number];

export interface Print {
  time: number;
  price: number;
  size: number;
}

export class TradeSeries {
  private readonly rows: GrowableColumns<Field>;
  revision = 0;
  /** The tape row after the last print held: prints before it are already here. */
  private nextRow = 0;

  constructor(capacity = 1024) {
    this.rows = new GrowableColumns(FIELDS, capacity);
  }

  get length(): number {
    return this.rows.size;
  }

  /** The columns' used part is [0, length). */
  get time(): Float64Array {
    return this.rows.columns.time;
  }

  get price(): Float64Array {
    return this.rows.columns.price;
  }

  get last(): Print | null {
    const n = this.rows.size;
    if (n === 0) return null;
    const c = this.rows.columns;
    return { time: c.time[n - 1], price: c.price[n - 1], size: c.size[n - 1] };
  }

  reset(prints: TickColumns): void {
    this.rows.size = 0;
    this.nextRow = 0;
    this.revision += 1;
    this.append(prints);
  }

  append(prints: TickColumns): number {
    const n = prints.time.length;
    const start = this.rows.size;
    this.rows.ensureCapacity(start + n);
    const c = this.rows.columns;
    for (let i = 0; i < n; i += 1) {
      const t = prints.time[i];
      const row = prints.row[i];
      if (row < this.nextRow) continue;
      if (this.rows.size > 0 && t < c.time[this.rows.size - 1]) continue;
      this.nextRow = row + 1;
      const at = this.rows.size;
      c.time[at] = t;
      c.price[at] = prints.price[i];
      c.size[at] = prints.size[i];
      this.rows.size += 1;
    }
    return this.rows.size - start;
  }
}
