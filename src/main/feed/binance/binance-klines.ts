/**
 * Binance's REST klines endpoint, paged: `/api/v3/klines` answers at most `limit` (1000)
 * klines per request, oldest first. Each page is checked: rows inside the asked range and in
 * strictly increasing order, else the answer is refused (the caller retries).
 */
import { intervalMs, type BaseInterval } from '../../../shared/interval';
import type { StreamBatch } from '../../../shared/stream-cursor';
import { FeedError } from '../market-feed';
import { parseRestKlines } from './binance-messages';

export const KLINES_PAGE_LIMIT = 1000;

export type FetchLike = (url: string) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
}>;

export interface KlinesRequest {
  restUrl: string;
  symbol: string;
  interval: BaseInterval;
  /** Bars with start in [startMs, endMs). */
  startMs: number;
  endMs: number;
  fetch?: FetchLike;
  pageLimit?: number;
}

export function klinesUrl(
  restUrl: string,
  symbol: string,
  interval: string,
  startMs: number,
  endMs: number,
  limit: number,
): string {
  const base = restUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({
    symbol: symbol.toUpperCase(),
    interval,
    startTime: String(startMs),
    // Binance's endTime is inclusive.
    endTime: String(endMs - 1),
    limit: String(limit),
  });
  return `${base}/api/v3/klines?${query.toString()}`;
}

/** Every kline with start in [startMs, endMs), as a bar batch (open, high, low, close, volume). */
export async function fetchKlines(request: KlinesRequest): Promise<StreamBatch> {
  const fetchFn: FetchLike = request.fetch ?? ((url) => fetch(url));
  const limit = request.pageLimit ?? KLINES_PAGE_LIMIT;
  const step = intervalMs(request.interval);
  const times: number[] = [];
  const cols: number[][] = [[], [], [], [], []];
  let from = request.startMs;
  while (from < request.endMs) {
    const url = klinesUrl(
      request.restUrl,
      request.symbol,
      request.interval,
      from,
      request.endMs,
      limit,
    );
    const response = await fetchFn(url);
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new FeedError(
        `${request.symbol}: ${url} answered HTTP ${response.status}${body ? `: ${body.slice(0, 120)}` : ''}`,
      );
    }
    const rows = parseRestKlines(await response.json(), `${request.symbol} klines ${url}`);
    let previous = times.length > 0 ? times[times.length - 1]! : -Infinity;
    for (const [index, row] of rows.entries()) {
      if (row.start < from || row.start >= request.endMs) {
        throw new FeedError(
          `${request.symbol} klines ${url}: row ${index} starts at ${new Date(row.start).toISOString()}, ` +
            'outside the asked range',
        );
      }
      if (row.start <= previous) {
        throw new FeedError(`${request.symbol} klines ${url}: row ${index} is out of order`);
      }
      previous = row.start;
      times.push(row.start);
      cols[0]!.push(row.open);
      cols[1]!.push(row.high);
      cols[2]!.push(row.low);
      cols[3]!.push(row.close);
      cols[4]!.push(row.volume);
    }
    if (rows.length < limit) break;
    from = rows[rows.length - 1]!.start + step;
  }
  return {
    length: times.length,
    timestamp: Float64Array.from(times),
    values: cols.map((c) => Float64Array.from(c)),
  };
}
