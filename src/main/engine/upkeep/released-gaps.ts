/**
 * Settled gaps of released days, packed a few bytes each (docs/long-sessions.md). Sparse 1s
 * data finds thousands of no-trade runs per symbol-day; as rows of the gap table they cost
 * about 50 bytes each for the whole session, which made gaps the one part of a bounded session
 * that still grew with its length. A released gap can no longer change (it is settled and
 * touches nothing that can still settle), so it is written once, in time order, as the
 * difference from the gap before it: a flags byte, then the distance from the previous gap's
 * end and the length, counted in bar slots. What the flags cannot say (a partial fill, a
 * changed attempt count or reason, a time off the slot grid) follows it in full, so reading
 * back gives every record exactly as it was. The bytes go into fixed chunks, not one array
 * that doubles: a doubling array would hold up to twice what it needs, and copy it all each
 * time.
 */
import type { BaseInterval } from '../../../shared/interval';
import type { Gap } from './gap';
import { outcomeName, type GapTable } from './gap-table';

/** Start and end are on the slot grid, after the previous end: two varints of slots. */
const ON_GRID = 1;
const EXPECTED_IS_LENGTH = 2;
const NONE_FILLED = 4;
const PENDING_FROM_END = 8;
/** Settled after being taken from the retry queue (the usual case). */
const NEXT_ATTEMPT_NAN = 16;
const NEXT_ATTEMPT_NONE = 32;
/** Attempts, outcome and reason as the gap before. */
const SAME_STATE = 64;

/** Decoder state saved every so many records, so a read can start mid-way. */
const CHECKPOINT_EVERY = 256;
const CHUNK_BYTES = 32 * 1024;
/** The longest record: flags, two times, two floats, four varints of up to 8 bytes, outcome. */
const MAX_RECORD = 1 + 16 + 16 + 32 + 1;

interface State {
  prevEnd: number;
  attempts: number;
  outcome: number;
  reason: number;
}

interface Checkpoint extends State {
  chunk: number;
  byte: number;
}

export class ReleasedGaps {
  private readonly chunks: Uint8Array[] = [];
  private readonly views: DataView[] = [];
  /** Bytes written to each chunk; records never straddle two. */
  private readonly used: number[] = [];
  private bytes = new Uint8Array(0);
  private data = new DataView(this.bytes.buffer);
  /** Write position in the last chunk. */
  private at = 0;
  private total = 0;
  /** Records written. */
  count = 0;
  private readonly state: State = { prevEnd: 0, attempts: -1, outcome: -1, reason: -1 };
  private readonly checkpoints: Checkpoint[] = [];
  private readonly reasons: string[] = [];
  private readonly reasonIndex = new Map<string, number>();

  constructor(
    readonly symbol: string,
    readonly interval: BaseInterval,
    private readonly stepMs: number,
  ) {}

  /** Bytes written (diagnostics and tests). */
  get byteLength(): number {
    return this.total;
  }

  /** Bytes allocated. */
  get byteCapacity(): number {
    return this.chunks.length * CHUNK_BYTES;
  }

  /** Appends record `id` of `table`; records come in time order. */
  append(table: GapTable, id: number): void {
    const s = this.state;
    if (this.chunks.length === 0 || this.at + MAX_RECORD > CHUNK_BYTES) this.nextChunk();
    const chunk = this.chunks.length - 1;
    if (this.count % CHECKPOINT_EVERY === 0) this.checkpoints.push({ chunk, byte: this.at, ...s });
    const from = this.at;
    const start = table.start[id]!;
    const end = table.end[id]!;
    const step = this.stepMs;
    const gapSlots = (start - s.prevEnd) / step;
    const slots = (end - start) / step;
    // Whole slots that give the times back exactly (fractional times could round).
    const onGrid =
      isCount(gapSlots) &&
      isCount(slots) &&
      s.prevEnd + gapSlots * step === start &&
      start + slots * step === end;
    const expected = table.expected[id]!;
    const filled = table.filled[id]!;
    const attempts = table.attempts[id]!;
    const outcome = table.outcome[id]!;
    const reason = this.indexOf(table.reason(id));
    const next = table.nextAttemptAt[id]!;
    const same = attempts === s.attempts && outcome === s.outcome && reason === s.reason;
    let flags = 0;
    if (onGrid) flags |= ON_GRID;
    if (onGrid && expected === slots) flags |= EXPECTED_IS_LENGTH;
    if (filled === 0) flags |= NONE_FILLED;
    if (table.pendingFrom[id] === end) flags |= PENDING_FROM_END;
    if (Number.isNaN(next)) flags |= NEXT_ATTEMPT_NAN;
    else if (next === -Infinity) flags |= NEXT_ATTEMPT_NONE;
    if (same) flags |= SAME_STATE;
    this.bytes[this.at++] = flags;
    if (onGrid) {
      this.varint(gapSlots);
      this.varint(slots);
    } else {
      this.float(start);
      this.float(end);
    }
    if (!(flags & EXPECTED_IS_LENGTH)) this.varint(expected);
    if (!(flags & NONE_FILLED)) this.varint(filled);
    if (!(flags & PENDING_FROM_END)) this.float(table.pendingFrom[id]!);
    if (!(flags & (NEXT_ATTEMPT_NAN | NEXT_ATTEMPT_NONE))) this.float(next);
    if (!same) {
      this.varint(attempts);
      this.bytes[this.at++] = outcome;
      this.varint(reason);
    }
    s.prevEnd = end;
    s.attempts = attempts;
    s.outcome = outcome;
    s.reason = reason;
    this.used[chunk] = this.at;
    this.total += this.at - from;
    this.count++;
  }

