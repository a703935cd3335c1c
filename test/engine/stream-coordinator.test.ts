import { describe, expect, it } from 'vitest';
import { CoordinatorError } from '../../src/main/engine/stream-coordinator';
import { at, bars, quotes, setup } from './helpers';

describe('stream coordinator: seed plan §6.2 scenarios with docs/design.md §1 ordering', () => {
  it('1. mixed 1s and 1m symbols keep chronological order on availability time', async () => {
    const { coordinator, events } = setup();
    coordinator.register(bars('AAPL', '1s', at(9, 30), 180));
    coordinator.register(bars('RIVN', '1m', at(9, 30), 3));
    expect(await coordinator.start()).toBe('completed');
    expect(events).toHaveLength(183);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.available).toBeGreaterThanOrEqual(events[i - 1]!.available);
      expect(events[i]!.clock).toBeGreaterThanOrEqual(events[i - 1]!.clock);
    }
    // The 09:30 1m bar closes at 09:31:00, together with the 09:30:59 1s bar: at equal
    // availability, registration order decides (AAPL registered first).
    const rivnFirst = events.findIndex((e) => e.symbol === 'RIVN');
    expect(events[rivnFirst]!.available).toBe(at(9, 31));
    expect(events[rivnFirst - 1]).toMatchObject({ symbol: 'AAPL', timestamp: at(9, 30, 59) });
    expect(events[rivnFirst + 1]).toMatchObject({ symbol: 'AAPL', timestamp: at(9, 31, 0) });
  });

  it('2. sixty 1s bars from 09:30:00 move the clock 09:30:01 … 09:31:00', async () => {
    const { coordinator, events } = setup();
    coordinator.register(bars('AAPL', '1s', at(9, 30), 60));
    await coordinator.start();
    expect(events.map((e) => e.clock)).toEqual(
      Array.from({ length: 60 }, (_, i) => at(9, 30, i + 1)),
    );
    expect(coordinator.clock.now()).toBe(at(9, 31));
  });

  it('3. AAPL 1s bars with quotes interleave on availability: quote 09:30:00.5 precedes the 09:30:00 bar', async () => {
    const { coordinator, events } = setup();
    coordinator.register(bars('AAPL', '1s', at(9, 30), 2));
    coordinator.register(quotes('AAPL', [at(9, 30, 0, 500)]));
    await coordinator.start();
    expect(events.map((e) => [e.type, e.timestamp, e.clock])).toEqual([
      ['quotes', at(9, 30, 0, 500), at(9, 30, 0, 500)],
      ['bars', at(9, 30, 0), at(9, 30, 1)],
      ['bars', at(9, 30, 1), at(9, 30, 2)],
    ]);
    expect(coordinator.staleSkipped).toBe(0);
  });

  it('at equal availability a closing bar comes before a quote, even if the quote stream registered first', async () => {
    const { coordinator, events } = setup();
    coordinator.register(quotes('AAPL', [at(9, 30, 1), at(9, 30, 1)]));
    coordinator.register(bars('AAPL', '1s', at(9, 30), 1));
    await coordinator.start();
    expect(events.map((e) => e.type)).toEqual(['bars', 'quotes', 'quotes']);
  });

  it('ties between streams of the same kind follow registration order, then input order', async () => {
    const { coordinator, events } = setup();
    coordinator.register(quotes('ZZZ', [at(9, 30), at(9, 30)], 50));
    coordinator.register(quotes('AAA', [at(9, 30)], 60));
    await coordinator.start();
    expect(events.map((e) => [e.symbol, e.seq])).toEqual([
      ['ZZZ', 0],
      ['ZZZ', 1],
      ['AAA', 2],
    ]);
  });
});

