/**
 * One replay, as the UI drives it: opened paused (after an optional flat-out run to `startAt`
 * so the history is there at once), then play, pause, step, speed and stop. Control actions
 * run one at a time, in order, so a step never races a play.
 *
 * Step means one base bar: items are emitted until a bar closes, then every item available at
 * that same instant (other symbols' bars closing then, quotes stamped then). The clock thus
 * moves to the next bar close: one base interval of the finest bar stream when its bars are
 * contiguous, further across a gap or the night. Quotes before that close come along on the
 * way. A session with no bar stream steps one item.
 */
import type {
  SessionInfo,
  SessionState,
  SessionStatus,
  SymbolInfo,
} from '../../shared/ipc-contract';
import { intervalMs, isDerivableFrom } from '../../shared/interval';
import { baseIntervalOf, type SessionConfig } from '../../shared/session-config';
import {
  createDataStore,
  createFillSource,
  dataSourceOutside,
  type FillSource,
  type OpenedDataStore,
} from '../host/data-store';
import { openSession, SessionProblems, type Session } from '../host/session-host';
import { liveStatusOf, type FeedSession } from '../host/feed-session';
import { closeLiveFeed, openLiveFeed } from './live-feed';
import { attachStrategy, prepareStrategy } from '../host/strategy-session';
import { DeferredTask } from '../engine/strategy/deferred-task';
import { StrategyError } from '../engine/strategy/strategy-error';
import type { StrategyRunner } from '../engine/strategy/strategy-runner';
import { strategyPath } from './strategy-files';
import { KIND_BAR } from '../engine/event-batch';
import { YIELD_EVERY, type StreamCoordinator } from '../engine/stream-coordinator';
import { ApiRequestError } from './api-error';
import { SettledGapNews } from './settled-gap-news';
import { GapLogBatch } from './gap-log';
import { QualityStrips } from './quality-strips';
import { sessionZone } from '../../shared/session-zone';
import type { LogRing } from './log-ring';
import { sessionRange, tradingDays, type SessionRange } from './session-range';
import { RunProgressMeter } from '../../shared/run-progress';

/**
 * The longest a replay keeps the engine's event loop waiting: a Pause, a frame or a request is
 * answered within about this, even flat out on many symbols.
 */
const YIELD_MS = 50;
/** Items a quiet (spare) replay runs between yields: a few milliseconds' work. */
const QUIET_YIELD_EVERY = 1024;

export interface ReplayOptions {
  dataDir: string;
  log: LogRing;
  /** The session changed: new items (coalesced by the caller) or a new state. */
  onChange: (what: 'items' | 'state') => void;
  notes?: string[];
  /**
   * The replay up to begin's start time repeats what the Log already has (going back in a
   * session): its lines are left out, and not even formatted.
   */
  restoring?: boolean;
  /** Live sessions: record into `<dataDir>/parquet` (a replay of the store refuses it). */
  record?: boolean;
}

export class ReplaySession {
  state: SessionState = 'loading';
  error: string | null = null;
  readonly info: SessionInfo;
  private readonly range: SessionRange | null;
  /** Days done, events a second and time left, for a replay of the store (not a live feed). */
  private readonly meter: RunProgressMeter | null;
  private readonly hasBars: boolean;
  private ops: Promise<unknown> = Promise.resolve();
  private driver: Promise<void> | null = null;
  private firstItemAt: number | null = null;
  private closed = false;
  /** Set while a restoring replay runs up to its start time. */
  private restoringNow = false;
  /** A spare replay kept as a checkpoint: its Log lines would repeat the running one's. */
  private quiet = false;
  /** A live session's feed (null for a replay of the store). */
  private live: FeedSession | null = null;

  /** Gaps settled since the last upkeep cycle, logged as one line per cycle. */
  private readonly settledGaps: GapLogBatch;
  /** The quality strips, kept between requests. */
  readonly strips: QualityStrips;

  private constructor(
    readonly session: Session,
    /** The strategy (or, without one, the manual trading) of this replay. */
    readonly runner: StrategyRunner,
    private readonly store: OpenedDataStore,
    private readonly fill: FillSource,
    private readonly options: ReplayOptions,
  ) {
    const { config } = session;
    this.range = sessionRange(config, session.calendarOf);
    this.meter =
      config.mode === 'backtest'
        ? new RunProgressMeter(
            tradingDays(config, session.calendarOf, session.dataRange),
            session.totalRows,
          )
        : null;
    this.hasBars = config.data_streams.some((s) => s.type === 'bars');
    this.info = {
      sessionName: config.session_name,
      mode: config.mode,
      symbols: symbolInfos(config),
      rangeStart: this.range?.start ?? 0,
      rangeEnd: this.range?.end ?? 0,
      notes: options.notes ?? [],
    };
    this.strips = new QualityStrips(session, this.info.rangeStart);
    session.coordinator.yieldMs = YIELD_MS;
    this.settledGaps = new GapLogBatch(sessionZone(this.info.symbols.map((s) => s.calendar)));
    this.watch();
  }

