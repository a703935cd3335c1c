/**
 * The shipped opening-range breakout flattens before the session close it reads from
 * ctx.session: on an early-close day (13:00) as on a regular one (16:00).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryStreamCursor } from '../../src/main/storage/memory-cursor';
import { exchangeTimeToUtc } from '../../src/shared/time';
import { runStrategy } from './harness';

const MIN = 60_000;
const ORB = fileURLToPath(new URL('../../strategies/opening-range-breakout.ts', import.meta.url));

/** 1m bars of one session: 100..101 for the first 15 minutes, then a breakout at 102. */
function sessionBars(date: string, closeHour: number) {
  const open = exchangeTimeToUtc(date, 9, 30);
  const close = exchangeTimeToUtc(date, closeHour, 0);
  const t: number[] = [];
  const o: number[] = [];
  for (let s = open; s < close; s += MIN) {
    t.push(s);
    o.push(s < open + 15 * MIN ? 100 + ((s - open) / MIN) * (1 / 15) : 102);
  }
  return { t, o };
}

function cursor(days: { t: number[]; o: number[] }[]): MemoryStreamCursor {
  const t = days.flatMap((d) => d.t);
  const c = days.flatMap((d) => d.o);
  return new MemoryStreamCursor({
    symbol: 'X',
    type: 'bars',
    interval: '1m',
    timestamp: Float64Array.from(t),
    values: {
      open: Float64Array.from(c),
      high: Float64Array.from(c),
      low: Float64Array.from(c),
      close: Float64Array.from(c),
      volume: Float64Array.from(c, () => 1000),
    },
  });
}

describe('ctx.session and the ORB example', () => {
  it('flattens 5 minutes before 13:00 on an early-close day and before 16:00 on a regular one', async () => {
    const early = sessionBars('2024-11-29', 13);
    const regular = sessionBars('2024-12-02', 16);
    const { runner, error } = await runStrategy({ cursors: [cursor([early, regular])], file: ORB });
    expect(error).toBeNull();
    const fills = runner.broker.fills.map((f) => ({ time: f.time, side: f.side, qty: f.qty }));
    // Breakout at the 09:45 bar (available at 09:46), flat at the bar ending 5 minutes before the close.
    expect(fills).toEqual([
      { time: exchangeTimeToUtc('2024-11-29', 9, 46), side: 'buy', qty: 100 },
      { time: exchangeTimeToUtc('2024-11-29', 12, 55), side: 'sell', qty: 100 },
      { time: exchangeTimeToUtc('2024-12-02', 9, 46), side: 'buy', qty: 100 },
      { time: exchangeTimeToUtc('2024-12-02', 15, 55), side: 'sell', qty: 100 },
    ]);
  });

  it('names the symbol when session() is asked about one the session does not stream', async () => {
    const { error } = await runStrategy({
      cursors: [cursor([sessionBars('2024-12-02', 16)])],
      source: `export default { onBar(bar, ctx) { ctx.session('NOPE'); } };`,
    });
    expect(error?.message).toMatch(/session\(\) for unknown symbol "NOPE"/);
  });

  it('reports the session holding a time, its early close included', async () => {
    const { error } = await runStrategy({
      cursors: [cursor([sessionBars('2024-11-29', 13)])],
      source: `export default { onStart(ctx) { globalThis.__session = ctx.session('X', ${exchangeTimeToUtc('2024-11-29', 10, 0)}); } };`,
    });
    expect(error).toBeNull();
    expect((globalThis as { __session?: unknown }).__session).toEqual({
      date: '2024-11-29',
      open: exchangeTimeToUtc('2024-11-29', 9, 30),
      close: exchangeTimeToUtc('2024-11-29', 13, 0),
      early_close: true,
    });
  });
});
