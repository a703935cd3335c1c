/**
 * Wires the API to the screen's state: applies pushed updates and logs, loads a series' history
 * the first time a chart shows it, and resyncs from a snapshot after a reload or a reconnect
 * without touching the session itself. DOM-free, so it is tested against a fake API.
 */
import type {
  ControlSessionRequestSchema,
  SessionSnapshot,
  SessionStatus,
  TapedeckApi,
} from '../../../shared/ipc-contract';
import type { Interval } from '../../../shared/interval';
import type { z } from 'zod';
import { errorMessage } from '../api/rpc-protocol';
import { joinStrip } from '../../../shared/strip-join';
import { SeriesStore } from './series-store';
import { nextSpeed } from './speed';
import { SessionModel } from './session-model';
import { TradingModel } from './trading-model';

/** See SessionController's reloadAfterMs. */
export const RELOAD_AFTER_MS = 120;

export type SessionAction = z.input<typeof ControlSessionRequestSchema>['action'];

export class SessionController {
  readonly model = new SessionModel();
  readonly store = new SeriesStore();
  readonly trading = new TradingModel();
  private unsubscribe: Array<() => void> = [];
  private stripsAt = Number.NEGATIVE_INFINITY;
  private stripsInFlight = false;
  /** An update came while strips were on their way: fetch them again after. */
  private stripsWanted = false;
  private stripsTimer: ReturnType<typeof setTimeout> | null = null;
  /** Symbols whose pushed quotes have a hole, refetched at most once per refetchMs. */
  private readonly holed = new Set<string>();
  private holeTimer: ReturnType<typeof setTimeout> | null = null;
  /** The speed last asked for and not yet confirmed, so quick +/+ presses add up. */
  private wantedSpeed: number | null = null;

  constructor(
    private readonly api: TapedeckApi,
    /**
     * After a restore, how long the charts wait for another press before reloading (0: not
     * at all). Presses come in runs (← tapped or held), and a reload of bars and quotes whole
     * holds the screen's thread for longer than the restore itself: reloading for each press
     * of a run made the next press wait for it.
     */
    private readonly reloadAfterMs = RELOAD_AFTER_MS,
  ) {}

  /** Subscribes to the host's pushes, then draws whatever session is already running. */
  async attach(): Promise<void> {
    this.unsubscribe.push(
      this.api.onSessionUpdate((update) => {
        this.store.apply(update);
        this.model.applyUpdate(update);
        if (update.trading) this.trading.apply(update.trading);
        if (update.stats) void this.refreshStrips();
        if (update.quotesDropped) this.quotesHoled(Object.keys(update.quotesDropped));
      }),
      this.api.onLog((entry) => this.model.log(entry)),
    );
    await this.resync();
  }

  /** Buy, Sell or Flatten by hand; the fills arrive with the next update. */
  async manualOrder(symbol: string, side: 'buy' | 'sell' | 'flatten', qty?: number): Promise<void> {
    await this.guard('manualOrder', () =>
      this.api.manualOrder(qty === undefined ? { symbol, side } : { symbol, side, qty }),
    );
  }

  /** Cancels an open order; the order list follows with the next update. */
  async cancelOrder(orderId: number): Promise<void> {
    await this.guard('cancelOrder', () => this.api.cancelOrder({ orderId }));
  }

  detach(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    if (this.stripsTimer !== null) clearTimeout(this.stripsTimer);
    this.stripsTimer = null;
  }

  /** Starts over from the engine's state: the session runs on, the screen catches up. */
  async resync(): Promise<void> {
    const snapshot = await this.guard('snapshot', () => this.api.snapshot());
    if (snapshot) this.adopt(snapshot);
  }

  /**
   * Starts a session; a refusal comes back as its message for the screen to show beside
   * Start (the host's log already records it, so it is not logged twice).
   */
  async start(
    config: unknown,
    startAt?: number,
    record = false,
  ): Promise<{ ok: true } | { ok: false; error: string }> {
    let snapshot: SessionSnapshot;
    try {
      snapshot = await this.api.startSession({
        config,
        ...(startAt !== undefined ? { startAt } : {}),
        ...(record ? { record } : {}),
      });
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    }
    this.adopt(snapshot);
    return { ok: true };
  }

  async control(action: SessionAction): Promise<void> {
    const status = await this.guard(action, () => this.api.controlSession({ action }));
    if (status) this.applyStatus(status);
  }

  async setSpeed(speed: number): Promise<void> {
    this.wantedSpeed = speed;
    const status = await this.guard('setSpeed', () => this.api.setSpeed({ speed }));
    if (this.wantedSpeed === speed) this.wantedSpeed = null;
    if (status) this.applyStatus(status);
  }

