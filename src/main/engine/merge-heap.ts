/**
 * The k-way merge's priority queue: a binary heap of stream slots keyed by each slot's head
 * item, so picking the next item costs O(log k). Keys live in typed arrays indexed by slot,
 * and the order is total, so the same input always merges the same way (decisions §1):
 *   1. availability time, earliest first;
 *   2. at equal time, a bar (which closed at that instant) before a quote or tick;
 *   3. then stream registration order.
 * Input order within a stream is kept because a stream only ever offers its head.
 */
export class MergeHeap {
  private heap: Int32Array;
  private pos: Int32Array;
  private size = 0;
  /** Head availability time per slot. */
  time: Float64Array;
  /** 0 for bars, 1 for quotes and ticks. */
  rank: Uint8Array;
  /** Registration sequence per slot. */
  seq: Float64Array;

  constructor(capacity = 16) {
    this.heap = new Int32Array(capacity);
    this.pos = new Int32Array(capacity).fill(-1);
    this.time = new Float64Array(capacity);
    this.rank = new Uint8Array(capacity);
    this.seq = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Makes room for slot ids below `slots`. */
  ensureSlots(slots: number): void {
    if (slots <= this.pos.length) return;
    const cap = Math.max(slots, this.pos.length * 2);
    const heap = new Int32Array(cap);
    heap.set(this.heap);
    const pos = new Int32Array(cap).fill(-1);
    pos.set(this.pos);
    const time = new Float64Array(cap);
    time.set(this.time);
    const rank = new Uint8Array(cap);
    rank.set(this.rank);
    const seq = new Float64Array(cap);
    seq.set(this.seq);
    this.heap = heap;
    this.pos = pos;
    this.time = time;
    this.rank = rank;
    this.seq = seq;
  }

  has(slot: number): boolean {
    return this.pos[slot]! >= 0;
  }

  /** The slot whose head comes first, or -1. */
  peek(): number {
    return this.size === 0 ? -1 : this.heap[0]!;
  }

  push(slot: number, time: number): void {
    this.time[slot] = time;
    const i = this.size++;
    this.heap[i] = slot;
    this.pos[slot] = i;
    this.siftUp(i);
  }

  /** The top slot's head moved on to a later item: restore order from the root. */
  updateTop(time: number): void {
    this.time[this.heap[0]!] = time;
    this.siftDown(0);
  }

  /** Takes a slot out wherever it is (a drained queue, or a deregistered stream). */
  remove(slot: number): void {
    const i = this.pos[slot]!;
    if (i < 0) return;
    const last = --this.size;
    this.pos[slot] = -1;
    if (i === last) return;
    const moved = this.heap[last]!;
    this.heap[i] = moved;
    this.pos[moved] = i;
    this.siftDown(i);
    this.siftUp(this.pos[moved]!);
  }

  private less(a: number, b: number): boolean {
    const ta = this.time[a]!;
    const tb = this.time[b]!;
    if (ta !== tb) return ta < tb;
    const ra = this.rank[a]!;
    const rb = this.rank[b]!;
    if (ra !== rb) return ra < rb;
    return this.seq[a]! < this.seq[b]!;
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    const slot = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!this.less(slot, p)) break;
      heap[i] = p;
      this.pos[p] = i;
      i = parent;
    }
    heap[i] = slot;
    this.pos[slot] = i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = this.size;
    const slot = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && this.less(heap[right]!, heap[child]!)) child = right;
      const c = heap[child]!;
      if (!this.less(c, slot)) break;
      heap[i] = c;
      this.pos[c] = i;
      i = child;
    }
    heap[i] = slot;
    this.pos[slot] = i;
  }
}
