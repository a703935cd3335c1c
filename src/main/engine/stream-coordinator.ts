/**
 * The stream coordinator (the seed plan's BacktestStreamCoordinator): merges every registered
 * stream into one chronological stream on availability time, and is the only place the
 * backtest clock advances (decisions §1, §5).
 */
import type { StreamCursor } from '../../shared/stream-cursor';
import type { StreamType } from '../../shared/stream-types';
import { BacktestClock, type ClockReader } from './backtest-clock';
import type { ColumnStore } from './column-store';
import { EventBatch, KIND_OF, type BatchConsumer, type StreamInfo } from './event-batch';
import { WeekdayMarketHours, type MarketHours } from './market-hours';
import { MergeHeap } from './merge-heap';
import { Pacer } from './pacer';
import type { SessionData } from './session-data';
import { StreamQueue } from './stream-queue';
import type { SystemManager } from './system-manager';
import { systemWallClock, type WallClock } from './wall-clock';
import { formatQueueStats, type QueueStat } from './queue-stats';

export interface CoordinatorOptions {
  system: SystemManager;
  sessionData: SessionData;
  /** Items buffered per stream. */
  maxQueueSize: number;
  /** 0 = as fast as possible. */
  speed: number;
  /** Backtest clock before the first item (epoch ms). */
  startClock?: number;
  wall?: WallClock;
  marketHours?: MarketHours;
  /** Items per batch handed to consumers. */
  batchSize?: number;
}

export type RunOutcome = 'completed' | 'stopped';

export class CoordinatorError extends Error {
  override name = 'CoordinatorError';
}

/** Unpaced runs yield to the event loop this often, so loaders refill and pause is heard. */
const YIELD_EVERY = 32_768;

interface Slot {
  queue: StreamQueue;
  info: StreamInfo;
  store: ColumnStore;
  kind: number;
  isBar: boolean;
}

type PumpEnd = 'done' | 'limit' | 'until' | 'interrupted';

export class StreamCoordinator {
  readonly clock: ClockReader;
  private readonly advanceClock: (t: number) => void;
  private readonly system: SystemManager;
  private readonly sessionData: SessionData;
  private readonly wall: WallClock;
  private readonly pacer: Pacer;
  private readonly heap = new MergeHeap();
  private readonly slots: Slot[] = [];
  private readonly byKey = new Map<string, Slot>();
  private readonly starved = new Set<Slot>();
  private readonly consumers = new Set<BatchConsumer>();
  private readonly out: EventBatch;
  private readonly streamInfos: StreamInfo[] = [];
  private registrations = 0;
  private seq = 0;
  private driver: Promise<RunOutcome> | null = null;
  private pumping = false;
  private sleepAbort = new AbortController();
  private finishedValue = false;

  readonly counts = { bars: 0, quotes: 0, ticks: 0 };

  constructor(private readonly options: CoordinatorOptions) {
    this.system = options.system;
    this.sessionData = options.sessionData;
    this.wall = options.wall ?? systemWallClock;
    if (this.system.mode === 'live') {
      this.clock = BacktestClock.live(this.wall);
      this.advanceClock = () => undefined;
    } else {
      const { clock, advance } = BacktestClock.backtest(options.startClock ?? -Infinity);
      this.clock = clock;
      this.advanceClock = advance;
    }
    this.pacer = new Pacer(this.wall, options.marketHours ?? new WeekdayMarketHours(), options.speed);
    this.out = new EventBatch(options.batchSize ?? 4096);
    // A pause, stop or speed change must not wait out a long pacing sleep.
    this.system.onChange(() => this.interruptSleep());
  }

  get finished(): boolean {
    return this.finishedValue;
  }

  get emitted(): number {
    return this.seq;
  }

  get speed(): number {
    return this.pacer.speed;
  }

  get streams(): readonly StreamInfo[] {
    return this.streamInfos;
  }

  get staleSkipped(): number {
    let n = 0;
    for (const slot of this.slots) n += slot.queue.staleSkipped;
    return n;
  }

