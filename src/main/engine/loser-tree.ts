/**
 * The k-way merge's tournament (loser) tree: each internal node keeps the loser of the match
 * played there, so after the winner's stream moves on, replaying its path from leaf to root
 * costs exactly ⌈log2 k⌉ comparisons, half a binary heap's (docs/design.md §1: O(log k) per item).
 *
 * Order is total, so the same input always merges the same way:
 *   1. availability time, earliest first;
 *   2. at equal time, a bar (which closed at that instant) before a quote or tick;
 *   3. then stream registration order.
 * Input order within a stream is kept because a stream only ever offers its head.
 *
 * The three parts are packed into one float64 key, time * 2048 + rank * 1024 + sequence, so
 * a match is a single `<`. That is exact while time is whole milliseconds below 2^42 (the
 * year 2109) and there are at most 1024 registrations.
 */
export const MAX_REGISTRATIONS = 1024;
const TIME_SCALE = 2048;

export class LoserTree {
  /** Leaves: a power of two at least the number of slots. */
  private leaves = 1;
  /** tree[0] is the winner; tree[1..leaves-1] hold the losers of their matches. */
  private tree = new Int32Array(1);
  private key: Float64Array = new Float64Array(1).fill(Infinity);
  private tie: Float64Array = new Float64Array(1);
  /** Head availability time per slot. */
  time: Float64Array = new Float64Array(1);

  /** Adds slot ids below `slots`, all empty; the tree is rebuilt. */
  ensureSlots(slots: number): void {
    if (slots <= this.leaves) return;
    let leaves = this.leaves;
    while (leaves < slots) leaves *= 2;
    this.key = grow(this.key, leaves, Infinity);
    this.tie = grow(this.tie, leaves, 0);
    this.time = grow(this.time, leaves, 0);
    this.leaves = leaves;
    this.tree = new Int32Array(leaves);
    this.rebuild();
  }

  /**
   * Fixes a slot's place among equal times: bars (rank 0) before quotes and ticks (rank 1),
   * then registration order.
   */
  setTieBreak(slot: number, rank: 0 | 1, sequence: number): void {
    if (sequence >= MAX_REGISTRATIONS) {
      throw new RangeError(`At most ${MAX_REGISTRATIONS} stream registrations per session.`);
    }
    this.tie[slot] = rank * MAX_REGISTRATIONS + sequence;
  }

  /** The slot whose head comes first, or -1 when no slot has a head. */
  winner(): number {
    const w = this.tree[0]!;
    return this.key[w] === Infinity ? -1 : w;
  }

  /** The winner's stream moved on to an item available at `time`: replay its path. */
  replayWinner(time: number): void {
    const w = this.tree[0]!;
    this.time[w] = time;
    this.key[w] = time * TIME_SCALE + this.tie[w]!;
    this.replayFrom((w + this.leaves) >> 1, w);
  }

  /** The winner's stream has nothing queued: it leaves the tournament. */
  retireWinner(): void {
    const w = this.tree[0]!;
    this.key[w] = Infinity;
    this.replayFrom((w + this.leaves) >> 1, w);
  }

  /** Puts a slot (back) in with its head at `time`; rebuilds, since it may not be the winner. */
  enter(slot: number, time: number): void {
    this.time[slot] = time;
    this.key[slot] = time * TIME_SCALE + this.tie[slot]!;
    this.rebuild();
  }

  /** Takes a slot out wherever it stands. */
  leave(slot: number): void {
    if (this.key[slot] === Infinity) return;
    this.key[slot] = Infinity;
    this.rebuild();
  }

  has(slot: number): boolean {
    return slot < this.leaves && this.key[slot] !== Infinity;
  }

  private replayFrom(start: number, winner: number): void {
    const key = this.key;
    const tree = this.tree;
    let w = winner;
    let k = key[w]!;
    // Keys are unique (the tie-break makes them so) except empty slots', all Infinity.
    for (let node = start; node > 0; node >>= 1) {
      const other = tree[node]!;
      const ko = key[other]!;
      if (ko < k) {
        tree[node] = w;
        w = other;
        k = ko;
      }
    }
    tree[0] = w;
  }

  /** Plays every match again, bottom up: O(k), for the rare changes that are not the winner's. */
  private rebuild(): void {
    const n = this.leaves;
    const key = this.key;
    const winners = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) winners[n + i] = i;
    for (let node = n - 1; node > 0; node--) {
      const a = winners[2 * node]!;
      const b = winners[2 * node + 1]!;
      const aWins = key[a]! <= key[b]!;
      winners[node] = aWins ? a : b;
      this.tree[node] = aWins ? b : a;
    }
    this.tree[0] = n === 1 ? 0 : winners[1]!;
  }
}

function grow(column: Float64Array, capacity: number, fill: number): Float64Array {
  const next = new Float64Array(capacity).fill(fill);
  next.set(column);
  return next;
}
