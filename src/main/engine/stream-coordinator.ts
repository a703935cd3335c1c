/**
 * The stream coordinator (the seed plan's BacktestStreamCoordinator): merges every registered
 * stream into one chronological stream on availability time, and is the only place the
 * backtest clock advances (docs/design.md §1, §5).
 */
import type { StreamCursor } from '../../shared/stream-cursor';
import type { StreamType } from '../../shared/stream-types';
import { BacktestClock, type ClockReader } from './backtest-clock';
import { TaskRunner, type CooperativeTask } from './cooperative-tasks';
import type { ColumnStore } from './column-store';
import { EventBatch, KIND_BAR, KIND_OF, type BatchConsumer, type StreamInfo } from './event-batch';
import { LoserTree, MAX_REGISTRATIONS } from './loser-tree';
import { calendarFor } from '../../shared/market/calendars';
import type { MarketHours } from '../../shared/market/market-hours';
import { Pacer } from './pacer';
import { formatQueueStats, type QueueStat } from './queue-stats';
import type { SessionData } from './session-data';
import { StreamQueue } from './stream-queue';
import { StreamSlot } from './stream-slot';
import type { SystemManager } from './system-manager';
import { systemWallClock, type WallClock } from './wall-clock';

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

  /**
   * Live mode: how long after an item's availability the merge waits for a silent stream
   * before it emits the item anyway (the watermark is wall time minus this). An item that
   * arrives after the merge has passed its place is emitted as late and counted.
   */
  allowedLatenessMs?: number;
}

/** Live mode's default allowed lateness: a closed 1s kline reaches a client within this. */
export const DEFAULT_ALLOWED_LATENESS_MS = 2000;

export type RunOutcome = 'completed' | 'stopped';

export class CoordinatorError extends Error {
  override name = 'CoordinatorError';
}

/** Unpaced runs yield to the event loop this often, so loaders refill and pause is heard. */
export const YIELD_EVERY = 32_768;

type PumpEnd = 'done' | 'limit' | 'until' | 'interrupted';
const STEP_SLEEP = 1;
const STEP_YIELD = 2;
const STEP_STARVED = 3;
const STEP_TASK = 4;
type Step = typeof STEP_SLEEP | typeof STEP_YIELD | typeof STEP_STARVED | typeof STEP_TASK;

export class StreamCoordinator {
  readonly clock: ClockReader;
  private readonly advanceClock: (t: number) => void;
  private readonly system: SystemManager;
  private readonly sessionData: SessionData;
  private readonly wall: WallClock;
  private readonly pacer: Pacer;
  private readonly tree = new LoserTree();
  /**
   * Unpaced runs yield to the event loop after this many items. A replay run in the
   * background (a spare checkpoint) yields more often, so the thread it shares answers
   * requests meanwhile; where it yields changes nothing it emits.
   */
  yieldEvery = YIELD_EVERY;
  /**
   * Wall time (ms) at most between two turns of the event loop, for a host that must answer
   * while a replay runs flat out (the app's Pause, its frames and requests). Upkeep cycles end
   * the merge's calls every few thousand items, before `yieldEvery` is reached, so without it
   * 50 symbols of 1s bars kept the loop waiting up to 1.3 s. Headless runs leave it infinite:
   * turning the loop lets the stream queues fill to their bound and the collector run its
   * tasks, which costs them about a tenth of their speed (docs/long-sessions.md).
   */
  yieldMs = Number.POSITIVE_INFINITY;
  /** When (wall time) the merge last gave the event loop a turn. */
  private turnAt = Number.NEGATIVE_INFINITY;
  private readonly slots: StreamSlot[] = [];
  private readonly byKey = new Map<string, StreamSlot>();
  private readonly starved = new Set<StreamSlot>();
  private readonly consumers = new Set<BatchConsumer>();
  private readonly out: EventBatch;
  /** Session-data store per stream id, shared with the batch. */
  private readonly stores: ColumnStore[] = [];
  /** Slots with an uncommitted run since the last flush. */
  private readonly running: StreamSlot[] = [];
  private readonly streamInfos: StreamInfo[] = [];
  private registrations = 0;
  private driver: Promise<RunOutcome> | null = null;
  private pumping = false;
  /** Who waits for the pump under way to end (see `idle`). */
  private idleWaiters: (() => void)[] = [];
  private sleepAbort = new AbortController();
  private finishedValue = false;
  /** Set when the system leaves the running state, so the merge loop need not ask per item. */
  private interrupted = false;
  /** How long the merge asked to sleep before its next item. */
  private sleepFor = 0;
  /** The availability time of the item a pacing sleep waits for; null when not sleeping. */
  private sleepingForItem: number | null = null;
  private readonly tasks: TaskRunner;
  /** Availability of the item that triggered the pending task cycles. */
  private taskTrigger = 0;
  /** Resolves when the system stops (live feeds race it, so Stop never waits for data). */
  private readonly stopped: Promise<void>;
  private readonly lateness: number;
  /** Live mode: the newest availability emitted; an item emitted before it is late. */
  private frontier = -Infinity;
  /** Live mode: when the merge's next item is due although a stream is silent. */
  private liveWaitUntil = Infinity;

