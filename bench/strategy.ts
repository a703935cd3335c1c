/**
 * `npm run bench -- strategy`: the coordinator workload (50 symbols × a day of 1s bars plus 10
 * symbols of quotes, 2.17 M events, in memory, speed 0) with and without a strategy that
 * handles every bar and quote and updates two EMAs per symbol. `ratio` = with / without
 * (goal <= 1.3). The UI's frame time with 10,000 fill markers is measured by `npm run bench
 * -- ui`.
 */
import { fileURLToPath } from 'node:url';
import { calendarFor } from '../src/shared/market/calendars';
import { SessionData } from '../src/main/engine/session-data';
import { StreamCoordinator } from '../src/main/engine/stream-coordinator';
import { loadStrategy, type LoadedStrategy } from '../src/main/engine/strategy/strategy-loader';
import { StrategyRunner } from '../src/main/engine/strategy/strategy-runner';
import { SystemManager } from '../src/main/engine/system-manager';
import { MemoryStreamCursor } from '../src/main/storage/memory-cursor';
import { DEFAULT_EXECUTION } from '../src/shared/strategy/execution-config';
import { memoryColumns } from './coordinator';
import { round, type BenchResult } from './result';

type Columns = ReturnType<typeof memoryColumns>;

async function once(
  columns: Columns,
  loaded: LoadedStrategy | null,
): Promise<{ seconds: number; events: number; fills: number }> {
  const system = new SystemManager('backtest');
  const sessionData = new SessionData();
  const coordinator = new StreamCoordinator({
    system,
    sessionData,
    maxQueueSize: 50_000,
    speed: 0,
  });
  for (const init of columns) coordinator.register(new MemoryStreamCursor(init));
  let runner: StrategyRunner | null = null;
  if (loaded) {
    runner = new StrategyRunner({
      loaded,
      params: {},
      execution: DEFAULT_EXECUTION,
      sessionData,
      streams: coordinator.streams,
      derivedIntervals: [],
      calendarOf: () => calendarFor('XNYS'),
    });
    coordinator.subscribe(runner.onBatch);
  } else {
    coordinator.subscribe(() => undefined);
  }
  const started = performance.now();
  const outcome = await coordinator.start();
  runner?.finish(outcome === 'completed');
  const seconds = (performance.now() - started) / 1000;
  return { seconds, events: coordinator.emitted, fills: runner?.broker.fills.length ?? 0 };
}

export async function run(): Promise<BenchResult> {
  const columns = memoryColumns();
  const file = fileURLToPath(new URL('./strategies/two-emas.ts', import.meta.url));
  // A fresh module per run: the strategy keeps its EMAs in module state.
  const load = (): Promise<LoadedStrategy> => loadStrategy(file);
  await once(columns, null);
  await once(columns, await load());
  const without: number[] = [];
  const withStrategy: number[] = [];
  let events = 0;
  let fills = 0;
  for (let i = 0; i < 5; i++) {
    collectGarbage();
    without.push((await once(columns, null)).seconds);
    const loaded = await load();
    collectGarbage();
    const r = await once(columns, loaded);
    withStrategy.push(r.seconds);
    events = r.events;
    fills = r.fills;
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[2]!;
  const base = median(without);
  const ours = median(withStrategy);
  console.log(`without a strategy: ${events.toLocaleString()} events in ${base.toFixed(3)} s`);
  console.log(
    `with the two-EMA strategy: ${ours.toFixed(3)} s = ${(events / ours / 1e6).toFixed(2)} M events/s, ` +
      `${fills} fills; ratio ${(ours / base).toFixed(2)} (goal <= 1.3)`,
  );
  return {
    name: 'strategy',
    ours_s: round(ours),
    peer: 'no strategy',
    peer_s: round(base),
    ratio: round(ours / base),
    events_per_s: Math.round(events / ours),
    bytes_per_bar: null,
  };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
