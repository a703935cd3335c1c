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
import { SeriesStore } from './series-store';
import { SessionModel } from './session-model';
import { TradingModel } from './trading-model';

export type SessionAction = z.input<typeof ControlSessionRequestSchema>['action'];

export class SessionController {
  readonly model = new SessionModel();
  readonly store = new SeriesStore();
  readonly trading = new TradingModel();
  private unsubscribe: Array<() => void> = [];
  private stripsAt = Number.NEGATIVE_INFINITY;
  private stripsInFlight = false;

  constructor(private readonly api: TapedeckApi) {}

  /** Subscribes to the host's pushes, then draws whatever session is already running. */
  async attach(): Promise<void> {
    this.unsubscribe.push(
      this.api.onSessionUpdate((update) => {
        this.store.apply(update);
        this.model.applyUpdate(update);
        if (update.trading) this.trading.apply(update.trading);
        if (update.stats) void this.refreshStrips();
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

  detach(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** Starts over from the engine's state: the session runs on, the screen catches up. */
  async resync(): Promise<void> {
    const snapshot = await this.guard('snapshot', () => this.api.snapshot());
    if (snapshot) this.adopt(snapshot);
  }

  async start(config: unknown, startAt?: number): Promise<boolean> {
    const snapshot = await this.guard('startSession', () =>
      this.api.startSession(startAt === undefined ? { config } : { config, startAt }),
    );
    if (!snapshot) return false;
    this.adopt(snapshot);
    return true;
  }

  async control(action: SessionAction): Promise<void> {
    const status = await this.guard(action, () => this.api.controlSession({ action }));
    if (status) this.applyStatus(status);
  }

  async setSpeed(speed: number): Promise<void> {
    const status = await this.guard('setSpeed', () => this.api.setSpeed({ speed }));
    if (status) this.applyStatus(status);
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
      if (generation === this.store.currentGeneration) this.store.failBars(symbol, interval);
      this.model.logError(`${symbol} ${interval}: cannot load bars: ${errorMessage(error)}`);
    }
  }

  async ensureQuotes(symbol: string): Promise<void> {
    if (!this.store.beginQuotes(symbol)) return;
    const generation = this.store.currentGeneration;
    try {
      const history = await this.api.getQuotes({ symbol });
      if (generation === this.store.currentGeneration) this.store.completeQuotes(symbol, history);
    } catch (error) {
      if (generation === this.store.currentGeneration) this.store.failQuotes(symbol);
      this.model.logError(`${symbol}: cannot load quotes: ${errorMessage(error)}`);
    }
  }

  /**
   * The quality strips, fetched at most every `minGapMs` of wall time (they change by the
   * minute of backtest time, and one request covers a whole session).
   */
  async refreshStrips(now = Date.now(), minGapMs = 1000): Promise<void> {
    const symbols = this.model.info?.symbols.filter((s) => s.baseInterval !== null) ?? [];
    if (symbols.length === 0 || this.stripsInFlight || now - this.stripsAt < minGapMs) return;
    this.stripsInFlight = true;
    this.stripsAt = now;
    try {
      const strips = await Promise.all(
        symbols.map((s) => this.api.qualityStrip({ symbol: s.symbol })),
      );
      this.model.setStrips(strips);
    } catch (error) {
      this.model.logError(`qualityStrip: ${errorMessage(error)}`, 'warn');
    } finally {
      this.stripsInFlight = false;
    }
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
