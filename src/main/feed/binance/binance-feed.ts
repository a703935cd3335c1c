/**
 * The Binance spot market-stream adapter: one combined-stream WebSocket per session
 * (`<ws_url>/stream?streams=btcusdt@kline_1s/btcusdt@bookTicker/btcusdt@trade`) and the REST
 * klines endpoint for history. Closed klines become bars stamped at their start, bookTicker
 * becomes quotes stamped with the receive time (it carries no exchange time), trades become
 * ticks stamped with the trade time.
 *
 * Every (re)connection is followed by a sync: bars from the last one held (or from the
 * history window, the first time) up to now are fetched over REST while stream bars are held
 * back, then the held bars follow; the cursor drops any bar it already has, so a bar seen by
 * both paths is kept once.
 */
import WebSocket from 'ws';
import { BINANCE_REST_URL, BINANCE_WS_URL } from '../../../shared/feed-config';
import { intervalMs, type BaseInterval } from '../../../shared/interval';
import type { StreamBatch, StreamKey } from '../../../shared/stream-cursor';
import { systemWallClock, type WallClock } from '../../engine/wall-clock';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../backoff';
import { LiveCursor } from '../live-cursor';
import {
  FeedError,
  type FeedCounts,
  type FeedStatus,
  type MarketFeed,
  type StatusListener,
} from '../market-feed';
import { fetchKlines, type FetchLike } from './binance-klines';
import { parseCombinedMessage, type KlineMessage } from './binance-messages';

export interface BinanceFeedOptions {
  wsUrl?: string;
  restUrl?: string;
  /** Bars to fetch before the connection, in ms of history. */
  historyMs?: number;
  /** No message for this long: the connection is judged dead and replaced. */
  staleAfterMs?: number;
  backoff?: BackoffOptions;
  /** REST attempts per sync before the gap is left to the upkeep. */
  backfillAttempts?: number;
  wall?: WallClock;
  random?: () => number;
  fetch?: FetchLike;
}

interface BarSubscription {
  symbol: string;
  interval: BaseInterval;
  cursor: LiveCursor;
}

export class BinanceFeed implements MarketFeed {
  readonly description: string;
  private readonly wsUrl: string;
  private readonly restUrl: string;
  private readonly wall: WallClock;
  private readonly options: BinanceFeedOptions;
  private readonly byStream = new Map<string, LiveCursor>();
  private readonly bars: BarSubscription[] = [];
  private readonly listeners = new Set<StatusListener>();
  private socket: WebSocket | null = null;
  private dropped: Promise<string> = Promise.resolve('');
  private syncing = false;
  private held: KlineMessage[] = [];
  private closing = false;
  private readonly sleepAbort = new AbortController();
  private supervisor: Promise<void> | null = null;
  private watchdog: ReturnType<typeof setInterval> | null = null;
  private lastMessageAt = 0;
  /** Per trade stream, the newest trade id taken: a repeated trade is dropped by its id. */
  private readonly lastTradeId = new Map<string, number>();
  /** The newest malformed message's stream and reason, for logs. */
  lastBad: { stream: string; reason: string } | null = null;

  status: FeedStatus = { state: 'idle', attempt: 0 };
  readonly counts: FeedCounts = {
    bars: 0,
    quotes: 0,
    ticks: 0,
    bad: {},
    other: 0,
    duplicates: 0,
    backfilled: 0,
    reconnects: 0,
  };

  constructor(options: BinanceFeedOptions = {}) {
    this.options = options;
    this.wsUrl = (options.wsUrl ?? BINANCE_WS_URL).replace(/\/+$/, '');
    this.restUrl = (options.restUrl ?? BINANCE_REST_URL).replace(/\/+$/, '');
    this.wall = options.wall ?? systemWallClock;
    this.description = `binance ${this.restUrl}`;
  }

  subscribe(keys: readonly StreamKey[]): LiveCursor[] {
    if (this.status.state !== 'idle') throw new FeedError('subscribe() must come before connect()');
    return keys.map((key) => {
      const name = streamName(key);
      if (this.byStream.has(name)) throw new FeedError(`${name} is subscribed twice`);
      const cursor = new LiveCursor(key);
      this.byStream.set(name, cursor);
      if (key.type === 'bars') {
        this.bars.push({ symbol: key.symbol, interval: key.interval ?? '1m', cursor });
      }
      return cursor;
    });
  }

  get url(): string {
    return `${this.wsUrl}/stream?streams=${[...this.byStream.keys()].join('/')}`;
  }

