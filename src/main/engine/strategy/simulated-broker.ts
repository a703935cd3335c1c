/**
 * The simulated broker: orders placed by the strategy or by hand, filled by the fill model
 * against the book as the merged stream passes; cash, FIFO positions and the fill ledger.
 * Everything happens on backtest time, so the same stream always gives the same fills.
 */
import type { ExecutionConfig } from '../../../shared/strategy/execution-config';
import { FifoPosition, type RoundTrip } from '../../../shared/strategy/stats/round-trips';
import type {
  Fill,
  OrderRequest,
  OrderSource,
  OrderStatus,
  OrderType,
  OrderView,
  Side,
} from '../../../shared/strategy/types';
import {
  commission,
  limitOnBar,
  limitOnQuote,
  limitOnTrade,
  slipped,
  stopOnBar,
  stopTriggeredOnQuote,
  stopTriggeredOnTrade,
} from './fill-rules';
import { HoldingsValue } from './holdings-value';
import { StrategyUsageError } from './strategy-error';

/** What prices a symbol's orders: its quotes if it has a quote stream, else bars, else ticks. */
export type PriceSource = 'quotes' | 'bars' | 'ticks';

interface Order {
  id: number;
  symbol: SymbolBook;
  side: Side;
  type: OrderType;
  qty: number;
  filled: number;
  price: number;
  stop: number;
  status: OrderStatus;
  placed_at: number;
  active_at: number;
  source: OrderSource;
  /** A stop whose trigger was reached: it now fills as a market order. */
  triggered: boolean;
}

export interface SymbolBook {
  symbol: string;
  source: PriceSource;
  hasPrice: boolean;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  /** Quoted size not yet taken by fills at the current quote (respect_quote_size). */
  bidLeft: number;
  askLeft: number;
  /** Last bar close or trade price (bar- or tick-priced symbols). */
  last: number;
  /** What open positions are valued at: quote mid, bar close or trade price. */
  mark: number;
  position: FifoPosition;
  working: Order[];
  /** Place in symbol order (the order equity is summed in). */
  index: number;
}

export type FillListener = (fill: Fill, trips: readonly RoundTrip[]) => void;

export class SimulatedBroker {
  readonly books = new Map<string, SymbolBook>();
  /** Σ position × mark, kept as marks and positions change: equity costs O(1) per event. */
  private readonly holdings: HoldingsValue;
  readonly fills: Fill[] = [];
  readonly trips: RoundTrip[] = [];
  cash: number;
  /** Bumped whenever the set of open orders or their fill state changes (for the UI). */
  ordersVersion = 0;
  private nextId = 1;
  /** Orders waiting out their latency, in activation order. */
  private latent: Order[] = [];
  /**
   * Orders not yet filled or cancelled, in id order. A strategy has a few open at a time, so
   * scanning is cheap; a Map's set and delete per order cost more than the rest of a fill.
   */
  private readonly open: Order[] = [];
  private readonly listeners = new Set<FillListener>();

  constructor(
    readonly execution: ExecutionConfig,
    sources: ReadonlyMap<string, PriceSource>,
  ) {
    this.cash = execution.initial_cash;
    this.holdings = new HoldingsValue(sources.size);
    for (const [symbol, source] of sources) {
      this.books.set(symbol, {
        symbol,
        source,
        hasPrice: false,
        bid: Number.NaN,
        ask: Number.NaN,
        bidSize: 0,
        askSize: 0,
        bidLeft: 0,
        askLeft: 0,
        last: Number.NaN,
        mark: Number.NaN,
        position: new FifoPosition(symbol),
        working: [],
        index: this.books.size,
      });
    }
  }

