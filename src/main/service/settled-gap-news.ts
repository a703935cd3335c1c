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

/**
 * One symbol's told gaps, by start: gaps settle in about time order, so a new one is nearly
 * always appended and the forgotten ones are a prefix (`head` moves on; the arrays are cut
 * now and then). A Map per symbol did the same with a hash per gap, and its deleted entries
 * were walked again by every cycle's forgetting: about 2 s of a replay of 50 symbol-months of
 * sparse 1s data.
 */
class Told {
  starts: number[] = [];
  ends: number[] = [];
  outcomes: string[] = [];
  head = 0;

  /** Index of `start`, or where it would go, in [head, length). */
  find(start: number): number {
    const starts = this.starts;
    const n = starts.length;
    if (n > this.head && starts[n - 1]! < start) return n;
    let lo = this.head;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(at: number, start: number, end: number, outcome: string): void {
    if (at === this.starts.length) {
      this.starts.push(start);
      this.ends.push(end);
      this.outcomes.push(outcome);
      return;
    }
    this.starts.splice(at, 0, start);
    this.ends.splice(at, 0, end);
    this.outcomes.splice(at, 0, outcome);
  }

  forgetBefore(t: number): void {
    const ends = this.ends;
    while (this.head < ends.length && ends[this.head]! < t) this.head++;
    if (this.head > 1024 && this.head * 2 > ends.length) {
      this.starts.splice(0, this.head);
      this.ends.splice(0, this.head);
      this.outcomes.splice(0, this.head);
      this.head = 0;
    }
  }

  get size(): number {
    return this.starts.length - this.head;
  }
}

export class SettledGapNews {
  private readonly told = new Map<string, Told>();

  /** True the first time a gap settles with this outcome; records it. */
  isNews(gap: GapNews): boolean {
    let told = this.told.get(gap.symbol);
    if (!told) this.told.set(gap.symbol, (told = new Told()));
    const at = told.find(gap.start);
    if (at < told.starts.length && told.starts[at] === gap.start) {
      told.ends[at] = gap.end;
      if (told.outcomes[at] === gap.outcome) return false;
      told.outcomes[at] = gap.outcome;
      return true;
    }
    told.insert(at, gap.start, gap.end, gap.outcome);
    return true;
  }

  /**
   * Forgets each symbol's gaps ending before `heldFrom(symbol)`, from which on the upkeep still
   * holds bars: a gap ending before that is settled and can neither grow nor join a neighbour.
   */
  forgetSettled(heldFrom: (symbol: string) => number): void {
    for (const [symbol, told] of this.told) told.forgetBefore(heldFrom(symbol));
  }

  /** Gaps remembered (tests). */
  get size(): number {
    let n = 0;
    for (const told of this.told.values()) n += told.size;
    return n;
  }
}
