/**
 * A market open every day is dated by UTC: a crypto 1m file spanning UTC midnights imports
 * into UTC-date partitions, previews with no rows "outside hours", and its catalog quality per
 * UTC day is present/1,440. The oracle is brute force over the generated timestamps.
 */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportHost } from '../../../src/main/host/import-engine';
import { ImportError } from '../../../src/main/storage/import/import-types';
import { ParquetBarFillSource } from '../../../src/main/storage/parquet/parquet-fill-source';
import { exchangeDate } from '../../../src/shared/time';
import { outsideData } from '../../outside-data';
import { makeDataDir, removeDataDir } from '../fixtures';

const MIN = 60_000;
let dir: string;
let data: string;
beforeEach(async () => {
  dir = await makeDataDir();
  data = join(dir, 'data');
});
afterEach(async () => removeDataDir(dir));

/** 1m bars from Fri 2022-12-30 20:00Z to Mon 2023-01-02 03:59Z, every 7th minute missing. */
function cryptoMinutes(): number[] {
  const out: number[] = [];
  const from = Date.parse('2022-12-30T20:00:00Z');
  const to = Date.parse('2023-01-02T04:00:00Z');
  for (let t = from, i = 0; t < to; t += MIN, i++) if (i % 7 !== 3) out.push(t);
  return out;
}

function writeCsv(times: number[]): string {
  const file = join(dir, 'BTC-USD.csv');
  const rows = times.map((t, i) => `${t},${100 + i},${101 + i},${99 + i},${100.5 + i},1`);
  writeFileSync(file, `timestamp,open,high,low,close,volume\n${rows.join('\n')}\n`);
  return file;
}

/** UTC date → rows on it. */
function perUtcDay(times: number[]): Map<string, number> {
  const days = new Map<string, number>();
  for (const t of times) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return days;
}

describe('a 24x7 symbol on import', () => {
  it('is guessed from weekend rows and previewed by UTC dates, nothing outside hours', async () => {
    const times = cryptoMinutes();
    const [preview] = await new ImportHost().previewImport([writeCsv(times)], {}, data);
    expect(preview.calendar?.name).toBe('24x7');
    expect(preview.notes!.join('\n')).toMatch(/calendar 24x7 \(UTC dates\): rows on a weekend/);
    expect(preview.counts.outsideTradingHours).toBe(0);
    expect(preview.symbols[0].tradingDays).toEqual([...perUtcDay(times).keys()]);
    expect(preview.symbols[0].first).toBe('2022-12-30T20:00:00.000Z');
  });

  it('imports into UTC-date partitions whose catalog quality is present/1440', async () => {
    const times = cryptoMinutes();
    const host = new ImportHost();
    const result = await host.runImport([writeCsv(times)], {}, 'both', { dataDir: data });
    const expected = perUtcDay(times);
    expect(result.streams[0].tradingDays).toEqual([...expected.keys()]);
    const names = readdirSync(join(data, 'parquet', 'bars', 'interval=1m', 'symbol=BTC-USD'));
    expect(names.sort()).toEqual([...expected.keys()].map((d) => `date=${d}`));
    const { entries } = await host.listCatalog(data);
    for (const store of ['parquet', 'sqlite'] as const) {
      const mine = entries.filter((e) => e.store === store);
      expect(mine.map((e) => e.date)).toEqual([...expected.keys()]);
      for (const e of mine) {
        const present = expected.get(e.date)!;
        expect(e.rows).toBe(present);
        expect(e.quality).toBe(Math.round((present / 1440) * 10_000) / 100);
        expect(e.first.slice(0, 10)).toBe(e.date);
        expect(e.last.slice(0, 10)).toBe(e.date);
      }
    }
  });

  it('keeps the stored calendar on the next import, and refuses another one by name', async () => {
    const times = cryptoMinutes();
    const file = writeCsv(times);
    const host = new ImportHost();
    await host.runImport([file], {}, 'parquet', { dataDir: data });
    // A weekday-only slice would be guessed XNYS; the store's calendar wins.
    const weekday = writeCsv(times.filter((t) => t >= Date.parse('2023-01-02T00:00:00Z')));
    const [preview] = await host.previewImport([weekday], { symbol: 'BTC-USD' }, data);
    expect(preview.calendar).toEqual({
      name: '24x7',
      why: "the calendar BTC-USD's stored data is dated by",
    });
    const refused = host.runImport([file], { calendar: 'XNYS' }, 'parquet', { dataDir: data });
    await expect(refused).rejects.toThrow(ImportError);
    await expect(refused).rejects.toThrow(
      /symbol=BTC-USD[/\\]date=2023-01-02[/\\]part-0\.parquet: BTC-USD 1m bars are stored by 24x7 trading dates, but this import dates them by XNYS: import with --calendar 24x7/,
    );
  });

  it('points out BTCUSD on an import into a store that keeps BTC-USD', async () => {
    const times = cryptoMinutes();
    const host = new ImportHost();
    await host.runImport([writeCsv(times)], {}, 'parquet', { dataDir: data });
    const [preview] = await host.previewImport([writeCsv(times)], { symbol: 'BTCUSD' }, data);
    expect(preview!.sameInstrument).toEqual([{ symbols: ['BTC-USD', 'BTCUSD'], as: 'BTC-USD' }]);
    expect(preview!.problems.map((p) => p.message).join('\n')).toContain(
      'BTC-USD (already stored) and BTCUSD (BTC-USD.csv)',
    );
  });

  it('on XNYS when asked: New York dates, weekend rows outside hours and named', async () => {
    const times = cryptoMinutes();
    const [preview] = await new ImportHost().previewImport(
      [writeCsv(times)],
      { calendar: 'XNYS' },
      data,
    );
    expect(preview.calendar).toEqual({ name: 'XNYS', why: 'as given' });
    const nyDays = [...new Set(times.map((t) => exchangeDate(t)))];
    expect(preview.symbols[0].tradingDays).toEqual(nyDays);
    // Only Friday's last hour is a session (2023-01-02 is the observed New Year's Day).
    const close = Date.parse('2022-12-30T21:00:00Z');
    expect(preview.counts.outsideTradingHours).toBe(times.filter((t) => t >= close).length);
    expect(preview.notes!.join('\n')).toMatch(/weekend day\(s\) \(2022-12-31, 2023-01-01\)/);
  });
});