  async connect(): Promise<void> {
    if (this.byStream.size === 0) throw new FeedError('Nothing to connect: no stream subscribed');
    if (this.status.state !== 'idle') throw new FeedError('connect() was already called');
    this.setStatus({ state: 'connecting', attempt: 0 });
    try {
      await this.open();
      await this.sync(true);
    } catch (error) {
      await this.close();
      throw error instanceof FeedError ? error : new FeedError(errorText(error));
    }
    const staleAfter = this.options.staleAfterMs ?? 30_000;
    this.watchdog = setInterval(() => this.checkStale(staleAfter), Math.min(1000, staleAfter / 4));
    this.supervisor = this.supervise();
  }

  backfill(
    symbol: string,
    interval: BaseInterval,
    startMs: number,
    endMs: number,
  ): Promise<StreamBatch> {
    return fetchKlines({
      restUrl: this.restUrl,
      symbol,
      interval,
      startMs,
      endMs,
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
    });
  }

  fetchBars(symbol: string, interval: BaseInterval, startMs: number, endMs: number) {
    return this.backfill(symbol, interval, startMs, endMs);
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.sleepAbort.abort();
    if (this.watchdog) clearInterval(this.watchdog);
    this.socket?.terminate();
    this.socket = null;
    for (const cursor of this.byStream.values()) cursor.end();
    await this.supervisor;
    this.setStatus({ state: 'closed', attempt: 0 });
  }

  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setStatus(status: FeedStatus): void {
    const latency = this.status.latencyMs;
    this.status =
      latency !== undefined && status.latencyMs === undefined
        ? { ...status, latencyMs: latency }
        : status;
    for (const listener of this.listeners) listener(this.status);
  }

