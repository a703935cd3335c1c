/**
 * A symbol with trades and no stored bars, replayed with `bars_from_ticks`: its base bars are
 * built in the engine, arrive at their end like stored bars, and feed the derived bars and the
 * quality figures.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDataStore } from '../../src/main/host/data-store';
import { openSession } from '../../src/main/host/session-host';
import { symbolInfos } from '../../src/main/service/replay-session';
import { writeStream } from '../../src/main/storage/synthetic/synthetic-day';
import { parseSessionConfig } from '../../src/shared/session-config';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const DATE = '2024-03-04';
const OPEN = Date.parse('2024-03-04T14:30:00Z');

function config(extra: Record<string, unknown> = {}) {
  return {
    session_name: 'ticks',
    data_streams: [{ type: 'ticks', symbol: 'BTC', bars_from_ticks: '1s', ...extra }],
    backtest_config: { start_date: DATE, end_date: DATE, speed_multiplier: 0 },
    session_data_config: { data_upkeep: { derived_intervals: ['1m'] } },
  };
}

describe('bars from ticks in a session', () => {
  it('builds 1s base bars and derived 1m bars from trades only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapedeck-tickbars-session-'));
    dirs.push(dir);
    // Ten minutes of trades: three in every even second, none in odd ones.
    const times: number[] = [];
    const prices: number[] = [];
    for (let s = 0; s < 600; s += 2) {
      for (const ms of [0, 200, 900]) {
        times.push(OPEN + s * 1000 + ms);
        prices.push(100 + s / 100 + ms / 10_000);
      }
    }
    writeStream(
      dir,
      { symbol: 'BTC', type: 'ticks', date: DATE },
      {
        timestamp: Float64Array.from(times),
        values: [Float64Array.from(prices), Float64Array.from(times.map(() => 2))],
      },
      undefined,
    );
    const parsed = parseSessionConfig(config());
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(symbolInfos(parsed.config)[0]).toMatchObject({ baseInterval: '1s', hasTicks: true });
    const store = createDataStore(parsed.config, dir);
    if (!store.ok) throw new Error(store.problems.join('\n'));
    const session = await openSession(parsed.config, store.store, { speed: 0, fillSource: null });
    await session.coordinator.start();
    const data = session.sessionData.getSymbolData('BTC')!;
    expect(data.bars_base.length).toBe(300);
    expect(data.ticks.length).toBe(900);
    const first = data.bars_base.row(0) as unknown as Record<string, number>;
    expect(first).toMatchObject({ open: 100, high: 100.09, low: 100, close: 100.09, volume: 6 });
    // Ten minutes; the last one's final second had no trade, so no later bar completes it.
    expect(session.upkeep!.derivedOf('BTC', '1m')!.completed.length).toBe(9);
    // Half the seconds had no trade: quality says so, as for sparse stored 1s bars.
    expect(session.upkeep!.trackerOf('BTC')!.quality).toBeLessThan(60);
    store.store.close();
  });

  it('refuses bars_from_ticks on a non-tick stream, and beside a stored bar stream', () => {
    const onBars = parseSessionConfig({
      ...config(),
      data_streams: [{ type: 'bars', symbol: 'BTC', interval: '1s', bars_from_ticks: '1s' }],
    });
    expect(!onBars.ok && onBars.problems.map((p) => p.message).join('\n')).toMatch(
      /bars_from_ticks applies to ticks streams only/,
    );
    const both = parseSessionConfig({
      ...config(),
      data_streams: [
        { type: 'bars', symbol: 'BTC', interval: '1m' },
        { type: 'ticks', symbol: 'BTC', bars_from_ticks: '1s' },
      ],
    });
    expect(!both.ok && both.problems.map((p) => p.message).join('\n')).toMatch(
      /Duplicate bar stream for BTC\. Found both 1m and 1s \(from ticks\)/,
    );
  });
});
