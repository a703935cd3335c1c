/**
 * Gaps waiting for a refill attempt, ordered by when the attempt is due. A binary min-heap:
 * taking what is due costs O(due · log n), so a cycle never walks the gaps that are not due
 * (real sparse data has tens of thousands of them). Entries are removed lazily: a gap that was
 * settled, split or rescheduled since it was queued is skipped when it reaches the top.
 */
import { PENDING, type GapTable } from './gap-table';

interface Entry {
  due: number;
  /** Queue order, so gaps due at the same time come out in the order they were queued. */
  seq: number;
  gap: number;
}

/** Gap ids in the queue; `table` holds their records. */
export class RetryQueue {
  private readonly heap: Entry[] = [];
  /**
   * Gaps due at once (new or reopened by a scan), in queue order. Nearly every gap of sparse
   * data is one of these, taken in the same cycle: a plain list spares them the heap.
   */
  private now: number[] = [];
  private seq = 0;

  constructor(private readonly table: GapTable) {}

  get size(): number {
    return this.heap.length + this.now.length;
  }

  /** Earliest due time of a live entry, or Infinity. */
  peekDue(): number {
    for (const gap of this.now) if (this.isDueAt(gap, -Infinity)) return -Infinity;
    this.now.length = 0;
    this.dropStale();
    return this.heap.length === 0 ? Infinity : this.heap[0]!.due;
  }

  /** The earliest start of a gap still waiting (Infinity when none): bars from there are needed. */
  earliestStart(): number {
    const { outcome, start } = this.table;
    let earliest = Infinity;
    for (const gap of this.now)
      if (outcome[gap] === PENDING && start[gap]! < earliest) earliest = start[gap]!;
    for (const entry of this.heap) {
      const gap = entry.gap;
      if (outcome[gap] === PENDING && start[gap]! < earliest) earliest = start[gap]!;
    }
    return earliest;
  }

  /** Queues gap `gap` for its `nextAttemptAt`. */
  push(gap: number): void {
    const due = this.table.nextAttemptAt[gap]!;
    if (due === -Infinity) {
      this.now.push(gap);
      return;
    }
    this.heap.push({ due, seq: this.seq++, gap });
    this.siftUp(this.heap.length - 1);
  }

  /**
   * The table was compacted: `renumbered[old]` is each id's new id, -1 for a record that left
   * (settled, so any entry for it was stale anyway).
   */
  renumber(renumbered: Int32Array): void {
    const now: number[] = [];
    for (const gap of this.now) if (renumbered[gap]! >= 0) now.push(renumbered[gap]!);
    this.now = now;
    const heap = this.heap;
    let kept = 0;
    for (const entry of heap) {
      const gap = renumbered[entry.gap]!;
      if (gap < 0) continue;
      entry.gap = gap;
      heap[kept++] = entry;
    }
    heap.length = kept;
    // Sorted by (due, seq), an array is a heap.
    heap.sort((a, b) => a.due - b.due || a.seq - b.seq);
  }

  /** Every pending gap due at or before `asOf`, each once, oldest start first. */
  takeDue(asOf: number): readonly number[] {
    if (this.now.length === 0 && !(this.peekDue() <= asOf)) return NONE;
    const next = this.table.nextAttemptAt;
    let out: number[] = [];
    if (this.now.length > 0) {
      out = this.now;
      this.now = [];
      let kept = 0;
      for (const gap of out) {
        if (!this.isDueAt(gap, -Infinity)) continue;
        // Taken: any other entry for the same gap is stale now (NaN equals no due time).
        next[gap] = Number.NaN;
        out[kept++] = gap;
      }
      out.length = kept;
    }
    const fromNow = out.length;
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (!top || top.due > asOf) break;
      this.pop();
      // Taken: any other entry for the same gap is stale now (NaN equals no due time).
      next[top.gap] = Number.NaN;
      out.push(top.gap);
    }
    const start = this.table.start;
    return fromNow === out.length && isByStart(out, start)
      ? out
      : out.sort((a, b) => start[a]! - start[b]!);
  }

  /** The gap still waits for the attempt queued at `due` (not settled, split or rescheduled). */
  private isDueAt(gap: number, due: number): boolean {
    return this.table.outcome[gap] === PENDING && this.table.nextAttemptAt[gap] === due;
  }

  private dropStale(): void {
    for (;;) {
      const top = this.heap[0];
      if (!top || this.isDueAt(top.gap, top.due)) return;
      this.pop();
    }
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.siftDown(0);
  }

  private less(a: Entry, b: Entry): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(heap[i]!, heap[parent]!)) return;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && this.less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && this.less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  }
}

const NONE: readonly number[] = Object.freeze([]);

function isByStart(gaps: readonly number[], start: Float64Array): boolean {
  for (let i = 1; i < gaps.length; i++) if (start[gaps[i - 1]!]! > start[gaps[i]!]!) return false;
  return true;
}
