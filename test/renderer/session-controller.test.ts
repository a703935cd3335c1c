import { describe, expect, it, vi } from 'vitest';
import type { BarColumns, SessionUpdate } from '../../src/shared/ipc-contract';
import { SessionController } from '../../src/renderer/src/state/session-controller';
import { MAX_LOG_ENTRIES } from '../../src/renderer/src/state/session-model';
import { FakeApi, PAUSED } from './fake-api';

function cols(times: number[]): BarColumns {
  return { time: times, open: times, high: times, low: times, close: times, volume: times };
}

function update(partial: Partial<SessionUpdate>): SessionUpdate {
  return { status: { ...PAUSED, state: 'running' }, bars: {}, forming: {}, quotes: {}, ...partial };
}

async function attached() {
  const fake = new FakeApi();
  const controller = new SessionController(fake.api());
  await controller.attach();
  return { fake, controller };
}

describe('SessionController', () => {
  it('draws the running session from a snapshot on attach (a reload)', async () => {
    const { fake, controller } = await attached();
    expect(fake.calls[0].method).toBe('snapshot');
    expect(controller.model.info?.sessionName).toBe('demo');
    expect(controller.model.status.state).toBe('paused');
  });

  it('loads a series once and joins later pushes to it', async () => {
    const { fake, controller } = await attached();
    fake.bars.set('AAPL|1s', cols([0, 1000]));
    fake.holdBars = true;
    const loading = controller.ensureBars('AAPL', '1s');
    void controller.ensureBars('AAPL', '1s');
    fake.push(update({ bars: { AAPL: { '1s': cols([1000, 2000]) } } }));
    fake.release();
    await loading;
    expect(fake.calls.filter((c) => c.method === 'getBars')).toHaveLength(1);
    const s = controller.store.bars('AAPL', '1s')!;
    expect(s.bars.length).toBe(3);
    expect(controller.model.status.state).toBe('running');
  });

  it('logs a failed load and lets it be retried', async () => {
    const { fake, controller } = await attached();
    fake.bars.set('AAPL|5m', new Error('no such series'));
    await controller.ensureBars('AAPL', '5m');
    expect(controller.model.logs.at(-1)).toMatchObject({
      level: 'error',
      message: 'AAPL 5m: cannot load bars: no such series',
    });
    fake.bars.set('AAPL|5m', cols([0]));
    await controller.ensureBars('AAPL', '5m');
    expect(controller.store.bars('AAPL', '5m')!.state).toBe('ready');
  });

  it('does not log a failed load for a symbol the new session does not have', async () => {
    const { fake, controller } = await attached();
    const before = controller.model.logs.length;
    fake.bars.set('ZZZZ|1s', new Error('ZZZZ is not in this session'));
    await controller.ensureBars('ZZZZ', '1s');
    fake.holdBars = true;
    fake.bars.set('AAPL|1m', new Error('AAPL is not in this session'));
    const late = controller.ensureBars('AAPL', '1m');
    await controller.start({ session_name: 'next' });
    fake.release();
    await late;
    expect(controller.model.logs.length).toBe(before);
  });

  it('refetches quotes the host left out of its pushes, not drawing across the hole', async () => {
    const { fake, controller } = await attached();
    await controller.ensureQuotes('AAPL');
    expect(controller.store.quotes('AAPL')?.state).toBe('ready');
    fake.push(update({ quotesDropped: { AAPL: 5000 } }));
    fake.push(update({ quotesDropped: { AAPL: 4000 } }));
    await new Promise((r) => setTimeout(r, 30));
    // Not before the refetch interval ...
    expect(controller.store.quotes('AAPL')?.state).toBe('ready');
    await new Promise((r) => setTimeout(r, 1100));
    // ... then forgotten once, so the chart's next frame fetches them whole.
    expect(controller.store.quotes('AAPL')).toBeUndefined();
    await controller.ensureQuotes('AAPL');
    expect(fake.calls.filter((c) => c.method === 'getQuotes')).toHaveLength(2);
  });

  it('adds up quick speed presses instead of repeating the first', async () => {
    const { fake, controller } = await attached();
    const first = controller.changeSpeed(1);
    const second = controller.changeSpeed(1);
    await Promise.all([first, second]);
    const asked = fake.calls
      .filter((c) => c.method === 'setSpeed')
      .map((c) => (c.params as { speed: number }).speed);
    expect(asked).toHaveLength(2);
    expect(asked[1]).toBeGreaterThan(asked[0]);
    expect(controller.model.status.speed).toBe(asked[1]);
  });

  it('returns a refused start for the screen, without a second log line', async () => {
    const { fake, controller } = await attached();
    const before = controller.model.logs.length;
    fake.startError = new Error('The session cannot start: AAPL 1s: no data for 2024-03-04');
    const result = await controller.start({ session_name: 'x' });
    expect(result).toEqual({
      ok: false,
      error: 'The session cannot start: AAPL 1s: no data for 2024-03-04',
    });
    expect(controller.model.logs.length).toBe(before);
  });

  it('puts a refused control in the log pane', async () => {
    const { fake, controller } = await attached();
    fake.controlResult = new Error('No session is running');
    await controller.control('play');
    expect(controller.model.logs.at(-1)).toMatchObject({
      level: 'error',
      message: 'play: No session is running',
    });
  });

  it('does not let a late reply move the clock back', async () => {
    const { fake, controller } = await attached();
    fake.push(update({ status: { ...PAUSED, state: 'running', clock: 5000 } }));
    fake.controlResult = { ...PAUSED, clock: 3000 };
    await controller.control('pause');
    expect(controller.model.status).toMatchObject({ state: 'paused', clock: 5000 });
  });

  it('starts a session with startAt and clears what was drawn before', async () => {
    const { fake, controller } = await attached();
    await controller.ensureBars('AAPL', '1s');
    await controller.start({ session_name: 'x' }, 12345);
    expect(fake.calls.find((c) => c.method === 'startSession')?.params).toEqual({
      config: { session_name: 'x' },
      startAt: 12345,
    });
    expect(controller.store.bars('AAPL', '1s')).toBeUndefined();
  });

  it('reloads a series the host revised, and joins it again', async () => {
    const { fake, controller } = await attached();
    fake.bars.set('AAPL|1s', cols([0, 2000]));
    await controller.ensureBars('AAPL', '1s');
    fake.push(update({ revised: { AAPL: ['1s'] } }));
    expect(controller.store.bars('AAPL', '1s')).toBeUndefined();
    fake.bars.set('AAPL|1s', cols([0, 1000, 2000]));
    await controller.ensureBars('AAPL', '1s');
    expect(controller.store.bars('AAPL', '1s')!.bars.length).toBe(3);
  });

  it('fetches quality strips at most once a second', async () => {
    const { fake, controller } = await attached();
    await Promise.resolve();
    const before = fake.calls.filter((c) => c.method === 'qualityStrip').length;
    await controller.refreshStrips(Date.now());
    expect(fake.calls.filter((c) => c.method === 'qualityStrip').length).toBe(before);
    await controller.refreshStrips(Date.now() + 5000);
    expect(fake.calls.filter((c) => c.method === 'qualityStrip').length).toBe(before + 1);
    expect(controller.model.strips).toEqual([fake.strip]);
  });

  it('fetches the strips once more after updates that came too soon (the end of a replay)', async () => {
    vi.useFakeTimers();
    try {
      const { fake, controller } = await attached();
      await vi.advanceTimersByTimeAsync(5000);
      const asked = () => fake.calls.filter((c) => c.method === 'qualityStrip').length;
      const before = asked();
      await controller.refreshStrips();
      expect(asked()).toBe(before + 1);
      // The last updates of a replay, within the second: none is fetched at once...
      await controller.refreshStrips();
      await controller.refreshStrips();
      expect(asked()).toBe(before + 1);
      // ...and one fetch follows when the second is up, for what they changed.
      fake.strip = { symbol: 'AAPL', offset: 0, final: 0, minutes: [0, 1], states: [1, 0] };
      await vi.advanceTimersByTimeAsync(1000);
      expect(asked()).toBe(before + 2);
      expect(controller.model.strips).toEqual([fake.strip]);
      await vi.advanceTimersByTimeAsync(5000);
      expect(asked()).toBe(before + 2);
      controller.detach();
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks only for the strip cells after those the host called final, and joins them', async () => {
    const { fake, controller } = await attached();
    fake.strip = { symbol: 'AAPL', offset: 0, final: 2, minutes: [0, 1, 2], states: [1, 1, 0] };
    await controller.refreshStrips(Date.now() + 5000);
    fake.strip = { symbol: 'AAPL', offset: 2, final: 3, minutes: [2, 3], states: [2, 0] };
    await controller.refreshStrips(Date.now() + 10_000);
    const asked = fake.calls.filter((c) => c.method === 'qualityStrip').at(-1)!.params;
    expect(asked).toEqual({ symbol: 'AAPL', known: 2 });
    expect(controller.model.strips).toEqual([
      { symbol: 'AAPL', offset: 0, final: 3, minutes: [0, 1, 2, 3], states: [1, 1, 2, 0] },
    ]);
  });

  it('drops a strip reply for a session replaced while it was on its way', async () => {
    const { fake, controller } = await attached();
    await Promise.resolve();
    const before = controller.model.strips;
    fake.strip = { symbol: 'AAPL', offset: 0, final: 0, minutes: [7], states: [0] };
    let answer: () => void = () => undefined;
    fake.stripGate = new Promise((resolve) => (answer = resolve));
    const refresh = controller.refreshStrips(Date.now() + 5000);
    controller.store.clear();
    answer();
    await refresh;
    expect(controller.model.strips).toBe(before);
    // Answered for the session in view, it is taken.
    fake.stripGate = null;
    await controller.refreshStrips(Date.now() + 10_000);
    expect(controller.model.strips).toEqual([fake.strip]);
  });

  it('keeps host and local log entries, capped', async () => {
    const { fake, controller } = await attached();
    for (let i = 0; i < MAX_LOG_ENTRIES + 5; i += 1)
      fake.pushLog({ time: i, level: 'warn', message: `w${i}` });
    expect(controller.model.logs).toHaveLength(MAX_LOG_ENTRIES);
    expect(controller.model.logs.at(-1)?.message).toBe(`w${MAX_LOG_ENTRIES + 4}`);
  });

  it('stops listening on detach', async () => {
    const { fake, controller } = await attached();
    controller.detach();
    fake.push(update({ status: { ...PAUSED, clock: 99_999 } }));
    expect(controller.model.status.clock).toBe(1000);
  });

  it('steps back a second in a session of ticks and quotes only, and shows the restored clock', async () => {
    const fake = new FakeApi();
    fake.snapshotValue = {
      ...fake.snapshotValue,
      info: {
        ...fake.snapshotValue.info!,
        symbols: [
          {
            symbol: 'ETH',
            baseInterval: null,
            derivedIntervals: [],
            hasQuotes: false,
            hasTicks: true,
          },
        ],
      },
      status: { ...PAUSED, clock: 50_000 },
    };
    const controller = new SessionController(fake.api());
    await controller.attach();
    fake.controlResult = { ...PAUSED, clock: 49_000 };
    // The snapshot after the seek fails: the reply's clock is what the screen has to go on.
    fake.snapshotValue = undefined as never; // guard() drops a missing snapshot
    await controller.stepBack();
    expect(fake.calls.find((c) => c.method === 'controlSession')?.params).toEqual({
      action: 'seek',
      at: 49_000,
    });
    expect(controller.model.status.clock).toBe(49_000);
  });
});

describe('presses in quick succession (← held)', () => {
  /** A fake whose seeks answer only when released, landing exactly on their target. */
  function slowSeeks(clock: number) {
    const fake = new FakeApi();
    fake.snapshotValue = { ...fake.snapshotValue, status: { ...PAUSED, clock } };
    const waiting: Array<() => void> = [];
    const seeks: number[] = [];
    const api = fake.api();
    api.controlSession = (request) => {
      fake.calls.push({ method: 'controlSession', params: request });
      const at = request.at!;
      seeks.push(at);
      return new Promise((resolve) =>
        waiting.push(() => {
          fake.snapshotValue = { ...fake.snapshotValue, status: { ...PAUSED, clock: at } };
          resolve({ ...PAUSED, clock: at });
        }),
      );
    };
    const release = async (): Promise<void> => {
      waiting.shift()?.();
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    return { fake, api, seeks, release, waiting };
  }

  it('sends one seek at a time and then only the latest target, counted from the last asked', async () => {
    const { fake, api, seeks, release, waiting } = slowSeeks(100_000);
    const controller = new SessionController(api);
    await controller.attach();
    // 1s bars (the fake session's finest): each ← is a second back from the last target asked.
    const presses = [1, 2, 3, 4, 5].map(() => controller.stepBack());
    expect(seeks).toEqual([99_000]);
    await release();
    // The four presses made while the first was on its way became one seek, to the last.
    expect(seeks).toEqual([99_000, 95_000]);
    expect(waiting).toHaveLength(1);
    await release();
    await Promise.all(presses);
    expect(controller.model.status.clock).toBe(95_000);
    // Only the final restore's snapshot is fetched (beside the one on attach).
    expect(fake.calls.filter((c) => c.method === 'snapshot')).toHaveLength(2);
  });

  it('counts Shift+← from the clock again once every seek has answered', async () => {
    const { seeks, release, api } = slowSeeks(600_000);
    const controller = new SessionController(api);
    await controller.attach();
    const first = controller.seekBy(-60_000);
    await release();
    await first;
    const second = controller.seekBy(-60_000);
    await release();
    await second;
    expect(seeks).toEqual([540_000, 480_000]);
    expect(controller.model.status.clock).toBe(480_000);
  });

  it('sends a press made while the last restore resyncs at once, and drops that stale snapshot', async () => {
    const { fake, api, seeks, release } = slowSeeks(100_000);
    const controller = new SessionController(api, 0);
    await controller.attach();
    const snapshots: Array<() => void> = [];
    api.snapshot = () => {
      fake.calls.push({ method: 'snapshot' });
      const value = fake.snapshotValue;
      return new Promise((resolve) => snapshots.push(() => resolve(value)));
    };
    const first = controller.stepBack();
    await release();
    // The first restore answered; its snapshot is on its way when the next press comes.
    expect(snapshots).toHaveLength(1);
    const second = controller.stepBack();
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(seeks).toEqual([99_000, 98_000]);
    await release();
    expect(controller.model.status.clock).toBe(98_000);
    // The first restore's snapshot lands after the second restore answered: it is stale.
    snapshots.shift()!();
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(controller.model.status.clock).toBe(98_000);
    snapshots.shift()!();
    await Promise.all([first, second]);
    expect(controller.model.status.clock).toBe(98_000);
  });

  it('reloads the charts once a run of presses pauses, not after each restore', async () => {
    const { fake, api, seeks, release } = slowSeeks(100_000);
    const controller = new SessionController(api, 50);
    await controller.attach();
    const first = controller.stepBack();
    await release();
    // The next press comes before the reload wait is over: the first restore never reloads.
    const second = controller.stepBack();
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(seeks).toEqual([99_000, 98_000]);
    await release();
    await Promise.all([first, second]);
    expect(controller.model.status.clock).toBe(98_000);
    // One snapshot on attach, one after the run.
    expect(fake.calls.filter((c) => c.method === 'snapshot')).toHaveLength(2);
  });
});
