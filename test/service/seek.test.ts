/**
 * Replay navigation: seeking back restores exactly the state a replay had at that time (bars,
 * quotes, derived bars, gaps, quality, the clock), with nothing from after it; replaying on
 * from there gives the same events as the first pass; seeking forward runs flat out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionStatus } from '../../src/shared/ipc-contract';
import { ApiRequestError } from '../../src/main/service/api-error';
import { demoConfig, recorder, screenAtClock, type Recorder } from './service-helpers';

const OPEN = Date.parse('2024-03-04T14:30:00Z');
const T0 = OPEN + 47 * 60_000 + 13_000; // 10:17:13 New York, inside a refilled gap's hour
const T1 = OPEN + 95 * 60_000;

let open: Recorder[] = [];
afterEach(async () => {
  await Promise.all(open.map((r) => r.service.close()));
  open = [];
});

/** Everything a screen could show at the current clock, as plain data to compare. */
async function state(r: Recorder) {
  const { snap, series } = await screenAtClock(r);
  const { clock, events } = snap.status;
  return { clock, events, stats: snap.stats, series };
}

describe('seek', () => {
  it('goes back to exactly the earlier state, and forward again to the same one', async () => {
    const r = recorder();
    open.push(r);
    await r.call('startSession', { config: demoConfig() });
    await r.call<SessionStatus>('controlSession', { action: 'seek', at: T0 });
    const first = await state(r);
    expect(first.clock).toBeLessThanOrEqual(T0);
    expect(first.clock).toBeGreaterThan(T0 - 2_000);
    await r.call<SessionStatus>('controlSession', { action: 'seek', at: T1 });
    const later = await state(r);
    expect(later.events).toBeGreaterThan(first.events);

    // The Log already tells what the replay back to T0 repeats (the opening, its notes, the
    // gaps): it gets no line from it.
    const logged = r.logs.length;
    expect(r.logs.some((l) => /opened/.test(l.message))).toBe(true);
    const back = await r.call<SessionStatus>('controlSession', { action: 'seek', at: T0 });
    expect(r.logs.slice(logged)).toEqual([]);
    expect(back.state).toBe('paused');
    const restored = await state(r);
    expect(restored).toEqual(first);
    // Nothing from after T0 is held: no look-ahead.
    for (const [name, cols] of Object.entries(restored.series)) {
      const times = cols.time;
      if (times.length > 0) expect(times[times.length - 1], name).toBeLessThan(T0);
    }
    await r.call<SessionStatus>('controlSession', { action: 'seek', at: T1 });
    expect(await state(r)).toEqual(later);
  });

  it('refuses a seek without a time', async () => {
    const r = recorder();
    open.push(r);
    await r.call('startSession', { config: demoConfig() });
    const error = await r.call('controlSession', { action: 'seek' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect((error as Error).message).toMatch(/seek needs "at"/);
  });
});