  readonly counts = { bars: 0, quotes: 0, ticks: 0 };

  constructor(private readonly options: CoordinatorOptions) {
    this.system = options.system;
    this.sessionData = options.sessionData;
    this.wall = options.wall ?? systemWallClock;
    this.lateness = options.allowedLatenessMs ?? DEFAULT_ALLOWED_LATENESS_MS;
    if (!(this.lateness >= 0) || !Number.isFinite(this.lateness)) {
      throw new CoordinatorError(
        `allowedLatenessMs must be a finite number >= 0 (got ${this.lateness}).`,
      );
    }
    if (this.system.mode === 'live') {
      this.clock = BacktestClock.live(this.wall);
      this.advanceClock = () => undefined;
    } else {
      const { clock, advance } = BacktestClock.backtest(options.startClock ?? -Infinity);
      this.clock = clock;
      this.advanceClock = advance;
    }
    this.pacer = new Pacer(this.wall, options.marketHours ?? calendarFor('XNYS'), options.speed);
    this.out = new EventBatch(options.batchSize ?? 4096, this.stores);
    this.tasks = new TaskRunner(this.system.mode === 'live' ? this.wall : null);
    this.stopped = new Promise((resolve) => {
      const off = this.system.onChange((state) => {
        if (state !== 'stopped') return;
        off();
        resolve();
      });
    });
    // A pause, stop or speed change must not wait out a long pacing sleep.
    this.system.onChange((state) => {
      if (state !== 'running') this.interrupted = true;
      this.interruptSleep();
    });
  }

  get finished(): boolean {
    return this.finishedValue;
  }

  /** Items emitted so far (the next item's sequence number). */
  get emitted(): number {
    return this.out.firstSeq + this.out.length;
  }

  get speed(): number {
    return this.pacer.speed;
  }

  get streams(): readonly StreamInfo[] {
    return this.streamInfos;
  }

  get staleSkipped(): number {
    let n = 0;
    for (const slot of this.slots) n += slot.staleSkipped;
    return n;
  }

  /** Live mode: items emitted after the merge had passed their place, in all. */
  get late(): number {
    let n = 0;
    for (const slot of this.slots) n += slot.late;
    return n;
  }

  /** Live mode: late items per symbol (every symbol that has a stream, late or not). */
  lateBySymbol(): Record<string, number> {
    const late: Record<string, number> = {};
    for (const slot of this.slots) {
      const symbol = slot.info.symbol;
      late[symbol] = (late[symbol] ?? 0) + slot.late;
    }
    return late;
  }

  /** Registers a stream. Refuses a duplicate, and a second bar stream for a symbol. */
  register(cursor: StreamCursor): StreamInfo {
    const key = streamKey(cursor.symbol, cursor.type);
    if (this.byKey.has(key)) {
      throw new CoordinatorError(`Stream ${cursor.symbol} ${cursor.type} is already registered.`);
    }
    if (this.registrations >= MAX_REGISTRATIONS) {
      throw new CoordinatorError(`At most ${MAX_REGISTRATIONS} stream registrations per session.`);
    }
    const isBar = cursor.type === 'bars';
    const symbolData = isBar
      ? this.sessionData.setBaseInterval(cursor.symbol, cursor.interval ?? '1m')
      : this.sessionData.ensureSymbol(cursor.symbol);
    const store = isBar
      ? symbolData.bars_base
      : cursor.type === 'quotes'
        ? symbolData.quotes
        : symbolData.ticks;
    const days = this.sessionData.heldDays;
    if (isBar && days !== null) {
      if (cursor.largestDayRows) {
        // The held days, and the part of the next one taken in before the hourly release.
        const rows = Math.ceil(cursor.largestDayRows * (days + 0.25));
        store.reserve(store.length + Math.min(rows, cursor.totalRows ?? rows));
      }
    } else if (cursor.totalRows !== undefined) {
      store.reserve(store.length + cursor.totalRows);
    }
    const id = this.slots.length;
    const queue = new StreamQueue(cursor, this.options.maxQueueSize);
    // A bounded session keeps slabs' prints for the days it will release (released-bars.ts).
    const prints = isBar && days !== null ? symbolData.released.streamed : null;
    const slot = new StreamSlot(id, queue, store, KIND_OF[cursor.type], prints);
    this.slots.push(slot);
    this.stores.push(store);
    this.streamInfos.push(slot.info);
    this.byKey.set(key, slot);
    this.tree.ensureSlots(this.slots.length);
    this.tree.setTieBreak(id, isBar ? 0 : 1, this.registrations++);
    this.starved.add(slot);
    if (this.driver || this.system.isPaused()) queue.startLoading();
    return slot.info;
  }

