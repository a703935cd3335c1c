import { formatDuration, formatRate, type RunProgress } from '../../../../shared/run-progress';

/**
 * Beside the progress bar, for a replay of the store: trading days done, events a second
 * lately, and the time left at that rate (while it runs; days alone otherwise).
 */
export function RunFigures({ run, running }: { run: RunProgress | undefined; running: boolean }) {
  if (!run || run.daysTotal === 0) return null;
  const parts = [`day ${run.daysDone}/${run.daysTotal}`];
  if (running && run.eventsPerSecond > 0) {
    parts.push(`${formatRate(run.eventsPerSecond)}`, `${formatDuration(run.secondsLeft)} left`);
  }
  return (
    <span className="run-figures" role="status" aria-label="Run progress">
      {parts.join(' · ')}
    </span>
  );
}
