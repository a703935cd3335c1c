import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calendarFor } from '../../../src/shared/market/calendars';
import { checkCoverage, spans } from '../../../src/main/host/catalog-check';
import { createDataStore } from '../../../src/main/host/data-store';
import { openSession, SessionProblems } from '../../../src/main/host/session-host';
import { commitImport } from '../../../src/main/storage/import/import-commit';
import type { CatalogEntry } from '../../../src/shared/import-contract';
import { parseSessionConfig, type SessionConfigInput } from '../../../src/shared/session-config';
import { makeDataDir, removeDataDir } from '../fixtures';
import { barTimes, chunksOf, iterate } from './commit-helpers';

const xnys = () => calendarFor('XNYS');

function entry(date: string, interval: '1s' | '1m' = '1s'): CatalogEntry {
  return {
    symbol: 'AAPL',
    kind: 'bars',
    interval,
    date,
    store: 'parquet',
    rows: 1,
    first: `${date}T14:30:00.000Z`,
    last: `${date}T14:30:00.000Z`,
    quality: 100,
  };
}

const AAPL_1S = { symbol: 'AAPL', type: 'bars', interval: '1s' } as const;

describe('checkCoverage', () => {
  const have = [entry('2024-03-01'), entry('2024-03-04'), entry('2024-03-05')];

  it('names the missing day and what there is when a range has no data', () => {
    const report = checkCoverage(
      [AAPL_1S],
      { start_date: '2024-03-06', end_date: '2024-03-06' },
      have,
      xnys,
    );
    // 03-01 (Fri) and 03-04 (Mon) are consecutive trading days: one run.
    expect(report.problems).toEqual([
      'AAPL 1s bars: no data for 2024-03-06 (have 2024-03-01..2024-03-05)',
    ]);
  });

  it('notes trading days missing inside a range, never weekends or holidays', () => {
    const report = checkCoverage(
      [AAPL_1S],
      { start_date: '2024-02-29', end_date: '2024-03-07' },
      have,
      xnys,
    );
    expect(report.problems).toEqual([]);
    expect(report.notes).toEqual([
      'AAPL 1s bars: no data for 2024-02-29, 2024-03-06..2024-03-07 (have 2024-03-01..2024-03-05)',
    ]);
    expect(report.range).toEqual({ start_date: '2024-02-29', end_date: '2024-03-07' });
  });

  it('resolves the date range from the data when the config has none', () => {
    const report = checkCoverage([AAPL_1S], {}, have, xnys);
    expect(report).toEqual({
      problems: [],
      notes: [],
      range: { start_date: '2024-03-01', end_date: '2024-03-05' },
    });
  });

  it('says which other streams the symbol has when the asked one has none', () => {
    const key = { symbol: 'AAPL', type: 'bars', interval: '1m' } as const;
    const report = checkCoverage([key, { symbol: 'NVDA', type: 'quotes' }], {}, have, xnys);
    expect(report.problems).toEqual([
      'AAPL 1m bars: no data (the store has AAPL 1s bars 2024-03-01..2024-03-05)',
      'NVDA quotes: no data (the store has nothing for NVDA)',
    ]);
  });

  it('spans joins consecutive dates', () => {
    expect(spans(['2024-03-01', '2024-03-02', '2024-03-04'])).toBe(
      '2024-03-01..2024-03-02, 2024-03-04',
    );
  });
});

describe('opening a session checks the catalog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeDataDir();
    const times = [...barTimes('2024-03-04', 9, 30, 120), ...barTimes('2024-03-05', 9, 30, 120)];
    await commitImport(iterate(chunksOf({ symbol: 'AAPL', timestamps: times })), {
      dataDir: dir,
      to: 'both',
    });
  });
  afterEach(async () => removeDataDir(dir));

  function config(extra: Partial<SessionConfigInput>, source: 'parquet' | 'sqlite') {
    const parsed = parseSessionConfig({
      session_name: 't',
      data_streams: [{ type: 'bars', symbol: 'AAPL', interval: '1s' }],
      data_source: { type: source },
      ...extra,
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    return parsed.config;
  }

  for (const source of ['parquet', 'sqlite'] as const) {
    it(`${source}: a range with no data stops the session with the precise message`, async () => {
      const cfg = config(
        { backtest_config: { start_date: '2024-03-06', end_date: '2024-03-06' } },
        source,
      );
      const store = createDataStore(cfg, dir);
      if (!store.ok) throw new Error(store.problems.join());
      const error = await openSession(cfg, store.store).catch((e: unknown) => e);
      store.store.close();
      expect(error).toBeInstanceOf(SessionProblems);
      expect((error as SessionProblems).problems).toContain(
        'AAPL 1s bars: no data for 2024-03-06 (have 2024-03-04..2024-03-05)',
      );
    });

    it(`${source}: a partly covered range runs, with a note and the resolved range`, async () => {
      const cfg = config(
        { backtest_config: { start_date: '2024-03-04', end_date: '2024-03-06' } },
        source,
      );
      const store = createDataStore(cfg, dir);
      if (!store.ok) throw new Error(store.problems.join());
      const session = await openSession(cfg, store.store);
      expect(session.notes).toEqual([
        'AAPL 1s bars: no data for 2024-03-06 (have 2024-03-04..2024-03-05)',
      ]);
      expect(session.totalRows).toBe(240);
      await session.coordinator.stop();
      store.store.close();
    });
  }
});
