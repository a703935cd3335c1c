/**
 * The `ctx` a strategy's handlers get: the clock, its params, orders through the simulated
 * broker, positions, look-back, sessions, plots and log lines. Built once per run; every
 * member reads the runner's state as it is at the call, so nothing is copied per event.
 */
import type { Interval } from '../../../shared/interval';
import type {
  OrderRequest,
  PlotOptions,
  Side,
  StrategyBar,
  StrategyContext,
  StrategyParams,
  StrategySession,
} from '../../../shared/strategy/types';
import type { ExchangeCalendar } from '../../../shared/market/exchange-calendar';
import { toIsoMs } from '../../../shared/time';
import type { PlotSeries } from './plot-series';
import type { SimulatedBroker } from './simulated-broker';
import { StrategyUsageError } from './strategy-error';

/** Log lines kept for the UI; older ones are dropped (the log callback saw them all). */
const KEPT_LOG_LINES = 1000;

/** What the context reads from the runner that builds it. */
export interface ContextHost {
  /** The backtest clock as the strategy sees it. */
  now(): number;
  /** The symbol of the event being handled: `plot` draws on its chart by default. */
  currentSymbol(): string | undefined;
  readonly params: StrategyParams;
  readonly broker: SimulatedBroker;
  readonly plots: PlotSeries;
  readonly logLines: string[];
  log?: (line: string) => void;
  bars(symbol: string, interval: Interval, n: number): StrategyBar[];
  calendarOf(symbol: string): ExchangeCalendar;
}

export function makeStrategyContext(host: ContextHost): StrategyContext {
  const broker = host.broker;
  const order = (symbol: string, side: Side, qty: number, opts?: Partial<OrderRequest>): number =>
    broker.place(
      opts === undefined ? { symbol, side, qty } : { ...opts, symbol, side, qty },
      'strategy',
      host.now(),
    );
  return {
    get time() {
      return host.now();
    },
    get params() {
      return host.params;
    },
    buy: (symbol, qty, opts) => order(symbol, 'buy', qty, opts),
    sell: (symbol, qty, opts) => order(symbol, 'sell', qty, opts),
    order: (request) => broker.place(request, 'strategy', host.now()),
    cancel: (id) => broker.cancel(id),
    position: (symbol) => broker.books.get(symbol)?.position.position ?? 0,
    avgPrice: (symbol) => broker.books.get(symbol)?.position.avgPrice ?? Number.NaN,
    get cash() {
      return broker.cash;
    },
    get equity() {
      return broker.equity;
    },
    orders: () => broker.orders(),
    bars: (symbol, interval, n) => host.bars(symbol, interval, n),
    session: (symbol, at) => session(host, symbol, at),
    plot: (name: string, value: number, opts?: PlotOptions) => {
      const symbol = opts?.symbol ?? host.currentSymbol();
      if (typeof name !== 'string' || name === '')
        throw new StrategyUsageError('plot() needs a name');
      if (!symbol || !broker.books.has(symbol)) {
        throw new StrategyUsageError(`plot() for unknown symbol ${JSON.stringify(symbol)}`);
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) return;
      host.plots.add(symbol, name, host.now(), value, opts?.color);
    },
    log: (...args: unknown[]) => {
      const line = `${Number.isFinite(host.now()) ? toIsoMs(host.now()) : '-'} ${args.map(format).join(' ')}`;
      const lines = host.logLines;
      lines.push(line);
      if (lines.length > KEPT_LOG_LINES) lines.splice(0, lines.length - KEPT_LOG_LINES);
      host.log?.(line);
    },
  };
}

/** The calendar's session holding `at` (default: the clock) or the next one. */
function session(
  host: ContextHost,
  symbol: string,
  at: number | undefined,
): StrategySession | null {
  if (!host.broker.books.has(symbol)) {
    throw new StrategyUsageError(`session() for unknown symbol ${JSON.stringify(symbol)}`);
  }
  const t = at ?? host.now();
  if (typeof t !== 'number' || Number.isNaN(t)) {
    throw new StrategyUsageError(`session() needs a time in UTC ms (got ${String(at)})`);
  }
  const found = host.calendarOf(symbol).sessionAfter(t);
  return found
    ? { date: found.date, open: found.open, close: found.close, early_close: found.earlyClose }
    : null;
}

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
