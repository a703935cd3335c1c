/**
 * Exchange-local trading dates of UTC instants, fast enough for millions of rows: a date's
 * [local midnight, next local midnight) span is computed once with the zone rules and then
 * reused while rows stay inside it, which sorted input almost always does.
 */
import { EXCHANGE_TZ, exchangeDate, exchangeTimeToUtc, nextDate } from '../../../shared/time';

export interface TradingDay {
  date: string;
  /** UTC epoch ms of local midnight starting the date, and of the next one. */
  start: number;
  end: number;
}

export class TradingDates {
  private last: TradingDay | null = null;

  constructor(private readonly tz: string = EXCHANGE_TZ) {}

  /** The exchange-local day holding `t`. */
  dayOf(t: number): TradingDay {
    const last = this.last;
    if (last && t >= last.start && t < last.end) return last;
    const date = exchangeDate(t, this.tz);
    const day = {
      date,
      start: exchangeTimeToUtc(date, 0, 0, this.tz),
      end: exchangeTimeToUtc(nextDate(date), 0, 0, this.tz),
    };
    this.last = day;
    return day;
  }
}
