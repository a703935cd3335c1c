import { useMemo } from 'react';
import type { SymbolInfo } from '../../../../shared/ipc-contract';
import type { SessionController } from '../../state/session-controller';
import type { ChartLayout } from '../toolbar/Toolbar';
import { ChartPanel, type JumpRequest } from './ChartPanel';
import { TimeSync } from './time-sync';
import { cellSymbols } from '../../state/layout';

interface Props {
  controller: SessionController;
  layout: ChartLayout;
  symbols: SymbolInfo[];
  chosen: string[];
  onChoose: (index: number, symbol: string) => void;
  jump: JumpRequest | null;
  /** The IANA zone of the axis labels (the clock's). */
  zone: string;
}

export function ChartGrid({ controller, layout, symbols, chosen, onChoose, jump, zone }: Props) {
  const sync = useMemo(() => new TimeSync(), []);
  const cells = cellSymbols(layout, symbols, chosen);
  return (
    <div className={`chart-grid layout-${layout}`}>
      {cells.map((symbol, index) => (
        <ChartPanel
          key={index}
          controller={controller}
          index={index}
          symbols={symbols}
          symbol={symbol}
          onSymbol={(s) => onChoose(index, s)}
          sync={sync}
          jump={jump}
          zone={zone}
        />
      ))}
    </div>
  );
}
