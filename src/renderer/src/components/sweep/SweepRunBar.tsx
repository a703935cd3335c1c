/** A running sweep: runs done of total, failures, the time left, and Cancel. */
import type { SweepProgress } from '../../../../shared/sweep-contract';
import { formatDuration } from './sweep-format';

interface Props {
  progress: SweepProgress;
  cancelling: boolean;
  onCancel: () => void;
}

const ENDED: Record<Exclude<SweepProgress['state'], 'running'>, string> = {
  done: 'done',
  cancelled: 'cancelled',
  failed: 'failed',
};

export function SweepRunBar({ progress, cancelling, onCancel }: Props) {
  const { done, total, failed, state } = progress;
  const running = state === 'running';
  const fraction = total > 0 ? done / total : 0;
  return (
    <div className={`sweep-run-bar state-${state}`} aria-label="Sweep progress">
      <progress aria-label="Runs done" max={total} value={done} />
      <span aria-label="Runs done of total">
        {done}/{total} runs
      </span>
      {failed > 0 && <span className="down">{failed} failed</span>}
      <span className="muted">
        {running
          ? progress.etaMs === null
            ? 'ETA …'
            : `ETA ${formatDuration(progress.etaMs)}`
          : `${ENDED[state]} in ${formatDuration(progress.elapsedMs)}`}
      </span>
      <span className="muted">{Math.round(fraction * 100)}%</span>
      {running && (
        <button type="button" onClick={onCancel} disabled={cancelling}>
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      )}
      {progress.error && (
        <span className="down" role="alert">
          {progress.error}
        </span>
      )}
    </div>
  );
}
