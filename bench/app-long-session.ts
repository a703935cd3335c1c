/**
 * The app on a long session (docs/long-sessions.md, "The app on a long session"): the long
 * session bench's 50 symbols × 20 days of 1s bars (dense, and LONG_SESSION_VARIANTS=sparse or
 * both), run flat out through the engine worker as the desktop and the browser host run it,
 * with the app's own requests made as the renderer makes them: every symbol's quality strip at
 * most once a second (each joined to the cells held as final), and a cheap request every 300 ms
 * of wall time whose answer time is how long a Pause or a click waits. The peer is the same
 * session headless (the CLI's path), in this process. Figures: the run's time and events/s,
 * `ratio` = app / headless, the frames' count and JSON size, the strips' time and JSON size,
 * and the answer times (p50, max).
 */
import type { QualityStrip, SessionUpdate } from '../src/shared/ipc-contract';
import { parseSessionConfig } from '../src/shared/session-config';
import { joinStrip } from '../src/shared/strip-join';
import { createDataStore, createFillSource } from '../src/main/host/data-store';
import { openSession } from '../src/main/host/session-host';
import { dirOf, ensureFiles, longSessionConfig, type Variant } from './long-session';
import { round, type BenchResult } from './result';
import { benchEngine } from './service';

interface AppRun {
  seconds: number;
  events: number;
  frames: number;
  frameBytes: number;
  stripRounds: number;
  stripSeconds: number;
  stripBytes: number;
  answersMs: number[];
}

async function throughApp(dataDir: string, config: object, symbols: string[]): Promise<AppRun> {
  const engine = await benchEngine(dataDir);
  const run: AppRun = {
    seconds: 0,
    events: 0,
    frames: 0,
    frameBytes: 0,
    stripRounds: 0,
    stripSeconds: 0,
    stripBytes: 0,
    answersMs: [],
  };
  const held = new Map<string, QualityStrip>();
  let stripsBusy = false;
  let stripsAt = Number.NEGATIVE_INFINITY;
  const strips = async (): Promise<void> => {
    stripsBusy = true;
    const started = performance.now();
    const replies = (await Promise.all(
      symbols.map((symbol) =>
        engine.request('qualityStrip', { symbol, known: held.get(symbol)?.final ?? 0 }),
      ),
    )) as QualityStrip[];
    for (const reply of replies) {
      run.stripBytes += JSON.stringify(reply).length;
      held.set(reply.symbol, joinStrip(held.get(reply.symbol), reply));
    }
    run.stripSeconds += (performance.now() - started) / 1000;
    run.stripRounds++;
    stripsAt = performance.now();
    stripsBusy = false;
  };
  let finished = false;
  const done = new Promise<void>((resolveDone) => {
    engine.onEvent((event, payload) => {
      if (event !== 'sessionUpdate') return;
      const update = payload as SessionUpdate;
      run.frames++;
      run.frameBytes += JSON.stringify(update).length;
      run.events = update.status.events;
      if (update.stats && !stripsBusy && performance.now() - stripsAt >= 1000) void strips();
      if (update.status.state === 'done') resolveDone();
    });
  });
  const started = performance.now();
  await engine.request('startSession', { config });
  await engine.request('setSpeed', { speed: 0 });
  await engine.request('controlSession', { action: 'play' });
  const probes = (async () => {
    while (!finished) {
      await new Promise((r) => setTimeout(r, 300));
      if (finished) break;
      const asked = performance.now();
      await engine.request('appInfo', null);
      run.answersMs.push(performance.now() - asked);
    }
  })();
  await done;
  run.seconds = (performance.now() - started) / 1000;
  finished = true;
  await probes;
  await engine.close();
  return run;
}

async function headless(dataDir: string, config: object): Promise<number> {
  const parsed = parseSessionConfig(config);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  const store = createDataStore(parsed.config, dataDir, { readerWorker: true });
  if (!store.ok) throw new Error(store.problems.join('\n'));
  const started = performance.now();
  const session = await openSession(parsed.config, store.store, {
    speed: 0,
    fillSource: createFillSource(parsed.config, dataDir),
  });
  await session.coordinator.start();
  const seconds = (performance.now() - started) / 1000;
  store.store.close();
  return seconds;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function run(): Promise<BenchResult & Record<string, unknown>> {
  const variants = (process.env.LONG_SESSION_VARIANTS ?? 'dense').split(',') as Variant[];
  const figures: Record<string, unknown> = {};
  let first: { app: AppRun; peer: number } | null = null;
  for (const variant of variants) {
    ensureFiles(variant);
    const { config, symbols } = longSessionConfig();
    const peer = await headless(dirOf(variant), config);
    const app = await throughApp(dirOf(variant), config, symbols);
    first ??= { app, peer };
    const mb = (bytes: number): number => round(bytes / 2 ** 20, 1);
    process.stdout.write(
      `${variant}: app ${app.seconds.toFixed(2)} s (${(app.events / app.seconds / 1e6).toFixed(2)} M events/s), ` +
        `headless ${peer.toFixed(2)} s; ${app.frames} frames, ${mb(app.frameBytes)} MB; ` +
        `${app.stripRounds} strip refreshes, ${((app.stripSeconds / Math.max(1, app.stripRounds)) * 1000).toFixed(0)} ms each, ${mb(app.stripBytes)} MB; ` +
        `answers p50 ${percentile(app.answersMs, 50).toFixed(0)} ms, max ${Math.max(0, ...app.answersMs).toFixed(0)} ms\n`,
    );
    figures[`${variant}_app_s`] = round(app.seconds);
    figures[`${variant}_headless_s`] = round(peer);
    figures[`${variant}_frames_mb`] = mb(app.frameBytes);
    figures[`${variant}_strips_mb`] = mb(app.stripBytes);
    figures[`${variant}_answer_p50_ms`] = round(percentile(app.answersMs, 50), 0);
    figures[`${variant}_answer_max_ms`] = round(Math.max(0, ...app.answersMs), 0);
  }
  const { app, peer } = first!;
  return {
    name: 'app-long-session',
    ours_s: round(app.seconds),
    peer: 'the same session headless (CLI path)',
    peer_s: round(peer),
    ratio: round(app.seconds / peer),
    events_per_s: Math.round(app.events / app.seconds),
    bytes_per_bar: null,
    ...figures,
  };
}