  /** Registers a stream. Refuses a duplicate, and a second bar stream for a symbol. */
  register(cursor: StreamCursor): StreamInfo {
    const key = streamKey(cursor.symbol, cursor.type);
    if (this.byKey.has(key)) {
      throw new CoordinatorError(`Stream ${cursor.symbol} ${cursor.type} is already registered.`);
    }
    const symbolData =
      cursor.type === 'bars'
        ? this.sessionData.setBaseInterval(cursor.symbol, cursor.interval ?? '1m')
        : this.sessionData.ensureSymbol(cursor.symbol);
    const id = this.slots.length;
    const queue = new StreamQueue(id, cursor, this.options.maxQueueSize);
    const info: StreamInfo = { id, symbol: queue.symbol, type: queue.type, interval: queue.interval };
    const store =
      cursor.type === 'bars'
        ? symbolData.bars_base
        : cursor.type === 'quotes'
          ? symbolData.quotes
          : symbolData.ticks;
    if (cursor.totalRows !== undefined) store.reserve(store.length + cursor.totalRows);
    const slot: Slot = { queue, info, store, kind: KIND_OF[cursor.type], isBar: cursor.type === 'bars' };
    this.slots.push(slot);
    this.streamInfos.push(info);
    this.byKey.set(key, slot);
    this.heap.ensureSlots(this.slots.length);
    this.heap.rank[id] = slot.isBar ? 0 : 1;
    this.heap.seq[id] = this.registrations++;
    this.starved.add(slot);
    if (this.driver || this.system.isPaused()) queue.startLoading();
    return info;
  }

  /** Drops the stream's pending items and releases it; everything else carries on. */
  async deregister(symbol: string, type: StreamType): Promise<void> {
    const key = streamKey(symbol, type);
    const slot = this.byKey.get(key);
    if (!slot) throw new CoordinatorError(`Stream ${symbol} ${type} is not registered.`);
    this.byKey.delete(key);
    this.heap.remove(slot.info.id);
    this.starved.delete(slot);
    await slot.queue.close();
  }

  subscribe(consumer: BatchConsumer): () => void {
    this.consumers.add(consumer);
    return () => this.consumers.delete(consumer);
  }

  /** Runs until every stream is drained (`completed`) or stop() is called (`stopped`). */
  start(): Promise<RunOutcome> {
    if (this.driver) throw new CoordinatorError('The session has already started.');
    this.startLoaders();
    if (!this.system.isPaused()) this.system.setState('running');
    this.pacer.anchor(this.clock.now());
    this.driver = this.drive();
    return this.driver;
  }

  pause(): void {
    if (this.system.isRunning()) this.system.setState('paused');
  }

  resume(): void {
    if (this.system.isPaused()) this.system.setState('running');
  }

  async stop(): Promise<void> {
    this.system.setState('stopped');
    await this.driver?.catch(() => undefined);
    await this.release();
  }

  setSpeed(speed: number): void {
    if (!(speed >= 0) || !Number.isFinite(speed)) {
      throw new CoordinatorError(`Speed must be a finite number >= 0 (got ${speed}).`);
    }
    this.pacer.setSpeed(speed);
    this.pacer.anchor(this.clock.now());
    this.interruptSleep();
  }

  /** While paused, emits exactly one item (stale items on the way are skipped, not counted). */
  async step(): Promise<boolean> {
    this.requirePaused('step');
    const end = await this.manual(() => this.pump(1, Infinity, false));
    return end !== 'done';
  }

  /** While paused, runs as fast as possible through every item available at or before `t`. */
  async runUntil(t: number): Promise<void> {
    this.requirePaused('runUntil');
    await this.manual(() => this.pump(Infinity, t, false));
  }

  getQueueStats(): QueueStat[] {
    return [...this.byKey.values()].map(({ queue }) => ({
      symbol: queue.symbol,
      type: queue.type,
      interval: queue.interval,
      ...queue.span(),
      emitted: queue.emitted,
      stale_skipped: queue.staleSkipped,
      exhausted: queue.exhausted,
    }));
  }

  formatQueueStats(): string {
    return formatQueueStats(this.getQueueStats());
  }

  private requirePaused(what: string): void {
    if (!this.system.isPaused()) {
      throw new CoordinatorError(`${what}() needs a paused session (state: ${this.system.state}).`);
    }
  }

  private async manual(run: () => Promise<PumpEnd>): Promise<PumpEnd> {
    this.startLoaders();
    const end = await run();
    this.pacer.anchor(this.clock.now());
    if (end === 'done') this.finish();
    return end;
  }

  private startLoaders(): void {
    for (const slot of this.byKey.values()) slot.queue.startLoading();
  }

  private async drive(): Promise<RunOutcome> {
    try {
      for (;;) {
        if (this.finishedValue) return 'completed';
        const state = this.system.state;
        if (state === 'stopped') return 'stopped';
        if (state === 'paused') {
          await this.system.nextChange();
          this.pacer.anchor(this.clock.now());
          continue;
        }
        const end = await this.pump(Infinity, Infinity, true);
        if (end === 'done') {
          this.finish();
          return 'completed';
        }
      }
    } catch (error) {
      this.system.setState('stopped');
      await this.release();
      throw error;
    }
  }