  /** Checks the config's data and opens it; refuses with every problem, half-opening nothing. */
  static async open(config: SessionConfig, options: ReplayOptions): Promise<ReplaySession> {
    if (config.feed) return ReplaySession.openLive(config, options);
    if (options.record) {
      throw new ApiRequestError('The session cannot start', [
        'Recording needs a live session on a feed (mode "live" and a "feed" block)',
      ]);
    }
    const outside = dataSourceOutside(config, options.dataDir);
    if (outside) throw new ApiRequestError('The session cannot start', [outside]);
    const opened = createDataStore(config, options.dataDir, { readerWorker: 'auto' });
    if (!opened.ok) throw new ApiRequestError('The session cannot start', opened.problems);
    const fill = createFillSource(config, options.dataDir);
    try {
      // The strategy is checked first: a bad file or param refuses the session before any data loads.
      const prepared = config.strategy
        ? await prepareStrategy(
            strategyPath(options.dataDir, config.strategy.file),
            config.strategy.params,
          )
        : null;
      const beforeUpkeep = new DeferredTask();
      const session = await openSession(config, opened.store, { fillSource: fill, beforeUpkeep });
      let replay: ReplaySession | null = null;
      const runner = attachStrategy(session, prepared?.loaded ?? null, prepared?.params ?? {}, {
        beforeUpkeep,
        log: (line) => {
          if (!replay?.muted) options.log.info(`strategy: ${line}`);
        },
      });
      replay = new ReplaySession(session, runner, opened.store, fill, options);
      return replay;
    } catch (error) {
      opened.store.close();
      fill.close?.();
      if (error instanceof SessionProblems) {
        throw new ApiRequestError('The session cannot start', error.problems);
      }
      if (error instanceof StrategyError) {
        throw new ApiRequestError('The strategy cannot start', [error.message]);
      }
      throw error;
    }
  }

  /**
   * A live session on the config's feed: connected before it opens (an unknown symbol is
   * refused here), and it begins running. The feed's status changes reach the badge at once.
   */
  private static async openLive(
    config: SessionConfig,
    options: ReplayOptions,
  ): Promise<ReplaySession> {
    const { live, runner, store } = await openLiveFeed(config, options);
    const replay = new ReplaySession(live.session, runner, store, live.feed, options);
    replay.live = live;
    return replay;
  }

  /** Starts the engine paused (a live session running); with `startAt`, first replays to it. */
  async begin(startAt?: number): Promise<void> {
    const { system, coordinator } = this.session;
    if (this.live) {
      this.driver = coordinator.start().then(
        (outcome) => this.settle(outcome === 'completed' ? 'done' : 'stopped'),
        (error: unknown) => this.fail(error),
      );
      this.setState('running');
      return;
    }
    const restoring = this.options.restoring === true && startAt !== undefined;
    for (const [stream, count] of Object.entries(this.session.skipped)) {
      if (!restoring) this.options.log.warn(`Skipped ${count} invalid rows in ${stream}.`);
    }
    system.setState('paused');
    this.driver = coordinator.start().then(
      (outcome) => {
        try {
          this.runner.finish(outcome === 'completed');
        } catch (error) {
          this.fail(error);
          return;
        }
        this.settle(outcome === 'completed' ? 'done' : 'stopped');
      },
      (error: unknown) => this.fail(error),
    );
    if (startAt !== undefined) {
      this.restoringNow = restoring;
      try {
        await this.serial(() => coordinator.runUntil(startAt));
      } catch (error) {
        this.restoringNow = false;
        // Bad data met on the way (a corrupt file, say): the session is over, and says why.
        this.fail(error);
        throw new ApiRequestError(`The session stopped while loading: ${this.error}`);
      }
      this.restoringNow = false;
    }
    if (this.state === 'loading') this.setState('paused');
  }

  play(): Promise<void> {
    return this.serial(async () => {
      if (this.state !== 'paused') return;
      this.session.coordinator.resume();
      this.setState('running');
    });
  }

  pause(): Promise<void> {
    return this.serial(async () => {
      if (this.state !== 'running') return;
      this.session.coordinator.pause();
      this.setState('paused');
    });
  }

  /** One base bar on: of `symbol` when given, else of whichever symbol's bar closes next. */
  step(symbol?: string): Promise<void> {
    const known = this.info.symbols.some((s) => s.symbol === symbol && s.baseInterval);
    if (symbol !== undefined && !known) {
      return Promise.reject(new ApiRequestError(`${symbol} has no bar stream in this session`));
    }
    return this.serial(async () => {
      if (this.state === 'running') {
        this.session.coordinator.pause();
        this.setState('paused');
      }
      if (this.state !== 'paused') return;
      await this.stepBar(symbol);
    });
  }

