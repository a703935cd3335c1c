/**
 * Which settled gaps the Log has not told yet. A range that grows and settles again with the
 * same outcome is not news, nor is one that absorbs a settled neighbour: both keep their start,
 * so a gap is known by its symbol and start. Gaps that can no longer change are forgotten as
 * the upkeep moves past them (`forgetSettled`), so a long session on sparse data, which settles
 * thousands of gaps a day, holds the recent ones only.
 */
export interface GapNews {
  symbol: string;
  start: number;
  end: number;
  outcome: string;
}

export class SettledGapNews {
  private readonly told = new Map<string, Map<number, { outcome: string; end: number }>>();

  /** True the first time a gap settles with this outcome; records it. */
  isNews(gap: GapNews): boolean {
    let bySymbol = this.told.get(gap.symbol);
    if (!bySymbol) this.told.set(gap.symbol, (bySymbol = new Map()));
    const told = bySymbol.get(gap.start);
    if (told?.outcome === gap.outcome) {
      told.end = gap.end;
      return false;
    }
    bySymbol.set(gap.start, { outcome: gap.outcome, end: gap.end });
    return true;
  }

  /**
   * Forgets each symbol's gaps ending before `heldFrom(symbol)`, from which on the upkeep still
   * holds bars: a gap ending before that is settled and can neither grow nor join a neighbour.
   */
  forgetSettled(heldFrom: (symbol: string) => number): void {
    for (const [symbol, bySymbol] of this.told) {
      const t = heldFrom(symbol);
      // Told in about the order they settled, which is about time order: the front goes first.
      for (const [start, { end }] of bySymbol) {
        if (!(end < t)) break;
        bySymbol.delete(start);
      }
    }
  }

  /** Gaps remembered (tests). */
  get size(): number {
    let n = 0;
    for (const m of this.told.values()) n += m.size;
    return n;
  }
}
