/**
 * Positions as FIFO lots, and the round trips closing them make. Each closing fill is matched
 * against the oldest open lots first; every (entry fill, exit fill) pair is one round trip,
 * its fees the two fills' fees pro rata by quantity. The open lots give the position's average
 * price, so realized + unrealized - fees always equals the change in equity.
 */
import type { Fill, Side } from '../types';

export interface RoundTrip {
  symbol: string;
  /** `long` (bought then sold) or `short`. */
  direction: 'long' | 'short';
  qty: number;
  entry_time: number;
  entry_price: number;
  exit_time: number;
  exit_price: number;
  /** Price P&L before fees. */
  gross_pnl: number;
  fees: number;
  /** gross_pnl - fees: what wins and losses are judged by. */
  pnl: number;
}

interface Lot {
  /** Signed: positive long, negative short. */
  qty: number;
  price: number;
  time: number;
  feePerUnit: number;
}

/** What a fill that closes nothing returns: most fills open or add to a position. */
const NO_TRIPS: readonly RoundTrip[] = Object.freeze([]);

export class FifoPosition {
  private readonly lots: Lot[] = [];
  private head = 0;
  /** Signed quantity. */
  position = 0;
  realized = 0;
  fees = 0;

  constructor(readonly symbol: string) {}

  /** Applies a fill; returns the round trips it closed (a shared empty list when none). */
  apply(side: Side, qty: number, price: number, fee: number, time: number): readonly RoundTrip[] {
    let trips: RoundTrip[] | null = null;
    const exitFeePerUnit = qty > 0 ? fee / qty : 0;
    let remaining = side === 'buy' ? qty : -qty;
    this.fees += fee;
    const lots = this.lots;
    while (
      remaining !== 0 &&
      this.head < lots.length &&
      Math.sign(lots[this.head]!.qty) !== Math.sign(remaining)
    ) {
      const lot = lots[this.head]!;
      const matched = Math.min(Math.abs(remaining), Math.abs(lot.qty));
      const long = lot.qty > 0;
      const gross = (long ? price - lot.price : lot.price - price) * matched;
      const fees = (lot.feePerUnit + exitFeePerUnit) * matched;
      (trips ??= []).push({
        symbol: this.symbol,
        direction: long ? 'long' : 'short',
        qty: matched,
        entry_time: lot.time,
        entry_price: lot.price,
        exit_time: time,
        exit_price: price,
        gross_pnl: gross,
        fees,
        pnl: gross - fees,
      });
      this.realized += gross;
      lot.qty += long ? -matched : matched;
      remaining += remaining > 0 ? -matched : matched;
      if (lot.qty === 0) this.head++;
    }
    if (remaining !== 0) lots.push({ qty: remaining, price, time, feePerUnit: exitFeePerUnit });
    if (this.head > 64 && this.head * 2 > lots.length) {
      lots.splice(0, this.head);
      this.head = 0;
    }
    this.position = 0;
    for (let i = this.head; i < lots.length; i++) this.position += lots[i]!.qty;
    return trips ?? NO_TRIPS;
  }

  /** Average entry price of the open lots; NaN when flat. */
  get avgPrice(): number {
    let qty = 0;
    let cost = 0;
    for (let i = this.head; i < this.lots.length; i++) {
      const lot = this.lots[i]!;
      qty += Math.abs(lot.qty);
      cost += Math.abs(lot.qty) * lot.price;
    }
    return qty === 0 ? Number.NaN : cost / qty;
  }

  unrealized(mark: number): number {
    if (this.position === 0) return 0;
    return (mark - this.avgPrice) * this.position;
  }
}

/** Round trips of a whole fill ledger (FIFO per symbol), in the order they closed. */
export function roundTrips(fills: readonly Fill[]): RoundTrip[] {
  const books = new Map<string, FifoPosition>();
  const trips: RoundTrip[] = [];
  for (const f of fills) {
    let book = books.get(f.symbol);
    if (!book) books.set(f.symbol, (book = new FifoPosition(f.symbol)));
    trips.push(...book.apply(f.side, f.qty, f.price, f.fee, f.time));
  }
  return trips;
}
