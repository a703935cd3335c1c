/** Buy, Sell and Flatten during a replay (paused or playing), as TradingView's replay trading. */
import { useState } from 'react';
import { useSlice } from '../../hooks/use-slice';
import type { SessionController } from '../../state/session-controller';

export function ManualTrade({ controller }: { controller: SessionController }) {
  useSlice(controller.model, 'info');
  useSlice(controller.model, 'status');
  const symbols = controller.model.info?.symbols.map((s) => s.symbol) ?? [];
  const [symbol, setSymbol] = useState('');
  const [qty, setQty] = useState('100');
  const chosen = symbols.includes(symbol) ? symbol : (symbols[0] ?? '');
  const state = controller.model.status.state;
  const live = state === 'paused' || state === 'running';
  const amount = Number(qty);
  const qtyOk = Number.isFinite(amount) && amount > 0;
  const send = (side: 'buy' | 'sell' | 'flatten'): void => {
    if (!chosen) return;
    void controller.manualOrder(chosen, side, side === 'flatten' ? undefined : amount);
  };
  return (
    <div className="manual-trade" role="group" aria-label="Manual trading">
      <select aria-label="Trade symbol" value={chosen} onChange={(e) => setSymbol(e.target.value)}>
        {symbols.map((s) => (
          <option key={s}>{s}</option>
        ))}
      </select>
      <input
        aria-label="Quantity"
        type="number"
        min="1"
        step="1"
        value={qty}
        onChange={(e) => setQty(e.target.value)}
        aria-invalid={!qtyOk}
      />
      <button type="button" className="buy" disabled={!live || !qtyOk} onClick={() => send('buy')}>
        Buy
      </button>
      <button
        type="button"
        className="sell"
        disabled={!live || !qtyOk}
        onClick={() => send('sell')}
      >
        Sell
      </button>
      <button type="button" disabled={!live} onClick={() => send('flatten')}>
        Flatten
      </button>
    </div>
  );
}