  /** One step faster or slower than the last speed asked for (confirmed or not). */
  changeSpeed(direction: 1 | -1): Promise<void> {
    return this.setSpeed(nextSpeed(this.wantedSpeed ?? this.model.status.speed, direction));
  }

  /** The furthest the replay has been (End goes back there after stepping back). */
  furthest: number | null = null;

  /**
   * Goes to a backtest time, paused there: forward by replaying flat out, back by restoring
   * the state at that time exactly. The charts then reload what the engine holds. Presses in
   * quick succession (← held) are coalesced: one seek is in flight at a time, and when it
   * answers only the latest target asked for since is sent, so the screen never works
   * through a queue of restores and ends on exactly the last one.
   */
  seek(at: number): Promise<void> {
    this.seekWanted = at;
    this.wakeSeek?.();
    this.seeking ??= this.seekLoop();
    return this.seeking;
  }

  /** Goes `ms` on (or back, negative) from where the last seek asked for goes, else the clock. */
  async seekBy(ms: number): Promise<void> {
    const from = this.seekWanted ?? this.seekGoal ?? this.model.status.clock;
    if (from !== null) await this.seek(from + ms);
  }

  /** The target asked for and not yet sent, and the one in flight (see seek). */
  private seekWanted: number | null = null;
  private seekGoal: number | null = null;
  private seeking: Promise<void> | null = null;
  /** Seeks sent so far: a snapshot asked for before the latest one was sent is stale. */
  private seeksSent = 0;
  /** Ends the loop's wait for a resync when a new target is asked for meanwhile. */
  private wakeSeek: (() => void) | null = null;

  private async seekLoop(): Promise<void> {
    for (;;) {
      const at = this.seekWanted!;
      this.seekWanted = null;
      this.seekGoal = at;
      const clock = this.model.status.clock;
      if (clock !== null) this.furthest = Math.max(this.furthest ?? clock, clock);
      this.seeksSent++;
      const status = await this.guard('seek', () =>
        this.api.controlSession({ action: 'seek', at }),
      );
      if (status) {
        // The restored clock shows at once (it is earlier than what updates showed, which a
        // reply may not normally undo); the charts follow once the snapshot is in, unless a
        // later target is asked for first: that one is sent at once, and this snapshot is
        // dropped (the later one's will do).
        this.model.setStatus(status);
        if (status.clock !== null)
          this.furthest = Math.max(this.furthest ?? status.clock, status.clock);
        if (this.seekWanted === null) {
          const woken = new Promise<'woken'>((resolve) => (this.wakeSeek = () => resolve('woken')));
          const wait = this.reloadAfterMs;
          const calm =
            wait > 0
              ? await Promise.race([
                  new Promise<'calm'>((r) => setTimeout(() => r('calm'), wait)),
                  woken,
                ])
              : 'calm';
          if (calm === 'calm') await Promise.race([this.resyncUnlessStale(), woken]);
          this.wakeSeek = null;
        }
      }
      // Checked and cleared with no await between: a target asked for now is not lost.
      if (this.seekWanted === null) {
        this.seekGoal = null;
        this.seeking = null;
        return;
      }
    }
  }

  private async resyncUnlessStale(): Promise<void> {
    const sent = this.seeksSent;
    const snapshot = await this.guard('snapshot', () => this.api.snapshot());
    if (snapshot && sent === this.seeksSent) this.adopt(snapshot);
  }

  /**
   * One base bar back (the finest base interval of the session), paused; a second in a session
   * of ticks and quotes only. Counted from the target of a step back still on its way.
   */
  async stepBack(): Promise<void> {
    const step = this.finestBaseMs();
    if (step !== null) await this.seekBy(-step);
  }

  private finestBaseMs(): number | null {
    const symbols = this.model.info?.symbols ?? [];
    const bases = symbols.map((s) => s.baseInterval).filter((b) => b !== null);
    if (bases.length === 0) return symbols.length > 0 ? 1000 : null;
    return bases.includes('1s') ? 1000 : 60_000;
  }

  /** Loads a series' history once; later bars come only from updates. */
  async ensureBars(symbol: string, interval: Interval): Promise<void> {
    if (!this.store.beginBars(symbol, interval)) return;
    const generation = this.store.currentGeneration;
    try {
      const history = await this.api.getBars({ symbol, interval });
      if (generation === this.store.currentGeneration) {
        this.store.completeBars(symbol, interval, history);
      }
    } catch (error) {
      // A reply for a session that has since been replaced is nobody's error.
      if (generation !== this.store.currentGeneration || !this.inSession(symbol)) return;
      this.store.failBars(symbol, interval);
      this.model.logError(`${symbol} ${interval}: cannot load bars: ${errorMessage(error)}`);
    }
  }

