/**
 * The strategy's `plot` lines: one series per symbol and name, one value per backtest time
 * (a second value at the same time replaces the first).
 */

export interface PlotLine {
  symbol: string;
  name: string;
  color: string | null;
  time: number[];
  value: number[];
}

export class PlotSeries {
  readonly lines = new Map<string, PlotLine>();
  /** Values added since the last take(), for live charts. */
  private fresh: {
    symbol: string;
    name: string;
    time: number;
    value: number;
    color: string | null;
  }[] = [];

  /** Only a live view collects fresh values; a headless run keeps just the lines. */
  constructor(private readonly live = false) {}

  add(symbol: string, name: string, time: number, value: number, color?: string): void {
    const key = `${symbol}\u0000${name}`;
    let line = this.lines.get(key);
    if (!line) {
      line = { symbol, name, color: color ?? null, time: [], value: [] };
      this.lines.set(key, line);
    }
    const n = line.time.length;
    if (n > 0 && line.time[n - 1] === time) line.value[n - 1] = value;
    else {
      line.time.push(time);
      line.value.push(value);
    }
    if (this.live) this.fresh.push({ symbol, name, time, value, color: line.color });
  }

  take(): { symbol: string; name: string; time: number; value: number; color: string | null }[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }
}
