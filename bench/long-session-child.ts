/**
 * One long session in a process of its own, so its RSS high-water mark is the session's alone:
 * `node --import tsx bench/long-session-child.ts <json>` prints one JSON line. The argument
 * names the data directory, symbols, date range, derived intervals and retain_days.
 */
import { createDataStore, createFillSource } from '../src/main/host/data-store';
import { openSession, type Session } from '../src/main/host/session-host';
import { attachStrategy, prepareStrategy } from '../src/main/host/strategy-session';
import { DeferredTask } from '../src/main/engine/strategy/deferred-task';
import type { StrategyRunner } from '../src/main/engine/strategy/strategy-runner';
import type { Interval } from '../src/shared/interval';
import { parseSessionConfig } from '../src/shared/session-config';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChildRequest {
  dir: string;
  symbols: string[];
  start: string;
  end: string;
  derived: Interval[];
  retainDays?: number | 'all';
  maxQueueSize?: number;
  /** Decode in a reader worker (default true). */
  readerWorker?: boolean;
  /** The reader worker's entry, when this child runs as a bundle (see long-session.ts). */
  readerEntry?: string;
  /** Attach a strategy that reads a derived look-back, as the hosts attach one. */
  strategy?: boolean;
}

/** Per derived interval: bars, and sums a peer must match (volume, base bars, closes). */
export type Digest = Record<
  string,
  { bars: number; volume: number; baseBars: number; close: number }
>;