  /** A ticks-only symbol's prints: loaded once, then appended from updates. */
  async ensureTrades(symbol: string): Promise<void> {
    if (!this.store.beginTrades(symbol)) return;
    const generation = this.store.currentGeneration;
    try {
      const history = await this.api.getTicks({ symbol });
      if (generation === this.store.currentGeneration) this.store.completeTrades(symbol, history);
    } catch (error) {
      if (generation !== this.store.currentGeneration || !this.inSession(symbol)) return;
      this.store.failTrades(symbol);
      this.model.logError(`${symbol}: cannot load trades: ${errorMessage(error)}`);
    }
  }

  async ensureQuotes(symbol: string): Promise<void> {
    if (!this.store.beginQuotes(symbol)) return;
    const generation = this.store.currentGeneration;
    try {
      const history = await this.api.getQuotes({ symbol });
      if (generation === this.store.currentGeneration) this.store.completeQuotes(symbol, history);
    } catch (error) {
      if (generation !== this.store.currentGeneration || !this.inSession(symbol)) return;
      this.store.failQuotes(symbol);
      this.model.logError(`${symbol}: cannot load quotes: ${errorMessage(error)}`);
    }
  }

  /**
   * The host left quotes out of its pushes (too many for a frame at high speed). A line drawn
   * across the hole would be made up, so the symbol's quotes are fetched again, whole; at
   * most once per `refetchMs` while the drops go on, and once more after they stop.
   */
  quotesHoled(symbols: readonly string[], refetchMs = 1000): void {
    for (const s of symbols) this.holed.add(s);
    if (this.holeTimer !== null) return;
    this.holeTimer = setTimeout(() => {
      this.holeTimer = null;
      for (const symbol of [...this.holed]) {
        this.holed.delete(symbol);
        // A chart showing the symbol asks again on its next frame (ChartPanel's frame loop).
        this.store.forgetQuotes(symbol);
      }
    }, refetchMs);
  }

  private inSession(symbol: string): boolean {
    return this.model.info?.symbols.some((s) => s.symbol === symbol) ?? false;
  }

  /**
   * The quality strips, fetched at most every `minGapMs` of wall time (they change by the
   * minute of backtest time). An update that comes sooner is answered once the time is up, so
   * the strips catch up with the last one (the end of a replay) rather than stop short of it.
   */
  async refreshStrips(now = Date.now(), minGapMs = 1000): Promise<void> {
    const symbols = this.model.info?.symbols.filter((s) => s.baseInterval !== null) ?? [];
    if (symbols.length === 0) return;
    if (this.stripsInFlight) {
      this.stripsWanted = true;
      return;
    }
    if (now - this.stripsAt < minGapMs) {
      this.refreshStripsIn(this.stripsAt + minGapMs - now);
      return;
    }
    this.stripsInFlight = true;
    this.stripsAt = now;
    // Only the cells after those the host called final come back: joined to the held ones.
    const held = new Map(this.model.strips.map((s) => [s.symbol, s]));
    const generation = this.store.currentGeneration;
    try {
      const replies = await Promise.all(
        symbols.map((s) =>
          this.api.qualityStrip({ symbol: s.symbol, known: held.get(s.symbol)?.final ?? 0 }),
        ),
      );
      // Replies for a session since replaced (a seek, a restart) would join the wrong cells.
      if (generation !== this.store.currentGeneration) return;
      this.model.setStrips(replies.map((reply) => joinStrip(held.get(reply.symbol), reply)));
    } catch (error) {
      this.model.logError(`qualityStrip: ${errorMessage(error)}`, 'warn');
    } finally {
      this.stripsInFlight = false;
      if (this.stripsWanted) {
        this.stripsWanted = false;
        this.refreshStripsIn(minGapMs);
      }
    }
  }

  private refreshStripsIn(ms: number): void {
    if (this.stripsTimer !== null) return;
    this.stripsTimer = setTimeout(() => {
      this.stripsTimer = null;
      void this.refreshStrips();
    }, ms);
  }

  private adopt(snapshot: SessionSnapshot): void {
    this.store.clear(snapshot.forming ?? {});
    this.model.applySnapshot(snapshot);
    this.trading.reset(snapshot.trading);
    this.stripsAt = Number.NEGATIVE_INFINITY;
    void this.refreshStrips();
  }

  /** A reply's status wins only if it is not older than what updates already showed. */
  private applyStatus(status: SessionStatus): void {
    const current = this.model.status;
    if (current.clock !== null && status.clock !== null && status.clock < current.clock) {
      this.model.setStatus({ ...current, state: status.state, speed: status.speed });
    } else {
      this.model.setStatus(status);
    }
  }

  /** Every failed call lands in the log pane, never only in a console. */
  private async guard<T>(what: string, run: () => Promise<T>): Promise<T | null> {
    try {
      return await run();
    } catch (error) {
      this.model.logError(`${what}: ${errorMessage(error)}`);
      return null;
    }
  }
}