  /** Drops the stream's pending items and releases it; everything else carries on. */
  async deregister(symbol: string, type: StreamType): Promise<void> {
    const key = streamKey(symbol, type);
    const slot = this.byKey.get(key);
    if (!slot) throw new CoordinatorError(`Stream ${symbol} ${type} is not registered.`);
    this.byKey.delete(key);
    this.tree.leave(slot.id);
    this.starved.delete(slot);
    slot.drop();
    await slot.queue.close();
  }

  /** Adds a task: on backtest time between items, or in live mode on wall time. */
  addTask(task: CooperativeTask): void {
    this.tasks.add(task);
  }

  /**
   * Adds a batch consumer. An item's values are read from its store by row (`EventBatch.value`
   * or the store's columns): the runs were copied there before the consumer is called, and a
   * copy into batch order cost the merge more than the reads by row (docs/strategies.md).
   */
  subscribe(consumer: BatchConsumer): () => void {
    this.consumers.add(consumer);
    return () => this.consumers.delete(consumer);
  }

  /**
   * Before the first item the clock holds only the session's nominal start (the exchange's
   * midnight of start_date): pacing starts at the first item instead, so a 24x7 day whose data
   * begins at 23:00 UTC does not wait 19 hours at 1x for nothing.
   */
  private anchorPacer(): void {
    this.pacer.anchor(this.emitted > 0 ? this.clock.now() : Number.NaN);
  }

  /** The item a paced run is sleeping until (its availability time), or null. */
  get waitingFor(): number | null {
    return this.sleepingForItem;
  }

