/**
 * Going back from a checkpoint: a spare replay paused at the checkpoint before the clock is
 * taken and replayed on to the target. Oracle: a fresh session replayed from the start to the
 * same target, with a strategy trading. Both must hold exactly the same state (clock, events,
 * bars, derived bars, quotes, stats, fills, equity) and, played on, give the same again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionSnapshot, SessionStatus } from '../../src/shared/ipc-contract';
import { CHECKPOINT_EVERY_MS } from '../../src/main/service/replay-checkpoints';
import { demoConfig, recorder, screenAtClock, type Recorder } from './service-helpers';

const OPEN = Date.parse('2024-03-04T14:30:00Z');
const FAR = OPEN + 98 * 60_000; // three minutes after a checkpoint

const config = {
  ...demoConfig(),
  backtest_config: { start_date: '2024-03-04', end_date: '2024-03-04', speed_multiplier: 0 },
  strategy: { file: 'ema-crossover.ts', params: { fast: 5, slow: 13 } },
};

let open: Recorder[] = [];
afterEach(async () => {
  await Promise.all(open.map((r) => r.service.close()));
  open = [];
});

function service(): Recorder {
  const r = recorder();
  open.push(r);
  return r;
}

/** Everything a screen could show at the current clock, as plain data to compare. */
async function state(r: Recorder) {
  const { snap, series } = await screenAtClock(r);
  const { clock, events, state: running } = snap.status;
  return {
    info: snap.info,
    clock,
    events,
    running,
    stats: snap.stats,
    // Not the queue stats: how far each loader has read ahead depends on timing, not on the
    // replay.
    forming: snap.forming,
    trading: snap.trading,
    series,
  };
}

const seek = (r: Recorder, at: number) =>
  r.call<SessionStatus>('controlSession', { action: 'seek', at });

describe('going back from a checkpoint', { timeout: 120_000 }, () => {
  it('restores exactly what a replay from the start holds, strategy included', async () => {
    const r = service();
    await r.call('startSession', { config });
    const far = await seek(r, FAR);
    await r.service.checkpoints.settled();
    const checkpoint = r.service.checkpoints.checkpointFor(far.clock!);
    expect(r.service.checkpoints.spareAt).toBe(checkpoint);

    // Back to a time after the checkpoint: served by the spare, not by a replay from the start.
    const target = checkpoint + 2 * 60_000 + 13_000;
    expect(target).toBeLessThan(far.clock!);
    const logged = r.logs.length;
    await seek(r, target);
    expect(r.service.checkpoints.taken).toBe(1);
    // The spare replayed quietly: the Log already has all of it.
    expect(r.logs.slice(logged)).toEqual([]);
    const restored = await state(r);

    const oracle = service();
    await oracle.call('startSession', { config, startAt: target });
    const fresh = await state(oracle);
    expect(fresh.trading?.fills.length, 'the strategy traded by then').toBeGreaterThan(0);
    expect(restored).toEqual(fresh);
    for (const [name, cols] of Object.entries(restored.series)) {
      const times = cols.time;
      if (times.length > 0) expect(times[times.length - 1], name).toBeLessThan(target);
    }

    // Played on from there, both give the same events and end in the same state.
    await seek(r, FAR + 30 * 60_000);
    await seek(oracle, FAR + 30 * 60_000);
    expect(await state(r)).toEqual(await state(oracle));
  });

  it('keeps going back step by step, each from a checkpoint, exactly', async () => {
    const r = service();
    await r.call('startSession', { config });
    const far = await seek(r, FAR);
    const checkpoint = Math.floor(far.clock! / CHECKPOINT_EVERY_MS) * CHECKPOINT_EVERY_MS;
    const targets = [far.clock! - 60_000, far.clock! - 120_000, far.clock! - 121_000];
    for (const at of targets) {
      expect(at).toBeGreaterThanOrEqual(checkpoint);
      await r.service.checkpoints.settled();
      await seek(r, at);
      const oracle = service();
      await oracle.call('startSession', { config, startAt: at });
      expect(await state(r)).toEqual(await state(oracle));
    }
    expect(r.service.checkpoints.taken).toBe(targets.length);
  });

  it('goes back before the spares by a replay from the start, and moves the spares back', async () => {
    const r = service();
    await r.call('startSession', { config });
    const far = await seek(r, FAR);
    await r.service.checkpoints.settled();
    // Before the oldest spare: none can serve it.
    const oldest = Math.min(...r.service.checkpoints.sparesAt);
    expect(oldest).toBe(r.service.checkpoints.checkpointFor(far.clock!) - 2 * CHECKPOINT_EVERY_MS);
    const target = oldest - 2 * 60_000;
    await seek(r, target);
    expect(r.service.checkpoints.taken).toBe(0);
    const oracle = service();
    await oracle.call('startSession', { config, startAt: target });
    expect(await state(r)).toEqual(await state(oracle));
    await r.service.checkpoints.settled();
    const clock = (await r.call<SessionSnapshot>('snapshot')).status.clock!;
    expect(r.service.checkpoints.spareAt).toBe(r.service.checkpoints.checkpointFor(clock));
  });

  it('serves presses in quick succession from spares, across a checkpoint, exactly', async () => {
    const r = service();
    await r.call('startSession', { config });
    const far = await seek(r, FAR);
    await r.service.checkpoints.settled();
    const checkpoint = r.service.checkpoints.checkpointFor(far.clock!);
    expect(r.service.checkpoints.sparesAt).toEqual(
      [0, 1, 2].map((i) => checkpoint - i * CHECKPOINT_EVERY_MS),
    );
    // Each press as soon as the last answered, no look between: the second and third are
    // before the clock's checkpoint, so they need the spares before it.
    const targets = [checkpoint + 60_000, checkpoint - 60_000, checkpoint - 2 * 60_000];
    for (const at of targets) await seek(r, at);
    expect(r.service.checkpoints.taken).toBe(3);
    const oracle = service();
    await oracle.call('startSession', { config, startAt: targets.at(-1) });
    expect(await state(r)).toEqual(await state(oracle));
  });

  it('coalesces seeks asked while one runs into the latest, exactly as a single restore', async () => {
    const r = service();
    await r.call('startSession', { config });
    const far = await seek(r, FAR);
    await r.service.checkpoints.settled();
    const checkpoint = r.service.checkpoints.checkpointFor(far.clock!);
    // Five presses sent at once (← held): the first runs, the other four become one seek to
    // the last target; every caller hears where the replay ended.
    const targets = [1, 2, 3, 4, 5].map((i) => far.clock! - i * 30_000);
    const last = targets.at(-1)!;
    expect(last).toBeGreaterThanOrEqual(checkpoint - CHECKPOINT_EVERY_MS);
    const replies = await Promise.all(targets.map((at) => seek(r, at)));
    expect(r.service.checkpoints.taken).toBe(2);
    const oracle = service();
    const single = await oracle.call<SessionSnapshot>('startSession', { config, startAt: last });
    for (const reply of replies) expect(reply.clock).toBe(single.status.clock);
    expect(await state(r)).toEqual(await state(oracle));

    // Played on from there, both give the same events and end in the same state.
    await seek(r, FAR + 20 * 60_000);
    await seek(oracle, FAR + 20 * 60_000);
    expect(await state(r)).toEqual(await state(oracle));
  });
});
