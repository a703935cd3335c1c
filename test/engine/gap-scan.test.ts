/**
 * A gap scan starts where the last one stopped in the base store. The store changes under it
 * between scans: a release drops its first rows (every index shifts) and a refill inserts rows
 * before that place. Either way the next scan must find what a scan of the whole store finds.
 */
import { describe, expect, it } from 'vitest';
import { ColumnStore } from '../../src/main/engine/column-store';
import { GapTracker } from '../../src/main/engine/upkeep/gap-tracker';
import { calendarFor } from '../../src/shared/market/calendars';
import { BAR_FIELDS } from '../../src/shared/stream-types';

const XNYS = calendarFor('XNYS');
const OPEN = XNYS.sessionAfter(Date.parse('2024-03-04T00:00:00Z'))!.open;
const minute = (m: number): number => OPEN + m * 60_000;

function ranges(tracker: GapTracker): string[] {
  return tracker.gaps.map((g) => `${(g.start - OPEN) / 60_000}-${(g.end - OPEN) / 60_000}`);
}

function bars(store: ColumnStore, minutes: number[]): void {
  for (const m of minutes) store.insertOrdered(minute(m), [1, 1, 1, 1, 1]);
}

describe('gap scans over a changing store', () => {
  it('find the same gaps after a release dropped rows short of where the last scan stopped', () => {
    const base = new ColumnStore(BAR_FIELDS);
    // The merge is ahead of the scans: minutes 0-199 are in, without 40-44 and 150-159.
    bars(
      base,
      [...Array(200).keys()].filter((m) => (m < 40 || m >= 45) && (m < 150 || m >= 160)),
    );
    const tracker = new GapTracker('AAA', '1m', XNYS, OPEN);
    tracker.scan(base, minute(100));
    // A release drops the first 30 rows: the row where the scan stopped now holds a later bar.
    base.dropFront(30);
    tracker.scan(base, minute(200));
    expect(ranges(tracker)).toEqual(['40-45', '150-160']);
  });

  it('find the same gaps after a refill put rows before where the last scan stopped', () => {
    const base = new ColumnStore(BAR_FIELDS);
    bars(
      base,
      [...Array(100).keys()].filter((m) => m < 40 || m >= 45),
    );
    const tracker = new GapTracker('AAA', '1m', XNYS, OPEN);
    tracker.scan(base, minute(60));
    // The refill brings minutes 40-44; then the merge brings 100-119 with 110 missing.
    bars(base, [40, 41, 42, 43, 44]);
    bars(
      base,
      [...Array(20).keys()].map((i) => 100 + i).filter((m) => m !== 110),
    );
    tracker.scan(base, minute(120));
    expect(ranges(tracker)).toEqual(['40-45', '110-111']);
  });
});
