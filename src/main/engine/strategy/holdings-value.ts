/**
 * The market value of the open positions (Σ position × mark), kept as a fixed pairwise-sum
 * tree over the symbols. A mark or position change costs O(log symbols), not a walk over every
 * symbol, and the total is a function of the current positions and marks alone (no running sum
 * that drifts with history), so equity is the same however the session got there.
 */
export class HoldingsValue {
  private readonly size: number;
  private readonly tree: Float64Array;
  /** Symbols whose position is not zero. */
  open = 0;

  constructor(symbols: number) {
    let size = 1;
    while (size < symbols) size *= 2;
    this.size = size;
    this.tree = new Float64Array(2 * size);
  }

  get total(): number {
    return this.tree[1]!;
  }

  /** Sets symbol `index`'s value; a flat position is worth 0 whatever its mark (even NaN). */
  set(index: number, position: number, mark: number): void {
    const tree = this.tree;
    let i = this.size + index;
    const was = tree[i]!;
    const value = position === 0 ? 0 : position * mark;
    if (was === value && value === value) return;
    tree[i] = value;
    // Up to the root, each sum its two children's, the new one carried along: only the
    // siblings are read, so the loads do not wait on the adds. (a + b = b + a exactly.)
    let sum = value;
    for (; i > 1; i >>= 1) {
      sum += tree[i ^ 1]!;
      tree[i >> 1] = sum;
    }
  }
}
