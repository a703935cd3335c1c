/**
 * The session's data, per symbol. One copy, shared by the coordinator (which appends as items
 * pass) and the upkeep (which fills gaps and derives bars).
 */
import type { BaseInterval } from '../../shared/interval';
import { SymbolData } from './symbol-data';

export class SessionData {
  private readonly symbols = new Map<string, SymbolData>();
  /** Symbols with a base interval (a bar stream); the upkeep checks it once per cycle. */
  barSymbolCount = 0;
  /**
   * Trading days held at most when old days are released as the session goes (retain_days and
   * the current day), else null: with a stream's fullest day, what its base bars are sized for
   * once, rather than for the whole session.
   */
  heldDays: number | null = null;

  getSymbolData(symbol: string): SymbolData | undefined {
    return this.symbols.get(symbol);
  }

  /** Returns the symbol's data, creating it on first use. */
  ensureSymbol(symbol: string): SymbolData {
    let data = this.symbols.get(symbol);
    if (!data) {
      data = new SymbolData(symbol);
      this.symbols.set(symbol, data);
    }
    return data;
  }

  /** Fixes the symbol's base interval; a symbol has one for the whole session. */
  setBaseInterval(symbol: string, interval: BaseInterval): SymbolData {
    const data = this.ensureSymbol(symbol);
    if (data.base_interval !== null && data.base_interval !== interval) {
      throw new Error(
        `Duplicate bar stream for ${symbol}. Found both ${data.base_interval} and ${interval}. ` +
          'Only one bar interval allowed per symbol.',
      );
    }
    if (data.base_interval === null) this.barSymbolCount++;
    data.base_interval = interval;
    return data;
  }

  symbolNames(): string[] {
    return [...this.symbols.keys()].sort();
  }

  all(): SymbolData[] {
    return this.symbolNames().map((s) => this.symbols.get(s)!);
  }

  /** Base bars of the session across all symbols, held or released. */
  get totalBaseBars(): number {
    let n = 0;
    for (const data of this.symbols.values()) n += data.baseBarCount;
    return n;
  }

  /** Base bars held in memory across all symbols. */
  get heldBaseBars(): number {
    let n = 0;
    for (const data of this.symbols.values()) n += data.bars_base.length;
    return n;
  }

  get byteLength(): number {
    let bytes = 0;
    for (const data of this.symbols.values()) bytes += data.byteLength;
    return bytes;
  }
}