describe('stream registration', () => {
  it('refuses a duplicate stream and a second bar stream for a symbol', () => {
    const { coordinator } = setup();
    coordinator.register(bars('AAPL', '1s', at(9, 30), 1));
    coordinator.register(quotes('AAPL', [at(9, 30)]));
    expect(() => coordinator.register(quotes('AAPL', [at(9, 31)]))).toThrow(CoordinatorError);
    expect(() => coordinator.register(quotes('AAPL', [at(9, 31)]))).toThrow(
      'Stream AAPL quotes is already registered.',
    );
    expect(() => coordinator.register(bars('AAPL', '1m', at(9, 30), 1))).toThrow(
      'Stream AAPL bars is already registered.',
    );
  });

  it('a step right after a pause waits for the driver to leave its pump, then runs', async () => {
    const { coordinator, events } = setup({ speed: 1 });
    coordinator.register(bars('AAPL', '1s', at(9, 30), 30));
    const done = coordinator.start();
    // Paced at real time: the driver sleeps inside its pump between bars.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    coordinator.pause();
    expect(coordinator.advancing).toBe(true);
    await expect(coordinator.step()).rejects.toThrow(CoordinatorError);
    await coordinator.idle();
    expect(coordinator.advancing).toBe(false);
    const before = events.length;
    expect(await coordinator.step()).toBe(true);
    expect(events.length).toBe(before + 1);
    coordinator.stop();
    await done;
  });

  it('deregistering mid-session drops only that stream’s pending items', async () => {
    const { coordinator, system, events } = setup();
    coordinator.register(bars('AAPL', '1s', at(9, 30), 100));
    coordinator.register(bars('TSLA', '1s', at(9, 30), 100));
    system.setState('paused');
    const done = coordinator.start();
    await coordinator.runUntil(at(9, 30, 10));
    expect(events).toHaveLength(20);
    await coordinator.deregister('TSLA', 'bars');
    coordinator.resume();
    expect(await done).toBe('completed');
    expect(events.filter((e) => e.symbol === 'AAPL')).toHaveLength(100);
    expect(events.filter((e) => e.symbol === 'TSLA')).toHaveLength(10);
  });

  it('mid-session registration skips stale items and counts them per stream', async () => {
    const { coordinator, system, events } = setup();
    coordinator.register(bars('AAPL', '1s', at(9, 30), 120));
    system.setState('paused');
    const done = coordinator.start();
    await coordinator.runUntil(at(9, 31));
    expect(coordinator.clock.now()).toBe(at(9, 31));
    // Quotes from 09:30:00 to 09:31:59, one a second: those before 09:31:00 are stale now.
    coordinator.register(
      quotes(
        'AAPL',
        Array.from({ length: 120 }, (_, i) => at(9, 30, i)),
      ),
    );
    coordinator.resume();
    await done;
    const stats = coordinator.getQueueStats();
    expect(stats.find((s) => s.type === 'quotes')!.stale_skipped).toBe(60);
    expect(events.filter((e) => e.type === 'quotes')).toHaveLength(60);
    expect(events.filter((e) => e.type === 'quotes')[0]!.timestamp).toBe(at(9, 31));
  });
});

describe('state: pause, resume, step, stop', () => {
  it('step() advances exactly one item and the clock by one base interval', async () => {
    const { coordinator, system, events } = setup();
    coordinator.register(bars('AAPL', '1s', at(9, 30), 10));
    system.setState('paused');
    void coordinator.start();
    await coordinator.step();
    await coordinator.step();
    expect(events).toHaveLength(2);
    expect(coordinator.clock.now()).toBe(at(9, 30, 2));
    await coordinator.step();
    expect(coordinator.clock.now()).toBe(at(9, 30, 3));
    expect(events).toHaveLength(3);
  });

  it('pause then resume loses and repeats nothing', async () => {
    const { coordinator, events } = setup({ maxQueueSize: 64, batchSize: 16 });
    coordinator.register(bars('AAPL', '1s', at(9, 30), 5000));
    coordinator.register(
      quotes(
        'AAPL',
        Array.from({ length: 3000 }, (_, i) => at(9, 30, i, 250)),
      ),
    );
    let paused = false;
    coordinator.subscribe(() => {
      if (!paused && events.length > 1000) {
        paused = true;
        coordinator.pause();
        const clockAtPause = coordinator.clock.now();
        const countAtPause = events.length;
        setTimeout(() => {
          // Nothing moved while paused.
          expect(coordinator.clock.now()).toBe(clockAtPause);
          expect(events.length).toBe(countAtPause);
          coordinator.resume();
        }, 20);
      }
    });
    expect(await coordinator.start()).toBe('completed');
    expect(paused).toBe(true);
    expect(events).toHaveLength(8000);
    expect(new Set(events.map((e) => e.seq)).size).toBe(8000);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  });

  it('stop() ends the run and releases every stream', async () => {
    const { coordinator, system } = setup();
    const a = bars('AAPL', '1s', at(9, 30), 10);
    coordinator.register(a);
    system.setState('paused');
    const done = coordinator.start();
    await coordinator.step();
    await coordinator.stop();
    expect(await done).toBe('stopped');
    expect(a.closed).toBe(true);
    expect(system.state).toBe('stopped');
  });

  it('step() and runUntil() refuse to run unless paused', async () => {
    const { coordinator } = setup();
    coordinator.register(bars('AAPL', '1s', at(9, 30), 10));
    await expect(coordinator.step()).rejects.toThrow('step() needs a paused session');
  });
});