  /**
   * The records overlapping [from, to), in time order: decoding starts at the checkpoint before
   * the first of them (ends only grow), so a read of the latest hours never decodes the session.
   */
  overlapping(from: number, to: number, visit: (gap: Gap) => void): void {
    const checkpoints = this.checkpoints;
    let lo = 0;
    let hi = checkpoints.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (checkpoints[mid]!.prevEnd <= from) lo = mid + 1;
      else hi = mid;
    }
    this.read(Math.max(0, lo - 1) * CHECKPOINT_EVERY, this.count, (gap) => {
      if (gap.start >= to) return false;
      if (gap.end > from) visit(gap);
      return true;
    });
  }

  /** Records [from, to) in time order, each as a new `Gap`; `visit` returning false stops. */
  read(from: number, to: number, visit: (gap: Gap) => unknown): void {
    to = Math.min(to, this.count);
    if (from >= to) return;
    const first = Math.floor(from / CHECKPOINT_EVERY);
    const checkpoint = this.checkpoints[first]!;
    const s: State = { ...checkpoint };
    let chunk = checkpoint.chunk;
    let bytes = this.chunks[chunk]!;
    let data = this.views[chunk]!;
    let at = checkpoint.byte;
    const step = this.stepMs;
    const varint = (): number => {
      let value = 0;
      let scale = 1;
      for (;;) {
        const b = bytes[at++]!;
        value += (b & 127) * scale;
        if (b < 128) return value;
        scale *= 128;
      }
    };
    const float = (): number => {
      const value = data.getFloat64(at, true);
      at += 8;
      return value;
    };
    for (let i = first * CHECKPOINT_EVERY; i < to; i++) {
      if (at >= this.used[chunk]!) {
        chunk++;
        bytes = this.chunks[chunk]!;
        data = this.views[chunk]!;
        at = 0;
      }
      const flags = bytes[at++]!;
      let start: number;
      let end: number;
      if (flags & ON_GRID) {
        start = s.prevEnd + varint() * step;
        end = start + varint() * step;
      } else {
        start = float();
        end = float();
      }
      const expected = flags & EXPECTED_IS_LENGTH ? (end - start) / step : varint();
      const filled = flags & NONE_FILLED ? 0 : varint();
      const pendingFrom = flags & PENDING_FROM_END ? end : float();
      const nextAttemptAt =
        flags & NEXT_ATTEMPT_NAN ? Number.NaN : flags & NEXT_ATTEMPT_NONE ? -Infinity : float();
      if (!(flags & SAME_STATE)) {
        s.attempts = varint();
        s.outcome = bytes[at++]!;
        s.reason = varint();
      }
      s.prevEnd = end;
      if (i < from) continue;
      const more = visit({
        symbol: this.symbol,
        interval: this.interval,
        start,
        end,
        expected,
        filled,
        attempts: s.attempts,
        pendingFrom,
        outcome: outcomeName(s.outcome),
        nextAttemptAt,
        lastError: s.reason === 0 ? undefined : this.reasons[s.reason - 1],
      });
      if (more === false) return;
    }
  }

  /** Index of `reason` plus one (0 for none); each reason is stored once. */
  private indexOf(reason: string | undefined): number {
    if (reason === undefined) return 0;
    let r = this.reasonIndex.get(reason);
    if (r === undefined) {
      r = this.reasons.push(reason);
      this.reasonIndex.set(reason, r);
    }
    return r;
  }

  private varint(value: number): void {
    const bytes = this.bytes;
    while (value >= 128) {
      bytes[this.at++] = (value % 128) | 128;
      value = Math.floor(value / 128);
    }
    bytes[this.at++] = value;
  }

  private float(value: number): void {
    this.data.setFloat64(this.at, value, true);
    this.at += 8;
  }

  private nextChunk(): void {
    this.bytes = new Uint8Array(CHUNK_BYTES);
    this.data = new DataView(this.bytes.buffer);
    this.chunks.push(this.bytes);
    this.views.push(this.data);
    this.used.push(0);
    this.at = 0;
  }
}

/** A whole number of slots, written as a varint. */
function isCount(x: number): boolean {
  return Number.isSafeInteger(x) && x >= 0;
}