  /** Runs until every stream is drained (`completed`) or stop() is called (`stopped`). */
  start(): Promise<RunOutcome> {
    if (this.driver) throw new CoordinatorError('The session has already started.');
    this.startLoaders();
    if (!this.system.isPaused()) this.system.setState('running');
    this.anchorPacer();
    this.tasks.startLive();
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
    this.anchorPacer();
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
    return [...this.byKey.values()].map((slot) => slot.stats());
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
    this.anchorPacer();
    if (end === 'done') {
      await this.tasks.finish(this.clock.now());
      this.finish();
    }
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
        if (state === 'stopped') {
          await this.tasks.finish(this.clock.now());
          return 'stopped';
        }
        if (state === 'paused') {
          await this.system.nextChange();
          this.anchorPacer();
          continue;
        }
        const end = await this.pump(Infinity, Infinity, true);
        if (end === 'done') {
          await this.tasks.finish(this.clock.now());
          this.finish();
          return 'completed';
        }
      }
    } catch (error) {
      this.tasks.abortLive();
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
   * Emits up to `limit` items available at or before `until`. `running` means the caller is
   * the driver: it paces, and it stops as soon as the system leaves the running state.
   */
  /**
   * Resolves once no pump is under way. After a pause the driver leaves its pump at its next
   * await (a pacing sleep pause already cut short, a yield, a loader read): a manual step or
   * seek waits for that here instead of being refused.
   */
  idle(): Promise<void> {
    if (!this.pumping) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** True while a pump is under way (a step or seek started now would be refused). */
  get advancing(): boolean {
    return this.pumping;
  }

  private async pump(limit: number, until: number, running: boolean): Promise<PumpEnd> {
    if (this.pumping) throw new CoordinatorError('The coordinator is already advancing.');
    this.pumping = true;
    try {
      return await this.merge(limit, until, running);
    } finally {
      this.flush();
      this.pumping = false;
      const waiters = this.idleWaiters;
      if (waiters.length > 0) {
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    }
  }

  private async merge(limit: number, until: number, running: boolean): Promise<PumpEnd> {
    const live = this.system.mode === 'live';
    const budget = { emitted: 0 };
    this.interrupted = running && !this.system.isRunning();
    for (;;) {
      if (this.interrupted) return 'interrupted';
      if (this.starved.size > 0) {
        this.flush();
        if (live) {
          // A silent live stream waits aside: the watermark decides what may go before it.
          this.admitArrived();
        } else {
          await this.feedStarved();
          continue;
        }
      }
      if (!this.tasks.begunOrIdle) this.beginTasks();
      const paced = running && !live && this.pacer.speed !== 0;
      // The app's bound on the loop's wait, checked between the merge's calls (each a few
      // thousand items at most), never inside its loop.
      const turnDue = this.yieldMs !== Infinity && this.wall.now() - this.turnAt >= this.yieldMs;
      const step = turnDue ? STEP_YIELD : this.mergeSync(limit, until, paced, live, budget);
      if (step === STEP_SLEEP) {
        this.flush();
        try {
          await this.wall.sleep(this.sleepFor, this.sleepAbort.signal);
        } finally {
          this.sleepingForItem = null;
        }
      } else if (step === STEP_YIELD) {
        this.flush();
        await yieldToLoop();
        this.turnAt = this.wall.now();
      } else if (step === STEP_TASK) {
        this.flush();
        const pending = this.tasks.runDueNow(this.taskTrigger);
        if (pending) await pending;
      } else if (step === STEP_STARVED) {
        if (live) {
          this.flush();
          await this.waitLive();
        }
      } else {
        return step;
      }
    }
  }

  /**
   * The hot loop, kept synchronous so its locals stay in registers (an async function keeps
   * them in its generator). It returns whenever it must wait, or is done.
   */
  private mergeSync(
    limit: number,
    until: number,
    paced: boolean,
    live: boolean,
    budget: { emitted: number },
  ): PumpEnd | Step {
    const tree = this.tree;
    const times = tree.time;
    const slots = this.slots;
    const out = this.out;
    const capacity = out.capacity;
    const running = this.running;
    const yieldEvery = this.yieldEvery;
    let emitted = budget.emitted;
    // The unary plus types the value as a number for the optimizer, which cannot see into the
    // clock's call: without it `clock` stays a tagged value, and every `clock = available`
    // below allocated a heap number (16 bytes an event, a young-generation collection every
    // million events or so).
    let clock = +this.clock.now();
    let n = out.length;
    // Live: items at or before the watermark go out even while a stream is silent.
    let watermark = live ? this.wall.now() - this.lateness : Infinity;
    try {
      for (let sinceYield = 0; ;) {
        if (this.interrupted) return 'interrupted';
        if (emitted >= limit) return 'limit';
        const starved = this.starved.size > 0;
        if (starved && !live) return STEP_STARVED;
        const s = tree.winner();
        if (s < 0) {
          if (!starved) return 'done';
          this.liveWaitUntil = Infinity;
          return STEP_STARVED;
        }
        const slot = slots[s]!;
        const available = times[s]!;
        if (available > until) return 'until';
        if (starved && available > watermark) {
          watermark = this.wall.now() - this.lateness;
          if (available > watermark) {
            this.liveWaitUntil = available + this.lateness;
            return STEP_STARVED;
          }
        }
        if (!live && available < clock) {
          // A run must stay contiguous: copy what precedes the skipped item first.
          slot.commitRun();
          slot.staleSkipped++;
          this.next(slot);
          continue;
        }
        if (available > this.tasks.nextAt) {
          this.taskTrigger = available;
          return STEP_TASK;
        }
        if (paced) {
          const wait = this.pacer.dueAt(available) - this.wall.now();
          if (wait > 0) {
            this.sleepFor = wait;
            this.sleepingForItem = available;
            return STEP_SLEEP;
          }
        }
        if (++sinceYield >= yieldEvery) return STEP_YIELD;

        if (live) {
          clock = this.clock.now();
          if (available < this.frontier) slot.late++;
          else this.frontier = available;
        } else {
          clock = available;
        }
        const row = slot.row;
        let storeRow: number;
        if (slot.runStart < 0) {
          storeRow = slot.startRun();
          running.push(slot);
        } else {
          storeRow = slot.runStoreRow + (row - slot.runStart);
        }
        out.stream[n] = s;
        out.kind[n] = slot.kind;
        out.timestamp[n] = slot.ts[row]!;
        out.available[n] = available;
        out.clock[n] = clock;
        out.row[n] = storeRow;
        slot.emitted++;
        emitted++;
        // Advance before any flush: a flush commits runs up to each slot's head.
        this.next(slot);
        if (++n === capacity) {
          out.length = n;
          this.advanceClock(clock);
          this.flush();
          n = 0;
        }
      }
    } finally {
      out.length = n;
      budget.emitted = emitted;
      // Consumers look at the clock only during a flush or after the merge returns, so it is
      // moved then rather than once per item.
      this.advanceClock(clock);
    }
  }

  /** Moves the winning slot past its head and replays its match (or retires it). */
  private next(slot: StreamSlot): void {
    if (++slot.row < slot.end || slot.takeChunk()) {
      this.tree.replayWinner(slot.ts[slot.row]! + slot.offset);
    } else {
      this.tree.retireWinner();
      if (slot.queue.starved) this.starved.add(slot);
    }
  }

  /** Waits for every starved stream to get data or end; the merge cannot pick before then. */
  private async feedStarved(): Promise<void> {
    const waiting = [...this.starved];
    for (const slot of waiting) slot.queue.startLoading();
    const arrived = Promise.all(waiting.map((slot) => slot.queue.whenArrived()));
    // A live feed may stay silent for as long as it likes: Stop must not wait for it.
    await (this.system.mode === 'live' ? Promise.race([arrived, this.stopped]) : arrived);
    if (this.system.isStopped()) return;
    for (const slot of waiting) {
      const queue = slot.queue;
      if (queue.error) throw queue.error;
      if (queue.starved) continue;
      this.starved.delete(slot);
      if (!queue.closed && slot.takeChunk()) this.tree.enter(slot.id, slot.ts[0]! + slot.offset);
    }
  }

  /** Live mode: puts every starved stream that got data (or ended) back in the merge. */
  private admitArrived(): void {
    for (const slot of this.starved) {
      const queue = slot.queue;
      queue.startLoading();
      if (queue.error) throw queue.error;
      if (queue.starved) continue;
      this.starved.delete(slot);
      if (!queue.closed && slot.takeChunk()) this.tree.enter(slot.id, slot.ts[0]! + slot.offset);
    }
  }

  /**
   * Live mode: waits for a silent stream to speak, for the watermark to pass the next item,
   * for a stop, or for a pause; whichever comes first.
   */
  private async waitLive(): Promise<void> {
    const signal = this.sleepAbort.signal;
    const wakes: Array<Promise<unknown>> = [this.stopped, whenAborted(signal)];
    for (const slot of this.starved) wakes.push(slot.queue.whenArrived());
    if (Number.isFinite(this.liveWaitUntil)) {
      wakes.push(this.wall.sleep(Math.max(0, this.liveWaitUntil - this.wall.now()), signal));
    }
    await Promise.race(wakes);
    // Ends the sleep that lost the race, so no timer or listener outlives the wait.
    this.interruptSleep();
  }

  private flush(): void {
    // Session data gets every emitted run before any consumer looks at it.
    const running = this.running;
    for (let i = 0; i < running.length; i++) running[i]!.commitRun();
    running.length = 0;
    const out = this.out;
    if (out.length === 0) return;
    const kinds = out.kind;
    for (let i = 0; i < out.length; i++) {
      const k = kinds[i];
      if (k === 0) this.counts.bars++;
      else if (k === 1) this.counts.quotes++;
      else this.counts.ticks++;
    }
    for (const consumer of this.consumers) consumer(out, this.streamInfos);
    out.firstSeq += out.length;
    out.length = 0;
    this.tasks.update();
    for (const slot of this.byKey.values()) {
      if (slot.kind === KIND_BAR && slot.emitted > 0) {
        this.sessionData.getSymbolData(slot.info.symbol)!.bars_updated = true;
      }
    }
  }

  /** Tells tasks when the session's first item is, so their first cycle is due in time. */
  private beginTasks(): void {
    const s = this.tree.winner();
    if (s < 0) return;
    const slot = this.slots[s]!;
    this.tasks.begin(this.tree.time[s]!, slot.ts[slot.row]!);
  }

  private interruptSleep(): void {
    this.sleepAbort.abort();
    this.sleepAbort = new AbortController();
  }
}

function streamKey(symbol: string, type: StreamType): string {
  return `${symbol}|${type}`;
}

function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