  private finish(): void {
    if (this.finishedValue) return;
    this.finishedValue = true;
    this.system.setState('stopped');
    void this.release();
  }

  private async release(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.queue.close()));
  }

  /**
   * The merge loop. Emits up to `limit` items available at or before `until`. `running` means
   * it is the driver: it paces, and it stops as soon as the system leaves the running state.
   */
  private async pump(limit: number, until: number, running: boolean): Promise<PumpEnd> {
    if (this.pumping) throw new CoordinatorError('The coordinator is already advancing.');
    this.pumping = true;
    try {
      return await this.merge(limit, until, running);
    } finally {
      this.flush();
      this.pumping = false;
    }
  }

  private async merge(limit: number, until: number, running: boolean): Promise<PumpEnd> {
    const heap = this.heap;
    const out = this.out;
    const live = this.system.mode === 'live';
    const paced = running && !live;
    let emitted = 0;
    let sinceYield = 0;
    for (;;) {
      if (running && !this.system.isRunning()) return 'interrupted';
      if (emitted >= limit) return 'limit';
      if (this.starved.size > 0) {
        this.flush();
        await this.feedStarved();
        continue;
      }
      const s = heap.peek();
      if (s < 0) return 'done';
      const slot = this.slots[s]!;
      const queue = slot.queue;
      const available = heap.time[s]!;
      if (available > until) return 'until';
      if (!live && available < this.clock.now()) {
        queue.staleSkipped++;
        this.next(slot);
        continue;
      }
      if (paced) {
        const due = this.pacer.dueAt(available);
        const wait = due - this.wall.now();
        if (wait > 0) {
          this.flush();
          await this.wall.sleep(wait, this.sleepAbort.signal);
          continue;
        }
        if (++sinceYield >= YIELD_EVERY) {
          sinceYield = 0;
          this.flush();
          await yieldToLoop();
          continue;
        }
      } else if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        this.flush();
        await yieldToLoop();
        continue;
      }

      // Emit the head item.
      this.advanceClock(available);
      const chunk = queue.head!;
      const row = queue.headRow;
      const timestamp = chunk.timestamp[row]!;
      const values = chunk.values;
      slot.store.appendFrom(timestamp, values, row);
      const n = out.length;
      out.stream[n] = s;
      out.kind[n] = slot.kind;
      out.timestamp[n] = timestamp;
      out.available[n] = available;
      out.clock[n] = this.clock.now();
      const outValues = out.values;
      for (let j = 0; j < values.length; j++) outValues[j]![n] = values[j]![row]!;
      out.length = n + 1;
      queue.emitted++;
      emitted++;
      this.seq++;
      if (out.length === out.capacity) this.flush();
      this.next(slot);
    }
  }

  /** Moves a slot past its head and puts it back in order (or parks it until data arrives). */
  private next(slot: Slot): void {
    const queue = slot.queue;
    if (queue.advance()) {
      this.heap.updateTop(queue.headAvailable);
    } else {
      this.heap.remove(slot.info.id);
      if (queue.starved) this.starved.add(slot);
    }
  }

  /** Waits for every starved stream to get data or end; the merge cannot pick before then. */
  private async feedStarved(): Promise<void> {
    const waiting = [...this.starved];
    for (const slot of waiting) slot.queue.startLoading();
    await Promise.all(waiting.map((slot) => slot.queue.whenArrived()));
    for (const slot of waiting) {
      const queue = slot.queue;
      if (queue.error) throw queue.error;
      if (queue.starved) continue;
      this.starved.delete(slot);
      if (queue.hasHead && !queue.closed) this.heap.push(slot.info.id, queue.headAvailable);
    }
  }

  private flush(): void {
    const out = this.out;
    if (out.length === 0) return;
    for (let i = 0; i < out.length; i++) {
      const k = out.kind[i];
      if (k === 0) this.counts.bars++;
      else if (k === 1) this.counts.quotes++;
      else this.counts.ticks++;
    }
    for (const consumer of this.consumers) consumer(out, this.streamInfos);
    out.firstSeq += out.length;
    out.length = 0;
    this.markBarsUpdated();
  }

  private markBarsUpdated(): void {
    for (const slot of this.byKey.values()) {
      if (slot.isBar && slot.queue.emitted > 0) {
        this.sessionData.getSymbolData(slot.info.symbol)!.bars_updated = true;
      }
    }
  }

  private interruptSleep(): void {
    this.sleepAbort.abort();
    this.sleepAbort = new AbortController();
  }
}

function streamKey(symbol: string, type: StreamType): string {
  return `${symbol}|${type}`;
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
