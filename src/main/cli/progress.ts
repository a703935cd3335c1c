/**
 * A progress bar on a terminal, nothing when output is piped (CI logs, scripts).
 */
import { SingleBar, Presets } from 'cli-progress';
import type { StreamCoordinator } from '../engine/stream-coordinator';

export function startProgress(total: number, coordinator: StreamCoordinator): { stop(): void } {
  if (!process.stderr.isTTY || total === 0) return { stop: () => undefined };
  const bar = new SingleBar(
    {
      format: 'replay |{bar}| {percentage}% | {value}/{total} events | {clock}',
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { clock: '' });
  const timer = setInterval(() => {
    bar.update(coordinator.emitted, { clock: new Date(coordinator.clock.now()).toISOString() });
  }, 200);
  return {
    stop: () => {
      clearInterval(timer);
      bar.update(coordinator.emitted);
      bar.stop();
    },
  };
}