  /** Cancels an open order (a resting limit or stop, say) by id, paused or playing. */
  cancelOrder(orderId: number): { cancelled: boolean } {
    this.requireTrading('Cancelling an order');
    const cancelled = this.runner.broker.cancel(orderId);
    if (cancelled) this.options.onChange('items');
    return { cancelled };
  }

  private requireTrading(what: string): void {
    if (
      this.state === 'loading' ||
      this.state === 'done' ||
      this.state === 'stopped' ||
      this.state === 'error'
    ) {
      throw new ApiRequestError(
        `${what} needs a replay that is paused or playing (it is ${this.state})`,
      );
    }
  }

  /**
   * Buy, Sell or Flatten by hand, paused or playing: filled by the session's fill model at the
   * last price known now, recorded with source `manual`.
   */
  manualOrder(symbol: string, side: 'buy' | 'sell' | 'flatten', qty?: number) {
    this.requireTrading('Manual orders');
    if (!this.runner.broker.books.has(symbol)) {
      throw new ApiRequestError(`${symbol} is not in this session`);
    }
    const before = this.runner.broker.fills.length;
    let orderId: number | null;
    try {
      if (side === 'flatten') orderId = this.runner.flatten(symbol);
      else {
        if (qty === undefined) throw new ApiRequestError('qty: a Buy or Sell needs a quantity');
        orderId = this.runner.manualOrder(side, symbol, qty);
      }
    } catch (error) {
      if (error instanceof ApiRequestError) throw error;
      throw new ApiRequestError(error instanceof Error ? error.message : String(error));
    }
    this.options.onChange('items');
    return { orderId, fills: this.runner.broker.fills.slice(before) };
  }

  /**
   * Forward to `at` (UTC ms), flat out, and paused there: every item available by then is
   * replayed, so the state is what a replay reaching `at` would hold. Going back is the
   * service's (see SessionService.seek): a fresh session replayed to the earlier time.
   */
  seekForward(at: number): Promise<void> {
    return this.serial(async () => {
      const { coordinator } = this.session;
      if (this.state === 'running') {
        coordinator.pause();
        this.setState('paused');
      }
      if (this.state !== 'paused') return;
      await whenIdle(coordinator, () => coordinator.runUntil(at));
      this.options.onChange('state');
    });
  }

  /**
   * Quiet: nothing goes to the Log (a spare replay kept as a checkpoint, replaying what the
   * running one has already logged). Set before the replay moves, cleared once it is shown.
   */
  /** True for a session on a live feed (it cannot be replayed from a checkpoint). */
  get isLive(): boolean {
    return this.live !== null;
  }

  setQuiet(quiet: boolean): void {
    this.quiet = quiet;
    // A spare replays in the background: it yields often so requests are answered meanwhile.
    this.session.coordinator.yieldEvery = quiet ? QUIET_YIELD_EVERY : YIELD_EVERY;
  }

  private get muted(): boolean {
    return this.quiet || this.restoringNow;
  }

  stop(): Promise<void> {
    return this.serial(async () => {
      if (this.state === 'done' || this.state === 'stopped' || this.state === 'error') return;
      await this.session.coordinator.stop();
      await this.driver;
      // A live session lets go of its connection (and finishes a recording) at Stop.
      if (this.live) await closeLiveFeed(this.live, this.options.log);
      this.setState('stopped');
    });
  }

  setSpeed(speed: number): Promise<void> {
    return this.serial(async () => {
      this.session.coordinator.setSpeed(speed);
      this.options.onChange('state');
    });
  }

  status(): SessionStatus {
    const { coordinator, totalRows } = this.session;
    const events = coordinator.emitted;
    const clock = events > 0 ? coordinator.clock.now() : null;
    let progress: number;
    if (this.state === 'done') progress = 1;
    else if (this.range && clock !== null) {
      const { start, end } = this.range;
      progress = Math.min(1, Math.max(0, (clock - start) / (end - start)));
    } else progress = totalRows > 0 ? Math.min(1, events / totalRows) : 0;
    return {
      state: this.state,
      clock,
      speed: coordinator.speed,
      progress,
      events,
      error: this.error,
      waitingFor: this.state === 'running' ? coordinator.waitingFor : null,
      ...(this.meter ? { run: this.meter.sample(clock, events, performance.now()) } : {}),
      ...(this.live ? { live: liveStatusOf(this.live) } : {}),
    };
  }

