import { useSlice } from '../../hooks/use-slice';
import type { SessionController } from '../../state/session-controller';
import { QualityStrip } from './QualityStrip';

export function QualityPanel({
  controller,
  zone,
}: {
  controller: SessionController;
  zone: string;
}) {
  useSlice(controller.model, 'stats');
  const { strips } = controller.model;
  return (
    <section className="panel" aria-labelledby="quality-title">
      <h2 id="quality-title">Data quality by minute</h2>
      {strips.length === 0 ? (
        <p className="empty">No minutes yet.</p>
      ) : (
        <>
          {strips.map((s) => (
            <QualityStrip key={s.symbol} strip={s} zone={zone} />
          ))}
          <p className="strip-legend" aria-hidden="true">
            <span className="key key-present" /> present <span className="key key-missing" />{' '}
            missing <span className="key key-refilled" /> refilled{' '}
            <span className="key key-partial" /> partial
          </p>
        </>
      )}
    </section>
  );
}
