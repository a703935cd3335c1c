/**
 * What the screen shows about trading: every fill (kept sorted by time per symbol for the
 * chart's markers), open positions, the headline stats, the equity curve and the strategy's
 * plot lines. Applies the snapshot's full state and each frame's increments. Pure: no DOM.
 */
import type {
  PlotPoints,
  PositionInfo,
  TradingStats,
  TradingUpdate,
} from '../../../shared/strategy/trading-contract';
import type { Fill, OrderView } from '../../../shared/strategy/types';

export class TradingModel {
  fills: Fill[] = [];
  /** Fills per symbol in time order (fills arrive in time order, so appends keep it). */
  bySymbol = new Map<string, Fill[]>();
  positions: PositionInfo[] = [];
  /** Open orders (resting limits and stops, orders waiting out latency or a first price). */
  orders: OrderView[] = [];
  stats: TradingStats | null = null;
  equityTime: number[] = [];
  equity: number[] = [];
  plots = new Map<string, PlotPoints>();
  strategy: TradingUpdate['strategy'] = null;
  error: string | null = null;
  private versionValue = 0;
  private readonly listeners = new Set<() => void>();

  get version(): number {
    return this.versionValue;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reset(full: TradingUpdate | undefined): void {
    this.fills = [];
    this.bySymbol = new Map();
    this.positions = [];
    this.orders = [];
    this.stats = null;
    this.equityTime = [];
    this.equity = [];
    this.plots = new Map();
    this.strategy = full?.strategy ?? null;
    this.error = null;
    if (full) this.apply(full);
    else this.bump();
  }

  apply(update: TradingUpdate): void {
    let changed = false;
    for (const fill of update.fills) {
      this.fills.push(fill);
      let list = this.bySymbol.get(fill.symbol);
      if (!list) this.bySymbol.set(fill.symbol, (list = []));
      list.push(fill);
      changed = true;
    }
    if (update.positions) {
      this.positions = update.positions;
      changed = true;
    }
    if (update.orders) {
      this.orders = update.orders;
      changed = true;
    }
    if (update.stats) {
      this.stats = update.stats;
      changed = true;
    }
    if (update.equity) {
      appendByTime(this.equityTime, this.equity, update.equity.time, update.equity.equity);
      changed = true;
    }
    for (const plot of update.plots ?? []) {
      const key = `${plot.symbol}\u0000${plot.name}`;
      const line = this.plots.get(key);
      if (!line) this.plots.set(key, { ...plot, time: [...plot.time], value: [...plot.value] });
      else appendByTime(line.time, line.value, plot.time, plot.value);
      changed = true;
    }
    if (update.error && update.error !== this.error) {
      this.error = update.error;
      changed = true;
    }
    if (changed) this.bump();
  }

  private bump(): void {
    this.versionValue++;
    for (const listener of this.listeners) listener();
  }
}

/** Appends points, replacing the tail where the new points start at or before it. */
function appendByTime(times: number[], values: number[], t: number[], v: number[]): void {
  for (let i = 0; i < t.length; i++) {
    const time = t[i]!;
    while (times.length > 0 && times[times.length - 1]! >= time) {
      times.pop();
      values.pop();
    }
    times.push(time);
    values.push(v[i]!);
  }
}
