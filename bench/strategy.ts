/**
 * `npm run bench -- strategy`: the coordinator workload (50 symbols × a day of 1s bars plus 10
 * symbols of quotes, 2.17 M events, in memory, speed 0) with and without a strategy that
 * handles every bar and quote and updates two EMAs per symbol. `ratio` = with / without
 * (goal <= 1.3). `ratio_trading`: the same strategy trading on every cross of its bar EMAs
 * (about 23,000 fills, a position held most of the time), for the broker's share. The UI's frame time with 10,000 fill markers is measured by `npm run bench
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

/** Median of 5 alternating runs without a strategy and with the one in `file`. */
async function measure(
  columns: Columns,
  file: string,
): Promise<{ base: number; ours: number; events: number; fills: number }> {
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
  return { base: median(without), ours: median(withStrategy), events, fills };
}

export async function run(): Promise<
  BenchResult & { ratio_trading: number; fills_trading: number }
> {
  const columns = memoryColumns();
  const strategy = (name: string): string =>
    fileURLToPath(new URL(`./strategies/${name}.ts`, import.meta.url));
  const emas = await measure(columns, strategy('two-emas'));
  const trading = await measure(columns, strategy('two-emas-trading'));
  const { events } = emas;
  console.log(`without a strategy: ${events.toLocaleString()} events in ${emas.base.toFixed(3)} s`);
  console.log(
    `with the two-EMA strategy: ${emas.ours.toFixed(3)} s = ` +
      `${(events / emas.ours / 1e6).toFixed(2)} M events/s; ratio ${(emas.ours / emas.base).toFixed(2)} (goal <= 1.3)`,
  );
  console.log(
    `the same trading on every cross: ${trading.ours.toFixed(3)} s (without ${trading.base.toFixed(3)} s), ` +
      `${trading.fills} fills; ratio ${(trading.ours / trading.base).toFixed(2)}`,
  );
  return {
    name: 'strategy',
    ours_s: round(emas.ours),
    peer: 'no strategy',
    peer_s: round(emas.base),
    ratio: round(emas.ours / emas.base),
    events_per_s: Math.round(events / emas.ours),
    bytes_per_bar: null,
    ratio_trading: round(trading.ours / trading.base),
    fills_trading: trading.fills,
  };
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
