/**
 * One chart cell: the symbol picker, the interval tabs, the legend and the chart itself. The
 * chart is driven from the shared frame loop; React only decides which series it shows.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { intervalMs, type Interval } from '../../../../shared/interval';
import type { SymbolInfo } from '../../../../shared/ipc-contract';
import type { SessionController } from '../../state/session-controller';
import { formatExchangeClock } from '../../state/exchange-time';
import { priceDecimals } from '../../state/price-decimals';
import { CandleChart } from './candle-chart';
import { frameLoop } from './frame-loop';
import { IntervalTabs } from './IntervalTabs';
import type { TimeSync } from './time-sync';
import { TradeOverlay } from './trade-overlay';

export interface JumpRequest {
  symbol: string;
  start: number;
  end: number;
  seq: number;
}

interface Props {
  controller: SessionController;
  index: number;
  symbols: SymbolInfo[];
  symbol: string;
  onSymbol: (symbol: string) => void;
  sync: TimeSync;
  jump: JumpRequest | null;
  zone: string;
}

function intervalsOf(info: SymbolInfo | undefined): Interval[] {
  if (!info || info.baseInterval === null) return [];
  return [info.baseInterval, ...info.derivedIntervals.filter((i) => i !== info.baseInterval)];
}

export function ChartPanel({
  controller,
  index,
  symbols,
  symbol,
  onSymbol,
  sync,
  jump,
  zone,
}: Props) {
  const info = symbols.find((s) => s.symbol === symbol);
  const intervals = intervalsOf(info);
  const [chosen, setChosen] = useState<Interval | null>(null);
  const interval = chosen !== null && intervals.includes(chosen) ? chosen : (intervals[0] ?? null);
  const container = useRef<HTMLDivElement>(null);
  const ohlc = useRef<HTMLSpanElement>(null);
  const quote = useRef<HTMLSpanElement>(null);
  const chart = useRef<CandleChart | null>(null);
  const trades = useRef<TradeOverlay | null>(null);
  const position = useRef<HTMLSpanElement>(null);
  const fillsInView = useRef<HTMLSpanElement>(null);
  const panelId = useId();
  const suffix = index === 0 ? '' : ` ${index + 1}`;
  const hasQuotes = info?.hasQuotes ?? false;
  // Ticks and no bar stream: the chart draws the trade prints themselves.
  const printsOnly = (info?.hasTicks ?? false) && info?.baseInterval === null;

  useEffect(() => {
    const element = container.current!;
    const instance = new CandleChart(element, { ohlc: ohlc.current!, quote: quote.current }, zone);
    chart.current = instance;
    const overlay = new TradeOverlay(
      instance.chart,
      instance.priceSeries,
      controller.trading,
      position.current,
      fillsInView.current,
      (t) => formatExchangeClock(t, zone),
    );
    trades.current = overlay;
    const unsync = sync.add({
      chart: instance.chart,
      element,
      showCrosshairAt: (time) => instance.showCrosshairAt(time),
    });
    return () => {
      unsync();
      overlay.dispose();
      instance.dispose();
      chart.current = null;
      trades.current = null;
    };
  }, [sync, controller, zone]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const { store } = controller;
    return frameLoop.add((deadline) => {
      if (interval === null) {
        // No bars: a quotes-only symbol still shows its bid and ask, a ticks-only one its prints.
        if (hasQuotes && !store.quotes(symbol)) void controller.ensureQuotes(symbol);
        if (printsOnly && !store.trades(symbol)) void controller.ensureTrades(symbol);
        instance.show(
          null,
          hasQuotes ? (store.quotes(symbol) ?? null) : null,
          printsOnly ? (store.trades(symbol) ?? null) : null,
        );
      } else {
        // After a resync the store starts empty: ask again, and draw once it is back.
        if (!store.bars(symbol, interval)) void controller.ensureBars(symbol, interval);
        if (hasQuotes && !store.quotes(symbol)) void controller.ensureQuotes(symbol);
        instance.show(
          store.bars(symbol, interval) ?? null,
          hasQuotes ? (store.quotes(symbol) ?? null) : null,
        );
      }
      const decimals = priceDecimals(controller.model.stats, symbol);
      instance.setPrecision(decimals);
      if (trades.current) trades.current.decimals = decimals;
      instance.frame(deadline);
      if (interval !== null) {
        const shown = store.bars(symbol, interval);
        trades.current?.setBars(shown?.bars ?? null, shown?.forming ?? null);
        trades.current?.show(symbol, intervalMs(interval));
        trades.current?.frame();
      }
    });
  }, [controller, symbol, interval, hasQuotes, printsOnly]);

  useEffect(() => {
    if (jump && jump.symbol === symbol) chart.current?.showRange(jump.start, jump.end);
  }, [jump, symbol]);

  return (
    <section className="chart-panel" aria-label={`Chart${suffix}: ${symbol || 'no symbol'}`}>
      <div className="chart-header">
        <select
          aria-label={`Symbol${suffix}`}
          value={symbol}
          onChange={(e) => onSymbol(e.target.value)}
          disabled={symbols.length === 0}
        >
          {symbols.length === 0 && <option value="">no session</option>}
          {symbols.map((s) => (
            <option key={s.symbol} value={s.symbol}>
              {s.symbol}
            </option>
          ))}
        </select>
        {interval !== null && (
          <IntervalTabs
            intervals={intervals}
            selected={interval}
            onSelect={setChosen}
            label={`Interval${suffix}`}
            panelId={panelId}
          />
        )}
        <div className="legend" aria-live="off">
          <span className="legend-ohlc" ref={ohlc} />
          {/* Always there (hidden without quotes): the chart keeps this node across symbols. */}
          <span
            className="legend-quote"
            aria-label={`Last quote${suffix}`}
            ref={quote}
            hidden={!hasQuotes}
          />
          <span className="legend-position" aria-label={`Position${suffix}`} ref={position} />
          <span
            className="visually-hidden"
            aria-label={`Fills in view${suffix}`}
            ref={fillsInView}
          />
        </div>
      </div>
      <div
        className="chart-canvas"
        id={panelId}
        role={interval !== null ? 'tabpanel' : undefined}
        aria-label={interval !== null ? `${symbol} ${interval} candles` : undefined}
        ref={container}
      />
      {info && info.baseInterval === null && !hasQuotes && !printsOnly && (
        <p className="chart-empty">{symbol} has no bar stream in this session.</p>
      )}
    </section>
  );
}
