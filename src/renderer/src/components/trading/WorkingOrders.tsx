/**
 * Open orders (resting limits and stops, orders waiting out their latency or a first price),
 * each with a Cancel button. The list is the engine's: it follows with the next update.
 */
import { formatTime, wallParts } from '../../state/exchange-time';
import type { SessionController } from '../../state/session-controller';
import type { OrderView } from '../../../../shared/strategy/types';
import { formatPrice } from '../../../../shared/price-precision';
import { priceDecimals } from '../../state/price-decimals';

function orderPrice(o: OrderView, decimals: number): string {
  if (o.type === 'limit' && o.price !== null) return `limit ${formatPrice(o.price, decimals)}`;
  if (o.type === 'stop' && o.stop !== null) return `stop ${formatPrice(o.stop, decimals)}`;
  return 'market';
}

export function WorkingOrders({ controller }: { controller: SessionController }) {
  const orders = controller.trading.orders;
  if (orders.length === 0) return null;
  return (
    <table className="data-table working-orders" aria-label="Working orders">
      <thead>
        <tr>
          <th scope="col">Placed</th>
          <th scope="col">Symbol</th>
          <th scope="col">Side</th>
          <th scope="col" className="num">
            Qty
          </th>
          <th scope="col">Type</th>
          <th scope="col">
            <span className="visually-hidden">Cancel</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.id} title={`Order ${o.id}: ${o.status} (${o.source})`}>
            <td>{formatTime(wallParts(o.placed_at))}</td>
            <th scope="row">{o.symbol}</th>
            <td className={o.side === 'buy' ? 'up' : 'down'}>{o.side}</td>
            <td className="num">{o.filled > 0 ? `${o.filled}/${o.qty}` : o.qty}</td>
            <td>{orderPrice(o, priceDecimals(controller.model.stats, o.symbol))}</td>
            <td>
              <button
                type="button"
                aria-label={`Cancel order ${o.id} (${o.side} ${o.qty} ${o.symbol})`}
                onClick={() => void controller.cancelOrder(o.id)}
              >
                Cancel
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
