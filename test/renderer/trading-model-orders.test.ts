import { describe, expect, it } from 'vitest';
import { TradingModel } from '../../src/renderer/src/state/trading-model';
import type { OrderView } from '../../src/shared/strategy/types';

const order = (id: number, type: OrderView['type']): OrderView => ({
  id,
  symbol: 'AAPL',
  side: 'buy',
  type,
  qty: 10,
  filled: 0,
  price: type === 'limit' ? 99 : null,
  stop: type === 'stop' ? 101 : null,
  status: 'working',
  placed_at: 1,
  active_at: 1,
  source: 'strategy',
});

describe('TradingModel open orders', () => {
  it('replaces the open orders when an update carries them, keeps them otherwise, clears on reset', () => {
    const model = new TradingModel();
    model.reset({ fills: [], strategy: null, orders: [order(1, 'limit'), order(2, 'stop')] });
    expect(model.orders.map((o) => o.id)).toEqual([1, 2]);
    const v = model.version;
    model.apply({ fills: [], strategy: null });
    expect(model.orders.map((o) => o.id)).toEqual([1, 2]);
    model.apply({ fills: [], strategy: null, orders: [order(2, 'stop')] });
    expect(model.orders.map((o) => o.id)).toEqual([2]);
    expect(model.version).toBeGreaterThan(v);
    model.reset(undefined);
    expect(model.orders).toEqual([]);
  });
});