  /** Stops the engine if it still runs and lets go of the stores. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.stop().catch(() => undefined);
    this.closed = true;
    this.store.close();
    this.fill.close?.();
    if (this.live) await closeLiveFeed(this.live, this.options.log);
  }

  /** Control actions in order, one at a time; a failure is reported and refused, not kept. */
  private serial<T>(action: () => Promise<T>): Promise<T> {
    const run = this.ops.then(() => {
      if (this.closed) throw new ApiRequestError('The session has been closed');
      return action();
    });
    this.ops = run.catch(() => undefined);
    return run;
  }

  private async stepBar(symbol: string | undefined): Promise<void> {
    const { coordinator } = this.session;
    let sawBar = !this.hasBars;
    const off = coordinator.subscribe((batch, streams) => {
      for (let i = 0; i < batch.length && !sawBar; i++) {
        if (batch.kind[i] !== KIND_BAR) continue;
        if (symbol === undefined || streams[batch.stream[i]!]!.symbol === symbol) sawBar = true;
      }
    });
    try {
      let more = true;
      do more = await whenIdle(coordinator, () => coordinator.step());
      while (more && !sawBar);
      // Everything else available at that close belongs to the same instant.
      if (more && !coordinator.finished) {
        await whenIdle(coordinator, () => coordinator.runUntil(coordinator.clock.now()));
      }
    } finally {
      off();
    }
  }

  private watch(): void {
    const { coordinator, upkeep } = this.session;
    coordinator.subscribe((batch) => {
      if (this.firstItemAt === null && batch.length > 0) this.firstItemAt = batch.clock[0]!;
      this.options.onChange('items');
    });
    if (!upkeep) return;
    upkeep.onNote((note) => {
      if (!this.muted) this.options.log.warn(note);
    });
    // Gaps settle by the thousand in sparse 1s data: the Log gets one line per upkeep cycle.
    // Each gap once per outcome: a range that grows and settles again is not news.
    const news = new SettledGapNews();
    upkeep.onCycle(() => {
      this.logSettledGaps();
      news.forgetSettled((symbol) => upkeep.heldFrom(symbol));
      this.options.onChange('items');
    });
    upkeep.onGap((gap) => {
      if (gap.outcome === 'pending' || !news.isNews(gap)) return;
      if (!this.muted) this.settledGaps.add(gap);
    });
  }

  private logSettledGaps(): void {
    if (this.muted) {
      this.settledGaps.discard();
      return;
    }
    const line = this.settledGaps.flush();
    if (line) this.options.log[line.level](line.message);
  }

  private settle(state: 'done' | 'stopped'): void {
    this.logSettledGaps();
    if (this.state === 'error') return;
    if (state === 'done' && !this.quiet)
      this.options.log.info(`Session ${this.info.sessionName} finished.`);
    this.setState(state);
  }

  private fail(error: unknown): void {
    this.error = error instanceof Error ? error.message : String(error);
    if (!this.quiet) this.options.log.error(`The session stopped on an error: ${this.error}`);
    this.setState('error');
  }

  private setState(state: SessionState): void {
    // `done` and `error` are final; a late stop or pause must not hide them.
    if (this.state === state || this.state === 'done' || this.state === 'error') return;
    if (this.state === 'stopped' && state !== 'error') return;
    this.state = state;
    this.options.onChange('state');
  }
}

/**
 * Runs a manual step or seek once the coordinator's driver has left its pump (a pause ends it
 * at its next await): the coordinator says when, so nothing polls or reads error texts.
 */
async function whenIdle<T>(coordinator: StreamCoordinator, action: () => Promise<T>): Promise<T> {
  while (coordinator.advancing) await coordinator.idle();
  return action();
}

export function symbolInfos(config: SessionConfig): SymbolInfo[] {
  const bySymbol = new Map<string, SymbolInfo>();
  const upkeep = config.session_data_config.data_upkeep;
  for (const stream of config.data_streams) {
    let info = bySymbol.get(stream.symbol);
    if (!info) {
      info = {
        symbol: stream.symbol,
        baseInterval: null,
        derivedIntervals: [],
        hasQuotes: false,
        hasTicks: false,
        calendar: stream.calendar ?? config.calendar,
      };
      bySymbol.set(stream.symbol, info);
    }
    if (stream.type === 'quotes') info.hasQuotes = true;
    else if (stream.type === 'ticks' && !stream.bars_from_ticks) info.hasTicks = true;
    else {
      if (stream.type === 'ticks') info.hasTicks = true;
      const base = baseIntervalOf(stream);
      if (!base) continue;
      info.baseInterval = base;
      if (upkeep.enabled) {
        info.derivedIntervals = [...new Set(upkeep.derived_intervals)]
          .filter((d) => isDerivableFrom(d, base))
          .sort((a, b) => intervalMs(a) - intervalMs(b));
      }
    }
  }
  return [...bySymbol.values()];
}