  onFill(listener: FillListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get equity(): number {
    return this.cash + this.holdings.total;
  }

  /** True while any symbol holds a position. */
  get exposed(): boolean {
    return this.holdings.open > 0;
  }

  /** Validates and places an order at backtest time `now`; returns its id. */
  place(request: OrderRequest, source: OrderSource, now: number): number {
    const order = this.check(request, source, now);
    this.open.push(order);
    this.ordersVersion++;
    if (order.active_at <= now) this.activate(order, now);
    else {
      this.latent.push(order);
      this.latentChanged();
    }
    return order.id;
  }

  cancel(id: number): boolean {
    const order = this.openOrder(id);
    if (!order) return false;
    order.status = 'cancelled';
    this.ordersVersion++;
    this.close(order);
    return true;
  }

  orders(): OrderView[] {
    return this.open.map(view);
  }

  /**
   * The earliest time a latent order becomes active (Infinity when none); a field, as the
   * runner reads it for every event.
   */
  nextActivation = Number.POSITIVE_INFINITY;

  private latentChanged(): void {
    const latent = this.latent;
    this.nextActivation = latent.length > 0 ? latent[0]!.active_at : Number.POSITIVE_INFINITY;
  }

  /** Activates the first latent order, at its own time; the book is as it was then. */
  activateNext(): void {
    const order = this.latent.shift()!;
    this.latentChanged();
    this.ordersVersion++;
    if (order.status === 'pending') this.activate(order, order.active_at);
  }

  /*
   * quote(), bar() and trade() run for every event: each is a few stores and returns unless
   * the symbol has working orders, small enough for the optimizer to inline into the runner's
   * loop (so the prices stay unboxed); matching lives in the match* methods.
   */

  quote(
    book: SymbolBook,
    t: number,
    bid: number,
    ask: number,
    bidSize: number,
    askSize: number,
  ): void {
    book.bid = bid;
    book.ask = ask;
    book.bidSize = bidSize;
    book.askSize = askSize;
    book.bidLeft = bidSize;
    book.askLeft = askSize;
    this.remark(book, (bid + ask) / 2);
    if (book.source !== 'quotes') return;
    book.hasPrice = true;
    if (book.working.length !== 0) this.matchQuote(book, t);
  }

  /** A base bar of the symbol (start `start`, available at `t`). */
  bar(
    book: SymbolBook,
    t: number,
    start: number,
    o: number,
    h: number,
    l: number,
    c: number,
  ): void {
    if (book.source !== 'bars') return;
    book.last = c;
    this.remark(book, c);
    book.hasPrice = true;
    if (book.working.length !== 0) this.matchBar(book, t, start, o, h, l, c);
  }

  trade(book: SymbolBook, t: number, price: number): void {
    if (book.source !== 'ticks') return;
    book.last = price;
    this.remark(book, price);
    book.hasPrice = true;
    if (book.working.length !== 0) this.matchTrade(book, t, price);
  }

  private matchQuote(book: SymbolBook, t: number): void {
    const bid = book.bid;
    const ask = book.ask;
    const working = book.working;
    for (let i = 0; i < working.length; i++) {
      const order = working[i]!;
      if (order.status !== 'working') continue;
      if (order.type === 'limit' && !order.triggered) {
        const price = limitOnQuote(order.side, order.price, bid, ask);
        if (price === price) this.fillFromQuote(order, price, t, false);
        continue;
      }
      if (order.type === 'stop' && !order.triggered) {
        if (!stopTriggeredOnQuote(order.side, order.stop, bid, ask)) continue;
        order.triggered = true;
      }
      this.fillFromQuote(order, order.side === 'buy' ? ask : bid, t, true);
    }
    this.sweep(book);
  }

  private matchBar(
    book: SymbolBook,
    t: number,
    start: number,
    o: number,
    h: number,
    l: number,
    c: number,
  ): void {
    const working = book.working;
    for (let i = 0; i < working.length; i++) {
      const order = working[i]!;
      if (order.status !== 'working') continue;
      if (order.type === 'market') {
        this.fill(
          order,
          order.qty - order.filled,
          slipped(c, order.side, this.execution.slippage_bps),
          t,
        );
        continue;
      }
      // The bar must lie wholly after the order became active, or it would fill on the past.
      if (start < order.active_at) continue;
      const price =
        order.type === 'limit'
          ? limitOnBar(order.side, order.price, o, h, l)
          : slipped(
              stopOnBar(order.side, order.stop, o, h, l),
              order.side,
              this.execution.slippage_bps,
            );
      if (price === price) this.fill(order, order.qty - order.filled, price, t);
    }
    this.sweep(book);
  }

  private matchTrade(book: SymbolBook, t: number, price: number): void {
    const bps = this.execution.slippage_bps;
    const working = book.working;
    for (let i = 0; i < working.length; i++) {
      const order = working[i]!;
      if (order.status !== 'working') continue;
      let fillAt = Number.NaN;
      if (order.type === 'limit') fillAt = limitOnTrade(order.side, order.price, price);
      else if (
        order.type === 'market' ||
        order.triggered ||
        stopTriggeredOnTrade(order.side, order.stop, price)
      ) {
        order.triggered = true;
        fillAt = slipped(price, order.side, bps);
      }
      if (fillAt === fillAt) this.fill(order, order.qty - order.filled, fillAt, t);
    }
    this.sweep(book);
  }

  private activate(order: Order, now: number): void {
    order.status = 'working';
    order.symbol.working.push(order);
    if (order.type !== 'market') return;
    const book = order.symbol;
    if (!book.hasPrice) return; // waits for the first price
    const bps = this.execution.slippage_bps;
    if (book.source === 'quotes') {
      this.fillFromQuote(order, order.side === 'buy' ? book.ask : book.bid, now, true);
    } else {
      this.fill(order, order.qty, slipped(book.last, order.side, bps), now);
    }
    this.sweep(book);
  }

  private fillFromQuote(order: Order, price: number, t: number, slip: boolean): void {
    let qty = order.qty - order.filled;
    if (this.execution.respect_quote_size) {
      // Orders share the quoted size: what one fill takes, the next cannot.
      const book = order.symbol;
      if (order.side === 'buy') {
        qty = Math.min(qty, book.askLeft);
        if (!(qty > 0)) return;
        book.askLeft -= qty;
      } else {
        qty = Math.min(qty, book.bidLeft);
        if (!(qty > 0)) return;
        book.bidLeft -= qty;
      }
    }
    this.fill(
      order,
      qty,
      slip ? slipped(price, order.side, this.execution.slippage_bps) : price,
      t,
    );
  }

  private fill(order: Order, qty: number, price: number, time: number): void {
    const fee = commission(qty, order.filled === 0, this.execution.commission);
    order.filled += qty;
    this.ordersVersion++;
    const book = order.symbol;
    const wasFlat = book.position.position === 0;
    const trips = book.position.apply(order.side, qty, price, fee, time);
    const isFlat = book.position.position === 0;
    if (wasFlat !== isFlat) this.holdings.open += isFlat ? -1 : 1;
    this.holdings.set(book.index, book.position.position, book.mark);
    this.cash += order.side === 'buy' ? -qty * price - fee : qty * price - fee;
    const fill: Fill = {
      seq: this.fills.length,
      time,
      order_id: order.id,
      symbol: book.symbol,
      side: order.side,
      qty,
      price,
      fee,
      source: order.source,
    };
    this.fills.push(fill);
    for (const trip of trips) this.trips.push(trip);
    if (order.filled >= order.qty) {
      order.status = 'filled';
      this.dropOpen(order);
    }
    for (const listener of this.listeners) listener(fill, trips);
  }

  /** The book's mark changed: revalue its position (nothing to do while flat). */
  private remark(book: SymbolBook, mark: number): void {
    book.mark = mark;
    const position = book.position.position;
    if (position !== 0) this.holdings.set(book.index, position, mark);
  }

  /** Drops filled and cancelled orders from the symbol's working list. */
  private sweep(book: SymbolBook): void {
    const working = book.working;
    let n = 0;
    for (let i = 0; i < working.length; i++)
      if (working[i]!.status === 'working') working[n++] = working[i]!;
    working.length = n;
  }

  private openOrder(id: number): Order | undefined {
    const open = this.open;
    for (let i = 0; i < open.length; i++) if (open[i]!.id === id) return open[i];
    return undefined;
  }

  private dropOpen(order: Order): void {
    const open = this.open;
    const at = open.indexOf(order);
    if (at < 0) return;
    for (let i = at + 1; i < open.length; i++) open[i - 1] = open[i]!;
    open.length--;
  }

  private close(order: Order): void {
    this.dropOpen(order);
    this.sweep(order.symbol);
    this.latent = this.latent.filter((o) => o !== order);
    this.latentChanged();
  }

  private check(request: OrderRequest, source: OrderSource, now: number): Order {
    if (typeof request !== 'object' || request === null) {
      throw new StrategyUsageError('order() needs { symbol, side, qty, type?, price?, stop? }');
    }
    const { symbol, side, qty } = request;
    const type = request.type ?? 'market';
    const book = typeof symbol === 'string' ? this.books.get(symbol) : undefined;
    if (!book) {
      throw new StrategyUsageError(
        `order for unknown symbol ${JSON.stringify(symbol)}: the session streams ${[...this.books.keys()].join(', ')}`,
      );
    }
    if (side !== 'buy' && side !== 'sell') {
      throw new StrategyUsageError(
        `order side must be "buy" or "sell" (got ${JSON.stringify(side)})`,
      );
    }
    if (typeof qty !== 'number' || !Number.isFinite(qty) || qty <= 0) {
      throw new StrategyUsageError(
        `order qty must be a positive finite number (got ${String(qty)})`,
      );
    }
    if (type !== 'market' && type !== 'limit' && type !== 'stop') {
      throw new StrategyUsageError(
        `order type must be market, limit or stop (got ${JSON.stringify(type)})`,
      );
    }
    const price = request.price;
    const stop = request.stop;
    if (type === 'limit' && !(typeof price === 'number' && Number.isFinite(price) && price > 0)) {
      throw new StrategyUsageError(`a limit order needs a positive price (got ${String(price)})`);
    }
    if (type === 'stop' && !(typeof stop === 'number' && Number.isFinite(stop) && stop > 0)) {
      throw new StrategyUsageError(
        `a stop order needs a positive stop price (got ${String(stop)})`,
      );
    }
    return {
      id: this.nextId++,
      symbol: book,
      side,
      type,
      qty,
      filled: 0,
      price: type === 'limit' ? price! : Number.NaN,
      stop: type === 'stop' ? stop! : Number.NaN,
      status: 'pending',
      placed_at: now,
      active_at: now + this.execution.latency_ms,
      source,
      triggered: false,
    };
  }
}

function view(o: Order): OrderView {
  return {
    id: o.id,
    symbol: o.symbol.symbol,
    side: o.side,
    type: o.type,
    qty: o.qty,
    filled: o.filled,
    price: o.type === 'limit' ? o.price : null,
    stop: o.type === 'stop' ? o.stop : null,
    status: o.status,
    placed_at: o.placed_at,
    active_at: o.active_at,
    source: o.source,
  };
}
