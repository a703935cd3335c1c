/**
 * Queue stats per stream, in the seed plan's one-line-per-symbol form:
 *   AAPL | 1s: 390 items (09:30:00 - 09:36:30) | quotes: 1200 items (09:30:00 - 09:31:00)
 */
import type { BaseInterval } from '../../shared/interval';
import type { StreamType } from '../../shared/stream-types';
import { exchangeClock } from '../../shared/time';

export interface QueueStat {
  symbol: string;
  type: StreamType;
  interval: BaseInterval | null;
  /** Items waiting in the queue. */
  items: number;
  /** Stored timestamps of the first and last queued items. */
  first: number | null;
  last: number | null;
  emitted: number;
  stale_skipped: number;
  /** Live mode: items that arrived after the merge had passed their place (still emitted). */
  late: number;
  exhausted: boolean;
}

export function formatQueueStats(stats: readonly QueueStat[], tz?: string): string {
  const bySymbol = new Map<string, QueueStat[]>();
  for (const stat of stats) {
    const list = bySymbol.get(stat.symbol) ?? [];
    list.push(stat);
    bySymbol.set(stat.symbol, list);
  }
  const order: Record<StreamType, number> = { bars: 0, quotes: 1, ticks: 2 };
  return [...bySymbol.keys()]
    .sort()
    .map((symbol) => {
      const parts = bySymbol
        .get(symbol)!
        .sort((a, b) => order[a.type] - order[b.type])
        .map((s) => {
          const label = s.type === 'bars' ? s.interval : s.type;
          const span =
            s.first === null || s.last === null
              ? ''
              : ` (${exchangeClock(s.first, tz)} - ${exchangeClock(s.last, tz)})`;
          return `${label}: ${s.items} items${span}`;
        });
      return [symbol, ...parts].join(' | ');
    })
    .join('\n');
}