describe('refilling a 24x7 symbol from UTC-date files', () => {
  it('finds the bars of the UTC morning in the file of their UTC date', async () => {
    const times = cryptoMinutes();
    await new ImportHost().runImport([writeCsv(times)], {}, 'parquet', { dataDir: data });
    const from = Date.parse('2023-01-01T01:00:00Z');
    const to = from + 60 * MIN;
    const want = times.filter((t) => t >= from && t < to);
    const utc = new ParquetBarFillSource(data, { calendarOf: () => '24x7' });
    const found = await utc.fetchBars('BTC-USD', '1m', from, to);
    expect([...found.timestamp.subarray(0, found.length)]).toEqual(want);
    // By New York dates those instants belong to 2022-12-31, whose UTC file does not hold them.
    const ny = await new ParquetBarFillSource(data).fetchBars('BTC-USD', '1m', from, to);
    expect(ny.length).toBe(0);
  });
});

const lean = outsideData('real/lean-btcusd-coinbase/minute/20161007_trade.zip');
describe.skipIf(!lean.path)(`real LEAN crypto minute bars ${lean.reason}`, () => {
  it('import as one UTC day with quality present/1440', async () => {
    // LEAN names the market in the path; the shared copy sits outside one.
    const rel = join(dir, 'crypto', 'coinbase', 'minute', 'btcusd');
    mkdirSync(rel, { recursive: true });
    const file = join(rel, '20161007_trade.zip');
    copyFileSync(lean.path!, file);
    const host = new ImportHost();
    const [preview] = await host.previewImport([file], {}, data);
    expect(preview.calendar?.name).toBe('24x7');
    expect(preview.counts.outsideTradingHours).toBe(0);
    const result = await host.runImport([file], {}, 'parquet', { dataDir: data });
    expect(result.streams[0].tradingDays).toEqual(['2016-10-07']);
    const [entry] = (await host.listCatalog(data)).entries;
    expect(entry.date).toBe('2016-10-07');
    expect(entry.quality).toBe(Math.round((entry.rows / 1440) * 10_000) / 100);
  });
});
