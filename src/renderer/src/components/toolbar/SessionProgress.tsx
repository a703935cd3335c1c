import { progressPercent } from '../../state/progress';

export function SessionProgress({ progress, label }: { progress: number; label: string }) {
  const percent = progressPercent(progress);
  return (
    <div className="session-progress" title={`${percent}% of ${label}`}>
      <progress aria-label="Session progress" max={100} value={percent}>
        {percent}%
      </progress>
    </div>
  );
}
