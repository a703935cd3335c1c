/** The coordinator's queue stats per stream, and the plan's one-line text form. */
import { useSlice } from '../../hooks/use-slice';
import { formatExchangeClock, formatTime, wallParts } from '../../state/exchange-time';
import type { SessionController } from '../../state/session-controller';

export function QueuePanel({ controller, zone }: { controller: SessionController; zone: string }) {
  useSlice(controller.model, 'stats');
  const { queues, queueText } = controller.model;
  return (
    <section className="panel" aria-labelledby="queue-title">
      <h2 id="queue-title">Queues</h2>
      {queues.length === 0 ? (
        <p className="empty">No streams.</p>
      ) : (
        <table className="data-table" aria-labelledby="queue-title">
          <thead>
            <tr>
              <th scope="col">Symbol</th>
              <th scope="col">Stream</th>
              <th scope="col" className="num">
                Items
              </th>
              <th scope="col">First</th>
              <th scope="col">Last</th>
              <th scope="col" className="num">
                Stale
              </th>
            </tr>
          </thead>
          <tbody>
            {queues.map((q) => (
              <tr key={`${q.symbol}-${q.stream}`}>
                <th scope="row">{q.symbol}</th>
                <td>{q.stream}</td>
                <td className="num">{q.items.toLocaleString('en-US')}</td>
                <td title={q.first === null ? undefined : formatExchangeClock(q.first, zone)}>
                  {q.first === null ? '—' : formatTime(wallParts(q.first, zone))}
                </td>
                <td title={q.last === null ? undefined : formatExchangeClock(q.last, zone)}>
                  {q.last === null ? '—' : formatTime(wallParts(q.last, zone))}
                </td>
                <td className="num">{q.staleSkipped}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {queueText.length > 0 && (
        <pre className="queue-text" aria-label="Queue stats text">
          {queueText.join('\n')}
        </pre>
      )}
    </section>
  );
}
