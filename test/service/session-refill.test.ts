import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type {
  BarColumns,
  LogEntry,
  QualityStrip,
  SessionStatus,
} from '../../src/shared/ipc-contract';
import { generateDemoData } from '../../src/main/storage/demo-data';
import { barValues } from '../engine/upkeep-helpers';
import { writableDb } from '../storage/sqlite-helpers';
import { demoConfig, recorder, type Recorder } from './service-helpers';

// One of the demo's missing TSLA seconds, 10:44:10 New York on 2024-03-05, is in a market.db
// beside the parquet files: the upkeep's next cycle refills it from there, after the seconds
// that follow it have already gone to the renderer.
const MISSING = Date.parse('2024-03-05T15:44:10Z');

function dataWithRefill(): string {
  const data = join(mkdtempSync(join(tmpdir(), 'tapedeck-refill-')), 'data');
  generateDemoData(data);
  const { store, repo } = writableDb(join(data, 'market.db'));
  const v = barValues([MISSING]);
  repo.insertBars('TSLA', '1s', {
    timestamp: [MISSING],
    open: v.open!,
    high: v.high!,
    low: v.low!,
    close: v.close!,
    volume: v.volume!,
  });
  store.close();
  return data;
}

let r: Recorder;
afterAll(() => r.service.close());

describe('a session whose gap is refilled', () => {
  it('names the series whose past changed, so a chart refetches it, and shows the refill', async () => {
    r = recorder({ dataDir: dataWithRefill() });
    await r.call('startSession', { config: demoConfig(), startAt: MISSING - 10_000 });
    // Charts show TSLA's 1s and 1m bars: they fetched them, and they are pushed from then on.
    await r.call('getBars', { symbol: 'TSLA', interval: '1s' });
    await r.call('getBars', { symbol: 'TSLA', interval: '1m' });
    let clock = 0;
    while (clock < MISSING + 65_000) {
      clock = (await r.call<SessionStatus>('controlSession', { action: 'step' })).clock!;
    }
    const revised = r.updates.filter((u) => u.revised);
    expect(revised.map((u) => u.revised)).toEqual([{ TSLA: ['1s'] }]);
    const streamed = r.updates.flatMap((u) => u.bars.TSLA?.['1s']?.time ?? []);
    expect(streamed).toContain(MISSING + 1000);
    expect(streamed).not.toContain(MISSING);
    const bars = await r.call<BarColumns>('getBars', { symbol: 'TSLA', interval: '1s' });
    expect(bars.time).toContain(MISSING);
    // The minute holding it completed with the refill in: it streams whole, not revised.
    const minute = r.updates
      .map((u) => u.bars.TSLA?.['1m'])
      .find((b) => b?.time.includes(MISSING - 10_000));
    expect(minute?.baseBars?.[minute.time.indexOf(MISSING - 10_000)]).toBe(60);

    const strip = await r.call<QualityStrip>('qualityStrip', { symbol: 'TSLA' });
    expect(strip.states[strip.minutes.indexOf(MISSING - 10_000)]).toBe(2);
    const filled = (l: LogEntry): boolean =>
      l.level === 'info' &&
      /TSLA 1s: gap 2024-03-05 10:44:10.* 1 of 1 bars refilled/.test(l.message);
    expect(r.logs.some(filled)).toBe(true);
  });
});