describe('bounded queues and session data', () => {
  it('the queue never holds more than max_queue_size items, and bars land in session data', async () => {
    const { coordinator, sessionData } = setup({ maxQueueSize: 100 });
    coordinator.register(bars('AAPL', '1s', at(9, 30), 5000));
    coordinator.register(bars('RIVN', '1m', at(9, 30), 90));
    let maxSeen = 0;
    coordinator.subscribe(() => {
      for (const s of coordinator.getQueueStats()) maxSeen = Math.max(maxSeen, s.items);
    });
    await coordinator.start();
    expect(maxSeen).toBeLessThanOrEqual(100);
    expect(maxSeen).toBeGreaterThan(0);
    const aapl = sessionData.getSymbolData('AAPL')!;
    expect(aapl.base_interval).toBe('1s');
    expect(aapl.bars_base.length).toBe(5000);
    expect(aapl.bar(0).timestamp).toBe(at(9, 30));
    const rivn = sessionData.getSymbolData('RIVN')!;
    expect(rivn.bars_1m).toBe(rivn.bars_base);
    expect(rivn.bars_updated).toBe(true);
  });

  it('is deterministic: two runs give identical event sequences', async () => {
    const run = async () => {
      const { coordinator, events } = setup({ maxQueueSize: 50 });
      coordinator.register(bars('AAPL', '1s', at(9, 30), 500));
      coordinator.register(
        quotes(
          'AAPL',
          Array.from({ length: 700 }, (_, i) => at(9, 30, 0, i * 700)),
        ),
      );
      coordinator.register(bars('RIVN', '1m', at(9, 30), 8));
      await coordinator.start();
      return events;
    };
    expect(await run()).toEqual(await run());
  });

  it('queue stats use the plan’s line format', async () => {
    const { coordinator, system } = setup({ maxQueueSize: 5000 });
    coordinator.register(bars('AAPL', '1s', at(9, 30), 390));
    coordinator.register(
      quotes(
        'AAPL',
        Array.from({ length: 1200 }, (_, i) => at(9, 30, 0, i * 50)),
      ),
    );
    coordinator.register(bars('RIVN', '1m', at(9, 30), 6));
    system.setState('paused');
    void coordinator.start();
    await coordinator.runUntil(at(9, 29));
    expect(coordinator.formatQueueStats()).toBe(
      'AAPL | 1s: 390 items (09:30:00 - 09:36:29) | quotes: 1200 items (09:30:00 - 09:30:59)\n' +
        'RIVN | 1m: 6 items (09:30:00 - 09:35:00)',
    );
  });
});

describe('session data receives exactly what is emitted', () => {
  it('with tiny batches, chunk ends and stale skips, stores match the input', async () => {
    const { coordinator, system, sessionData } = setup({ maxQueueSize: 37, batchSize: 5 });
    const seen: Array<{ symbol: string; type: string; t: number; v: number }> = [];
    coordinator.subscribe((batch, streams) => {
      for (let i = 0; i < batch.length; i++) {
        const info = streams[batch.stream[i]!]!;
        seen.push({
          symbol: info.symbol,
          type: info.type,
          t: batch.timestamp[i]!,
          v: batch.value(0, i),
        });
      }
    });
    coordinator.register(bars('AAPL', '1s', at(9, 30), 500, 100));
    coordinator.register(bars('RIVN', '1m', at(9, 30), 9, 20));
    system.setState('paused');
    const done = coordinator.start();
    await coordinator.runUntil(at(9, 31));
    // Mid-session quotes every 0.5 s from 09:30:00: those before the 09:31:00 clock are stale.
    coordinator.register(
      quotes(
        'AAPL',
        Array.from({ length: 400 }, (_, i) => at(9, 30, 0, i * 500)),
        50,
      ),
    );
    coordinator.resume();
    await done;

    const aapl = sessionData.getSymbolData('AAPL')!;
    expect(aapl.bars_base.length).toBe(500);
    for (let i = 0; i < 500; i++) {
      if (aapl.bars_base.timestamp[i] !== at(9, 30, i))
        throw new Error(`AAPL bar ${i} out of place`);
    }
    expect(aapl.bar(499).close).toBeCloseTo(100 + 499 * 0.01, 9);
    expect(sessionData.getSymbolData('RIVN')!.bars_base.length).toBe(9);
    const stale = coordinator.getQueueStats().find((s) => s.type === 'quotes')!.stale_skipped;
    expect(stale).toBe(120); // 09:30:00 .. 09:30:59.5, earlier than the 09:31:00 clock
    expect(aapl.quotes.length).toBe(400 - 120);
    expect(aapl.quotes.timestamp[0]).toBe(at(9, 31));
    // What consumers read through the batch is what session data holds.
    expect(seen.filter((e) => e.type === 'bars' && e.symbol === 'AAPL').map((e) => e.v)).toEqual(
      Array.from(aapl.bars_base.values[0]!.subarray(0, 500)),
    );
    expect(seen.filter((e) => e.type === 'quotes').every((e) => e.v === 50)).toBe(true);
    expect(seen).toHaveLength(500 + 9 + 280);
  });
});
