/**
 * A progress bar on a terminal, nothing when output is piped (CI logs, scripts): events, trading
 * days done of the session's, events a second lately, and the time left at that rate.
 */
import { SingleBar, Presets } from 'cli-progress';
import type { StreamCoordinator } from '../engine/stream-coordinator';
import {
  RunProgressMeter,
  formatDuration,
  formatRate,
  type RunProgress,
} from '../../shared/run-progress';

export function startProgress(
  total: number,
  coordinator: StreamCoordinator,
  days: readonly { start: number; end: number }[] = [],
): { stop(): void } {
  if (!process.stderr.isTTY || total === 0) return { stop: () => undefined };
  const bar = new SingleBar(
    {
      format:
        'replay |{bar}| {percentage}% | {value}/{total} events | {days} | {rate} | {left} left | {clock}',
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  const meter = new RunProgressMeter(days, total);
  const fields = (progress: RunProgress | null) => ({
    days:
      progress && progress.daysTotal > 0 ? `day ${progress.daysDone}/${progress.daysTotal}` : '',
    rate: progress ? formatRate(progress.eventsPerSecond) : '',
    left: progress ? formatDuration(progress.secondsLeft) : '—',
    clock: coordinator.emitted > 0 ? new Date(coordinator.clock.now()).toISOString() : '',
  });
  bar.start(total, 0, fields(null));
  const sample = () =>
    meter.sample(
      coordinator.emitted > 0 ? coordinator.clock.now() : null,
      coordinator.emitted,
      performance.now(),
    );
  sample();
  const timer = setInterval(() => bar.update(coordinator.emitted, fields(sample())), 200);
  return {
    stop: () => {
      clearInterval(timer);
      bar.update(coordinator.emitted, fields(sample()));
      bar.stop();
    },
  };
}