  /** Opens one socket; resolves when it is open, rejects naming the URL if it cannot. */
  private open(): Promise<void> {
    const url = this.url;
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: 10_000 });
      let opened = false;
      let markDropped: (reason: string) => void = () => undefined;
      const dropped = new Promise<string>((r) => (markDropped = r));
      socket.on('open', () => {
        opened = true;
        this.socket = socket;
        this.dropped = dropped;
        this.lastMessageAt = this.wall.now();
        // Frames sent right after the upgrade can be read before the sync starts: bars are
        // held from the moment the socket opens, so none overtakes the backfill.
        if (this.bars.length > 0) this.syncing = true;
        resolve();
      });
      socket.on('message', (data: WebSocket.RawData) => {
        if (this.socket === socket) this.onMessage(data.toString(), this.wall.now());
      });
      socket.on('error', (error) => {
        if (!opened) reject(new FeedError(`${url}: ${error.message}`));
      });
      socket.on('close', (code, reason) => {
        if (!opened) reject(new FeedError(`${url}: closed before opening (code ${code})`));
        else markDropped(`closed (code ${code}${reason.length ? `: ${reason.toString()}` : ''})`);
        if (this.socket === socket) this.socket = null;
      });
    });
  }

  /** Waits for each drop, then reconnects with backoff and syncs the bars missed meanwhile. */
  private async supervise(): Promise<void> {
    while (!this.closing) {
      const reason = await Promise.race([this.dropped, this.whenClosing()]);
      if (this.closing) return;
      this.counts.reconnects++;
      for (let attempt = 1; !this.closing; attempt++) {
        const delay = backoffDelay(
          attempt,
          this.options.backoff ?? DEFAULT_BACKOFF,
          this.options.random,
        );
        this.setStatus({ state: 'reconnecting', attempt, nextInMs: delay, detail: reason });
        await this.wall.sleep(delay, this.sleepAbort.signal);
        if (this.closing) return;
        try {
          await this.open();
        } catch (error) {
          this.setStatus({ state: 'reconnecting', attempt, detail: errorText(error) });
          continue;
        }
        await this.sync(false);
        break;
      }
    }
  }

  private whenClosing(): Promise<string> {
    return new Promise((resolve) => {
      if (this.sleepAbort.signal.aborted) resolve('closed');
      this.sleepAbort.signal.addEventListener('abort', () => resolve('closed'), { once: true });
    });
  }

  /**
   * Fetches every closed bar from the last one held up to now, then lets the held stream bars
   * through. The first sync's failure is the caller's error (an unknown symbol shows there);
   * later ones retry, then leave the gap for the upkeep to report and refill.
   */
  private async sync(first: boolean): Promise<void> {
    if (this.bars.length === 0) {
      this.setStatus({ state: 'connected', attempt: 0 });
      return;
    }
    this.syncing = true;
    this.setStatus({ state: 'backfilling', attempt: 0 });
    let failure: string | undefined;
    try {
      for (const bar of this.bars) {
        const step = intervalMs(bar.interval);
        const now = this.wall.now();
        const history = this.options.historyMs ?? 0;
        const from =
          bar.cursor.last > -Infinity
            ? bar.cursor.last + step
            : Math.floor((now - history) / step) * step;
        // Only closed bars: the one still forming comes later from the stream.
        const to = Math.floor(now / step) * step;
        if (to <= from) continue;
        const batch = await this.backfillWithRetries(
          bar,
          from,
          to,
          first ? 1 : (this.options.backfillAttempts ?? 5),
        );
        if (batch === null) {
          failure = `${bar.symbol}: the bars from ${new Date(from).toISOString()} could not be backfilled`;
          continue;
        }
        const v = batch.values;
        for (let i = 0; i < batch.length; i++) {
          if (
            bar.cursor.push(
              batch.timestamp[i]!,
              v[0]![i]!,
              v[1]![i]!,
              v[2]![i]!,
              v[3]![i]!,
              v[4]![i]!,
            )
          ) {
            this.counts.backfilled++;
            this.counts.bars++;
          } else this.counts.duplicates++;
        }
      }
    } finally {
      this.syncing = false;
      const held = this.held;
      this.held = [];
      for (const message of held) this.pushBar(message);
    }
    if (this.closing) return;
    this.setStatus({ state: 'connected', attempt: 0, ...(failure ? { detail: failure } : {}) });
  }

  private async backfillWithRetries(
    bar: BarSubscription,
    from: number,
    to: number,
    attempts: number,
  ): Promise<StreamBatch | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.backfill(bar.symbol, bar.interval, from, to);
      } catch (error) {
        if (attempt >= attempts) {
          if (attempts === 1) throw error;
          return null;
        }
        this.setStatus({ state: 'backfilling', attempt, detail: errorText(error) });
        const delay = backoffDelay(
          attempt,
          this.options.backoff ?? DEFAULT_BACKOFF,
          this.options.random,
        );
        await this.wall.sleep(delay, this.sleepAbort.signal);
        if (this.closing) return null;
      }
    }
  }

  private onMessage(text: string, receivedAt: number): void {
    this.lastMessageAt = receivedAt;
    if (this.status.state === 'stale') this.setStatus({ state: 'connected', attempt: 0 });
    const message = parseCombinedMessage(text, receivedAt);
    switch (message.kind) {
      case 'bar': {
        if (!this.byStream.has(message.stream)) return this.countOther();
        this.status.latencyMs = receivedAt - message.eventTime;
        if (this.syncing) this.held.push(message);
        else this.pushBar(message);
        return;
      }
      case 'quote': {
        const cursor = this.byStream.get(message.stream);
        if (!cursor) return this.countOther();
        if (cursor.push(message.time, message.bid, message.ask, message.bidSize, message.askSize)) {
          this.counts.quotes++;
        } else this.counts.duplicates++;
        return;
      }
      case 'tick': {
        const cursor = this.byStream.get(message.stream);
        if (!cursor) return this.countOther();
        this.status.latencyMs = receivedAt - message.eventTime;
        if (message.tradeId <= (this.lastTradeId.get(message.stream) ?? -1)) {
          this.counts.duplicates++;
          return;
        }
        if (cursor.push(message.time, message.price, message.size)) {
          this.lastTradeId.set(message.stream, message.tradeId);
          this.counts.ticks++;
        } else this.counts.duplicates++;
        return;
      }
      case 'bad':
        this.counts.bad[message.stream] = (this.counts.bad[message.stream] ?? 0) + 1;
        this.lastBad = { stream: message.stream, reason: message.reason };
        return;
      case 'open-bar':
        return;
      case 'other':
        return this.countOther();
    }
  }

  private countOther(): void {
    this.counts.other++;
  }

  private pushBar(m: KlineMessage): void {
    const cursor = this.byStream.get(m.stream);
    if (!cursor) return;
    if (cursor.push(m.start, m.open, m.high, m.low, m.close, m.volume)) this.counts.bars++;
    else this.counts.duplicates++;
  }

  private checkStale(staleAfter: number): void {
    const socket = this.socket;
    if (!socket || this.closing) return;
    if (this.wall.now() - this.lastMessageAt <= staleAfter) return;
    this.setStatus({ state: 'stale', attempt: 0, detail: `no message for ${staleAfter} ms` });
    // terminate() closes at once; the supervisor sees the drop and reconnects.
    socket.terminate();
  }
}

/** The Binance stream name of a Tapedeck stream key. */
export function streamName(key: StreamKey): string {
  const symbol = key.symbol.toLowerCase();
  if (key.type === 'bars') return `${symbol}@kline_${key.interval ?? '1m'}`;
  return key.type === 'quotes' ? `${symbol}@bookTicker` : `${symbol}@trade`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
