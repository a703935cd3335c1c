import { useRef } from 'react';
import { progressPercent } from '../../state/progress';

/**
 * The session's progress; clicking or dragging on it goes to that point of the session
 * (forward: replayed flat out; back: the state there restored), on release.
 */
export function SessionProgress({
  progress,
  label,
  onSeekFraction,
}: {
  progress: number;
  label: string;
  onSeekFraction?: (fraction: number) => void;
}) {
  const percent = progressPercent(progress);
  const dragging = useRef(false);
  const fraction = (e: React.PointerEvent<HTMLDivElement>): number => {
    const box = e.currentTarget.getBoundingClientRect();
    return Math.min(1, Math.max(0, (e.clientX - box.left) / Math.max(1, box.width)));
  };
  return (
    <div
      className={`session-progress${onSeekFraction ? ' seekable' : ''}`}
      title={`${percent}% of ${label}${onSeekFraction ? ': click or drag to go there' : ''}`}
      onPointerDown={(e) => {
        if (!onSeekFraction) return;
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerUp={(e) => {
        if (!onSeekFraction || !dragging.current) return;
        dragging.current = false;
        onSeekFraction(fraction(e));
      }}
    >
      <progress aria-label="Session progress" max={100} value={percent}>
        {percent}%
      </progress>
    </div>
  );
}
