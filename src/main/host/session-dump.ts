/**
 * The session dump (`--dump`): one row per upkeep cycle, so a run can be checked afterwards by
 * the validator (the seed plan's §6.3). Its columns are a contract:
 *   clock, then per symbol <SYM>_base_interval, <SYM>_bars_base, <SYM>_bar_quality,
 *   <SYM>_gaps_missing, <SYM>_last_close, <SYM>_bid, <SYM>_ask, then <SYM>_<interval>_bars
 *   for each derived interval computed for the symbol.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { isBaseInterval, isDerivableFrom, type Interval } from '../../shared/interval';
import type { SessionConfig } from '../../shared/session-config';
import type { SessionData } from '../engine/session-data';
import type { DataUpkeep } from '../engine/upkeep/data-upkeep';

const SYMBOL_COLUMNS = [
  'base_interval',
  'bars_base',
  'bar_quality',
  'gaps_missing',
  'last_close',
  'bid',
  'ask',
];

export interface DumpLayout {
  symbols: string[];
  /** Derived intervals computed, per symbol. */
  derived: Map<string, Interval[]>;
  header: string[];
}

export function dumpLayout(config: SessionConfig): DumpLayout {
  const symbols = [...new Set(config.data_streams.map((s) => s.symbol))].sort();
  const derived = new Map<string, Interval[]>();
  for (const symbol of symbols) {
    const bars = config.data_streams.find((s) => s.symbol === symbol && s.type === 'bars');
    const base = bars?.interval;
    derived.set(
      symbol,
      isBaseInterval(base) && config.session_data_config.data_upkeep.enabled
        ? config.session_data_config.data_upkeep.derived_intervals.filter((d) =>
            isDerivableFrom(d, base),
          )
        : [],
    );
  }
  const header = ['clock'];
  for (const symbol of symbols) {
    for (const column of SYMBOL_COLUMNS) header.push(`${symbol}_${column}`);
    for (const interval of derived.get(symbol)!) header.push(`${symbol}_${interval}_bars`);
  }
  return { symbols, derived, header };
}

export class SessionDumpWriter {
  private readonly fd: number;

  constructor(
    path: string,
    private readonly layout: DumpLayout,
    private readonly sessionData: SessionData,
    private readonly upkeep: DataUpkeep,
  ) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, `${layout.header.join(',')}\n`);
  }

  /** An upkeep cycle listener: one row as of the cycle's time. */
  readonly row = (asOf: number): void => {
    const cells: string[] = [new Date(asOf).toISOString()];
    for (const symbol of this.layout.symbols) {
      const data = this.sessionData.getSymbolData(symbol);
      const tracker = this.upkeep.trackerOf(symbol);
      const quote = data?.latest_quote ?? null;
      const base = data?.bars_base;
      cells.push(
        data?.base_interval ?? '',
        String(data?.baseBarCount ?? 0),
        tracker?.quality == null ? '' : tracker.quality.toFixed(4),
        String(tracker?.missingBars ?? 0),
        base && base.length > 0 ? String(base.values[3]![base.length - 1]) : '',
        quote ? String(quote.bid) : '',
        quote ? String(quote.ask) : '',
      );
      for (const interval of this.layout.derived.get(symbol)!) {
        cells.push(String(this.upkeep.derivedOf(symbol, interval)?.count ?? 0));
      }
    }
    writeSync(this.fd, `${cells.join(',')}\n`);
  };

  close(): void {
    closeSync(this.fd);
  }
}