export interface ChildResult {
  seconds: number;
  openSeconds: number;
  /** Peak RSS by the end of the open (preflight and cursors), before the replay. */
  openRssMb: number;
  events: number;
  maxRssMb: number;
  heapUsedMb: number;
  peakArrayBuffersMb: number;
  peakHeapTotalMb: number;
  heldBaseBars: number;
  /** Gaps found, how many of them were packed with their days, and the bytes allocated for those. */
  gaps: number;
  packedGaps: number;
  packedGapBytes: number;
  /** With a strategy: its delivered derived bars still in memory at the end. */
  deliveredHeld: number;
  /** One symbol's whole 1m series, as a chart asks for it: first read, then again (cached). */
  chartReadMs: number;
  chartRereadMs: number;
  digest: Digest;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2]!) as ChildRequest;
  const parsed = parseSessionConfig({
    session_name: 'bench-long-session',
    data_streams: request.symbols.map((symbol) => ({ type: 'bars', symbol, interval: '1s' })),
    session_data_config: {
      ...(request.retainDays !== undefined ? { retain_days: request.retainDays } : {}),
      ...(request.maxQueueSize !== undefined ? { max_queue_size: request.maxQueueSize } : {}),
      data_upkeep: {
        enabled: true,
        derived_intervals: request.derived,
        check_interval_seconds: 60,
      },
    },
    backtest_config: { start_date: request.start, end_date: request.end, speed_multiplier: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const store = createDataStore(parsed.config, request.dir, {
    readerWorker: request.readerWorker ?? true,
    ...(request.readerEntry ? { readerWorkerEntry: { entry: request.readerEntry } } : {}),
  });
  if (!store.ok) throw new Error(store.problems.join('\n'));
  // Where the memory is, sampled: array buffers (columns, queues, decoded slabs) and the heap.
  const peaks = { arrayBuffersMb: 0, heapTotalMb: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peaks.arrayBuffersMb = Math.max(peaks.arrayBuffersMb, m.arrayBuffers / 2 ** 20);
    peaks.heapTotalMb = Math.max(peaks.heapTotalMb, m.heapTotal / 2 ** 20);
  }, 250);
  const started = performance.now();
  const beforeUpkeep = request.strategy ? new DeferredTask() : undefined;
  const session = await openSession(parsed.config, store.store, {
    speed: 0,
    fillSource: createFillSource(parsed.config, request.dir),
    ...(beforeUpkeep ? { beforeUpkeep } : {}),
  });
  const runner = beforeUpkeep ? await lookBackStrategy(session, beforeUpkeep) : null;
  const opened = performance.now();
  const openRssMb = process.resourceUsage().maxRSS / 1024;
  // Summed as the bars complete: a bounded session releases them with their days.
  const digest: Digest = {};
  for (const interval of request.derived) {
    digest[interval] = { bars: 0, volume: 0, baseBars: 0, close: 0 };
  }
  let revised = 0;
  // The first symbol's 1m bars in the order they completed (time order), for the read-back.
  const first = { volume: 0, close: 0, high: 0 };
  session.upkeep!.onDerivedBar((symbol, interval, bar, revision) => {
    if (revision) {
      revised++;
      return;
    }
    if (symbol === request.symbols[0] && interval === '1m') {
      first.volume += bar.volume;
      first.close += bar.close;
      first.high += bar.high;
    }
    const d = digest[interval]!;
    d.bars++;
    d.volume += bar.volume;
    d.baseBars += bar.base_bars;
    d.close += bar.close;
  });
  await session.coordinator.start();
  runner?.finish(true);
  if (runner?.failed) throw new Error(runner.failed.message);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  // A refill would revise bars already summed; these files leave nothing to refill.
  if (revised > 0) throw new Error(`${revised} derived bars were revised by refills`);
  for (const interval of request.derived) {
    let count = 0;
    for (const symbol of request.symbols)
      count += session.upkeep!.derivedOf(symbol, interval)!.count;
    if (count !== digest[interval]!.bars) {
      throw new Error(
        `${interval}: ${count} derived bars counted, ${digest[interval]!.bars} completed`,
      );
    }
  }
  // The session's peak, before the reads below add theirs. maxRSS is in kilobytes.
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  // What a chart switching to a derived interval waits for: released days are made again
  // from their base bars, read back from the store.
  const chart = (): number => {
    const t0 = performance.now();
    const rows = session.history.between(request.symbols[0]!, '1m');
    const elapsed = performance.now() - t0;
    const count = session.upkeep!.derivedOf(request.symbols[0]!, '1m')!.count;
    if (rows.length !== count) throw new Error(`1m series read back: ${rows.length} of ${count}`);
    // Summed in the same order as the bars completed: made again, they must match to the bit.
    const [, high, , close, volume] = rows.values as Float64Array[];
    const got = { volume: 0, close: 0, high: 0 };
    for (let i = 0; i < rows.length; i++) {
      got.volume += volume![i]!;
      got.close += close![i]!;
      got.high += high![i]!;
    }
    if (got.volume !== first.volume || got.close !== first.close || got.high !== first.high) {
      throw new Error(
        `1m series read back: ${JSON.stringify(got)}, completed ${JSON.stringify(first)}`,
      );
    }
    return elapsed;
  };
  const chartReadMs = request.derived.includes('1m') ? chart() : Number.NaN;
  const chartRereadMs = request.derived.includes('1m') ? chart() : Number.NaN;
  const result: ChildResult = {
    seconds,
    openSeconds: (opened - started) / 1000,
    openRssMb,
    events: session.coordinator.emitted,
    maxRssMb,
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
    peakArrayBuffersMb: peaks.arrayBuffersMb,
    peakHeapTotalMb: peaks.heapTotalMb,
    heldBaseBars: session.sessionData.heldBaseBars,
    ...gapFigures(session, request.symbols),
    deliveredHeld: runner ? deliveredHeld(runner, request) : 0,
    chartReadMs,
    chartRereadMs,
    digest,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

function gapFigures(
  session: Session,
  symbols: readonly string[],
): Pick<ChildResult, 'gaps' | 'packedGaps' | 'packedGapBytes'> {
  const out = { gaps: 0, packedGaps: 0, packedGapBytes: 0 };
  for (const symbol of symbols) {
    const tracker = session.upkeep!.trackerOf(symbol);
    if (!tracker) continue;
    out.gaps += tracker.size;
    out.packedGaps += tracker.released.count;
    out.packedGapBytes += tracker.released.byteCapacity;
  }
  return out;
}

/**
 * A strategy that reads the last 200 5m bars (two and a half days) on each 15m bar on the hour:
 * past the two days a session holds by default, so its look-back reads released days.
 */
async function lookBackStrategy(session: Session, beforeUpkeep: DeferredTask) {
  const file = join(mkdtempSync(join(tmpdir(), 'tapedeck-bench-strategy-')), 'look-back.js');
  writeFileSync(
    file,
    `export default { onBar(bar, ctx) {
      if (bar.interval === '15m' && bar.timestamp % 3600000 === 0) ctx.bars(bar.symbol, '5m', 200);
    } };`,
  );
  const { loaded, params } = await prepareStrategy(file, {});
  return attachStrategy(session, loaded, params, { beforeUpkeep });
}

/** Delivered derived bars in memory: those held, and of released days those kept as shown. */
function deliveredHeld(runner: StrategyRunner, request: ChildRequest): number {
  let n = 0;
  for (const symbol of request.symbols) {
    for (const interval of request.derived) {
      const track = runner.deliveredOf(symbol, interval);
      if (!track) continue;
      const kept = track.released?.kept;
      n += track.delivered.length + (kept ? kept.asDelivered + kept.undelivered : 0);
    }
  }
  return n;
}
