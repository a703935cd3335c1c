/**
 * The LEAN importer on small zips the tests write: detection, time zones across DST, price
 * scale, quote bars as quotes at the bar's end, trade and quote ticks, line-end quirks, and
 * every validation path with its row numbers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/main/storage/import/import-types';
import { openImportReader } from '../../../src/main/storage/import/open-import-reader';
import { leanImporter, LeanReader } from '../../../src/main/storage/import/vendors/lean-importer';
import { parseLeanFileName } from '../../../src/main/storage/import/vendors/lean-path';
import { wallClockToUtc as zoneToUtc, wallTimeOf } from '../../../src/shared/market/zoned-time';
import { VENDOR_IMPORTERS } from '../../../src/main/storage/import/vendors';
import { msOfDay, readAll, tempRoot, writeLeanZip } from './lean-fixtures';

const root = tempRoot('tapedeck-lean-');
afterAll(root.cleanup);
const utc = Date.parse;

let counter = 0;
/** A fresh folder per fixture, so file names can repeat LEAN's exactly. */
function zip(
  rel: string,
  inner: string,
  rows: string[],
  options?: Parameters<typeof writeLeanZip>[4],
): string {
  return writeLeanZip(join(root.dir, String(counter++)), rel, inner, rows, options);
}

async function open(file: string) {
  return leanImporter.open(file);
}

const SPY_TRADE = [
  `${msOfDay('09:30')},1674100,1675000,1673000,1674500,816453`,
  `${msOfDay('09:31')},1674500,1674900,1674000,1674200,120000`,
  `${msOfDay('16:00')},1674200,1674200,1674200,1674200,300`,
];

describe('LEAN detection', () => {
  it('recognises LEAN zips by the inner CSV name and is registered for openImportReader', async () => {
    const file = zip(
      'equity/usa/minute/spy/20131007_trade.zip',
      '20131007_spy_minute_trade.csv',
      SPY_TRADE,
    );
    expect(VENDOR_IMPORTERS).toContain(leanImporter);
    const reader = await openImportReader(file);
    expect(reader.format).toBe('lean-zip');
    const tick = zip('x/20131007_quote.zip', '20131007_ibm_Quote_Tick.csv', ['1,0,0,1,1,P,1,0']);
    expect((await openImportReader(tick)).format).toBe('lean-zip');
  });

  it('does not claim other zips, CSVs or parquet files', () => {
    const other = zipSync({ 'prices.csv': strToU8('time,open\n1,2') });
    expect(leanImporter.detect('/d/equity/usa/minute/spy/20131007_trade.zip', other)).toBe(false);
    expect(leanImporter.detect('/d/a.csv', strToU8('timestamp,open,high\n'))).toBe(false);
    expect(leanImporter.detect('/d/a.parquet', strToU8('PAR1\0\0\0\0'))).toBe(false);
    const badDate = zipSync({ '20131341_spy_minute_trade.csv': strToU8('0,1,1,1,1,1') });
    expect(leanImporter.detect('/d/20131341_trade.zip', badDate)).toBe(false);
  });

  it('refuses LEAN hour and daily bars with the base-interval message, and other asset classes', async () => {
    const daily = zip('equity/usa/daily/spy.zip', 'spy.csv', [
      '20131007 00:00,1674100,1675000,1673000,1674500,1',
    ]);
    const reader = await open(daily);
    const preview = await reader.preview({});
    expect(preview.problems[0]!.message).toMatch(
      /LEAN daily bars: .*Only '1s' or '1m' are supported as base intervals/,
    );
    await expect(readAll(reader)).rejects.toThrow(ImportError);
    const forex = zip(
      'forex/oanda/minute/eurusd/20140501_quote.zip',
      '20140501_eurusd_minute_quote.csv',
      ['0,1,1,1,1,0,1,1,1,1,0'],
    );
    const fp = await (await open(forex)).preview({});
    expect(fp.problems[0]!.message).toMatch(/LEAN forex files are not supported/);
  });
});

describe('LEAN equity trade bars', () => {
  it('reads New York ms-of-day on each side of the 2008 DST change, prices / 10,000', async () => {
    const fri = zip('equity/usa/minute/shy/20080307_trade.zip', '20080307_shy_minute_trade.csv', [
      `${msOfDay('09:30')},830100,830200,830000,830150,500`,
    ]);
    const mon = zip('equity/usa/minute/shy/20080310_trade.zip', '20080310_shy_minute_trade.csv', [
      `${msOfDay('09:30')},830100,830200,830000,830150,500`,
    ]);
    const a = await readAll(await open(fri));
    const b = await readAll(await open(mon));
    expect(a.timestamp).toEqual([utc('2008-03-07T14:30:00Z')]); // EST, UTC-5
    expect(b.timestamp).toEqual([utc('2008-03-10T13:30:00Z')]); // EDT, UTC-4
    expect(a.values.map((c) => c[0])).toEqual([83.01, 83.02, 83, 83.015, 500]);
    expect(a.chunks[0]).toMatchObject({ symbol: 'SHY', kind: 'bars', interval: '1m', length: 1 });
  });

  it('converts each time on a DST-change day with its own offset (Sunday 2024-03-10)', () => {
    // LEAN's times are ms since the file date's local midnight: the zoned wall clock of that day.
    const wallClockToUtc =
      (date: string, tz: string) =>
      (ms: number): number =>
        zoneToUtc(tz)(wallTimeOf(date, ms));
    const toUtc = wallClockToUtc('2024-03-10', 'America/New_York');
    expect(toUtc(msOfDay('01:59'))).toBe(utc('2024-03-10T06:59:00Z')); // EST
    expect(toUtc(msOfDay('03:00'))).toBe(utc('2024-03-10T07:00:00Z')); // EDT: 02:xx is skipped
    expect(toUtc(msOfDay('20:00'))).toBe(utc('2024-03-11T00:00:00Z'));
    const plain = wallClockToUtc('2024-03-11', 'America/New_York');
    expect(plain(msOfDay('09:30'))).toBe(utc('2024-03-11T13:30:00Z'));
    expect(wallClockToUtc('2024-03-10', 'UTC')(msOfDay('02:30'))).toBe(utc('2024-03-10T02:30:00Z'));
  });

  it('reads CRLF line ends and a trailing newline the same as LF without one', async () => {
    const rel = 'equity/usa/minute/spy/20131007_trade.zip';
    const inner = '20131007_spy_minute_trade.csv';
    const plain = await readAll(await open(zip(rel, inner, SPY_TRADE)));
    const crlf = await readAll(await open(zip(rel, inner, SPY_TRADE, { crlf: true })));
    const trailing = await readAll(
      await open(zip(rel, inner, SPY_TRADE, { crlf: true, trailingNewline: true })),
    );
    expect(plain.timestamp).toHaveLength(3);
    expect(crlf).toEqual(plain);
    expect(trailing).toEqual(plain);
    expect(plain.values[4]).toEqual([816453, 120000, 300]);
  });

  it('previews symbol, rows, exchange-time range, trading day and extended-hours counts', async () => {
    const rows = [`${msOfDay('04:00')},1672700,1672700,1672500,1672500,100`, ...SPY_TRADE];
    const reader = await open(
      zip('equity/usa/minute/spy/20131007_trade.zip', '20131007_spy_minute_trade.csv', rows),
    );
    const preview = await reader.preview({});
    expect(preview.format).toBe('lean-zip');
    expect(preview.mapping).toMatchObject({ timestamp: 'time', timestampUnit: 'ms', kind: 'bars' });
    expect(preview.timestampUnitNote).toMatch(/ms since midnight America\/New_York of 2013-10-07/);
    expect(preview.symbols).toEqual([
      {
        symbol: 'SPY',
        kind: 'bars',
        interval: '1m',
        rows: 4,
        first: '2013-10-07T04:00:00.000-04:00',
        last: '2013-10-07T16:00:00.000-04:00',
        tradingDays: ['2013-10-07'],
      },
    ]);
    // 04:00 and 16:00 are outside 09:30-16:00; kept, counted, and said once.
    expect(preview.counts).toMatchObject({ rows: 4, invalid: 0, outsideTradingHours: 2 });
    expect(preview.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^2 rows fall outside regular hours .*they are kept/),
    ]);
    expect((await readAll(reader)).timestamp).toHaveLength(4);
  });

  it('counts outside hours with the host calendar when one is given (an early close)', async () => {
    const rows = [
      `${msOfDay('12:59')},7500000,7500000,7500000,7500000,100`,
      `${msOfDay('13:00')},7500000,7500000,7500000,7500000,100`,
      `${msOfDay('13:30')},7500000,7500000,7500000,7500000,100`,
    ];
    const file = zip(
      'equity/usa/minute/goog/20151224_trade.zip',
      '20151224_goog_minute_trade.csv',
      rows,
    );
    const close = utc('2015-12-24T18:00:00Z');
    const calendar = (t: number) => t >= utc('2015-12-24T14:30:00Z') && t < close;
    const withCalendar = await (
      await leanImporter.open(file, { isRegularHours: calendar })
    ).preview({});
    expect(withCalendar.counts.outsideTradingHours).toBe(2);
    // Without one, the fallback knows only 09:30-16:00, and says so.
    const fallback = await (await open(file)).preview({});
    expect(fallback.counts.outsideTradingHours).toBe(0);
    const all = await readAll(await open(file));
    expect(all.timestamp).toEqual([close - 60_000, close, close + 1_800_000]);
  });

  it('takes --symbol over the path, and refuses an --interval the file does not hold', async () => {
    const file = zip('equity/usa/second/spy/20131007_trade.zip', '20131007_spy_second_trade.csv', [
      `${msOfDay('09:30:01')},1674100,1674100,1674100,1674100,1`,
    ]);
    const reader = await open(file);
    expect((await readAll(reader, { symbol: 'spy.x' })).chunks[0]).toMatchObject({
      symbol: 'SPY.X',
      interval: '1s',
    });
    const preview = await reader.preview({ interval: '1m' });
    expect(preview.problems[0]!.message).toMatch(
      /--interval 1m does not match .*second bars \(1s\)/,
    );
    await expect(readAll(reader, { interval: '1m' })).rejects.toThrow(/--interval 1m/);
    // The zone and the stamp are LEAN's to define: a naive-timestamp option changes nothing.
    const asked = { tz: 'UTC', stamp: 'end' } as const;
    expect((await reader.preview(asked)).timestampUnitNote).toMatch(
      /--tz UTC ignored.*--stamp end ignored/,
    );
    expect((await readAll(reader, asked)).timestamp).toEqual([utc('2013-10-07T13:30:01Z')]);
  });
});

describe('LEAN quote bars', () => {
  const rel = 'equity/usa/minute/spy/20131007_quote.zip';
  const inner = '20131007_spy_minute_quote.csv';

  it('become one quote at each bar END with the closing bid/ask and last sizes', async () => {
    const file = zip(rel, inner, [
      `${msOfDay('09:30')},1672700,1672800,1671500,1672500,300,1672800,1680000,1672600,1672700,2000`,
      `${msOfDay('09:32')},1672500,1672500,1672000,1672100,100,1672700,1674900,1672400,1672400,500`,
    ]);
    const { chunks, timestamp, values } = await readAll(await open(file));
    expect(chunks[0]).toMatchObject({ symbol: 'SPY', kind: 'quotes' });
    expect(chunks[0]!.interval).toBeUndefined();
    // Known only once the bar has closed (docs/design.md §1): 09:31 and 09:33, not 09:30 and 09:32.
    expect(timestamp).toEqual([utc('2013-10-07T13:31:00Z'), utc('2013-10-07T13:33:00Z')]);
    expect(values).toEqual([
      [167.25, 167.21],
      [167.27, 167.24],
      [300, 100],
      [2000, 500],
    ]);
  });

  it('keeps the last known side when a bar has one side empty, and flags crossed quotes', async () => {
    const file = zip(rel, inner, [
      `${msOfDay('09:30')},,,,,,1672800,1680000,1672600,1672700,2000`, // no bid known yet
      `${msOfDay('09:31')},1672500,1672500,1672000,1672100,100,,,,,`, // ask from nowhere yet
      `${msOfDay('09:32')},1672500,1672500,1672000,1672300,100,1672800,1680000,1672200,1672200,50`,
      `${msOfDay('09:33')},1672400,1672400,1672400,1672400,200,,,,,`, // ask carried: 167.22
    ]);
    const reader = await open(file);
    const preview = await reader.preview({});
    expect(preview.counts).toMatchObject({ rows: 4, crossedQuotes: 2, invalid: 0 });
    const crossed = preview.problems.filter((p) => /crossed/.test(p.message));
    expect(crossed.map((p) => [p.row, p.value])).toEqual([
      [3, '167.23'],
      [4, '167.24'],
    ]);
    const { values } = await readAll(reader);
    expect(values[1]).toEqual([167.27, 167.22, 167.22]);
    expect(values[0]).toEqual([167.21, 167.23, 167.24]);
  });
});

describe('LEAN ticks', () => {
  it('trade ticks: fractional ms floored, suspicious rows dropped with a warning', async () => {
    const file = zip('equity/usa/tick/spy/20131007_trade.zip', '20131007_spy_Trade_Tick.csv', [
      '34200000.367,1674100,100,P,1,0',
      '34200000.9,1674200,200,Q,1,0',
      '34200500,1674300,300,Z,20000020,1',
      '34201000,1674400,400,K,1,0',
    ]);
    const reader = await open(file);
    const { chunks, timestamp, values } = await readAll(reader);
    const t0 = utc('2013-10-07T13:30:00Z');
    expect(chunks[0]).toMatchObject({ symbol: 'SPY', kind: 'ticks' });
    expect(timestamp).toEqual([t0, t0, t0 + 1000]);
    expect(values).toEqual([
      [167.41, 167.42, 167.44],
      [100, 200, 400],
    ]);
    const preview = await reader.preview({});
    expect(preview.symbols[0]!.rows).toBe(3);
    expect(preview.problems).toContainEqual(
      expect.objectContaining({ row: 3, field: 'suspicious', severity: 'warning' }),
    );
  });

  it('quote ticks: one quote per millisecond from the latest bid and ask rows', async () => {
    const file = zip('equity/usa/tick/ibm/20131007_quote.zip', '20131007_ibm_Quote_Tick.csv', [
      '14400054,0,0,1836300,100,Q,1,0', // ask only: no quote yet
      '14400241,1800100,300,0,0,P,1,0', // bid and ask of one update, same ms
      '14400241,0,0,1818000,3000,P,1,0',
      '14400277,1812400,200,0,0,P,1,0',
      '14400277,0,0,1818000,3000,P,1,0', // ask unchanged: the quote changes by its bid
      '14400300,1812400,200,0,0,P,1,0',
      '14400300,0,0,1818000,3000,N,1,0', // nothing changed: no new quote
      '72000122,1812500,100,0,0,P,1,1', // suspicious: dropped
    ]);
    const reader = await open(file);
    const { timestamp, values } = await readAll(reader);
    const four = utc('2013-10-07T08:00:00Z');
    expect(timestamp).toEqual([four + 241, four + 277]);
    expect(values).toEqual([
      [180.01, 181.24],
      [181.8, 181.8],
      [300, 200],
      [3000, 3000],
    ]);
    const preview = await reader.preview({});
    expect(preview.counts.rows).toBe(8);
    expect(preview.symbols[0]).toMatchObject({ kind: 'quotes', rows: 2 });
    expect(preview.timestampUnitNote).toMatch(/latest bid and latest ask/);
  });
});

describe('LEAN crypto', () => {
  const rows = [
    '0,611.78,611.91,611.78,611.9,1.13872',
    '60000,611.87,611.88,611.87,611.88,0.56799',
  ];

  it('reads UTC times and decimal prices under crypto/, with no regular-hours count', async () => {
    const file = zip(
      'crypto/coinbase/minute/btcusd/20161007_trade.zip',
      '20161007_btcusd_minute_trade.csv',
      rows,
      { crlf: true },
    );
    const reader = await open(file);
    const { chunks, timestamp, values } = await readAll(reader);
    expect(chunks[0]).toMatchObject({ symbol: 'BTCUSD', interval: '1m' });
    expect(timestamp).toEqual([utc('2016-10-07T00:00:00Z'), utc('2016-10-07T00:01:00Z')]);
    expect(values[0]).toEqual([611.78, 611.87]);
    expect(values[4]).toEqual([1.13872, 0.56799]);
    const preview = await reader.preview({});
    expect(preview.symbols[0]!.first).toBe('2016-10-07T00:00:00.000Z');
    expect(preview.counts.outsideTradingHours).toBe(0);
  });

  it('tells crypto from equity by the prices when the path has no asset class', async () => {
    const file = zip('minute/20161007_trade.zip', '20161007_btcusd_minute_trade.csv', rows);
    const preview = await (await open(file)).preview({});
    expect(preview.timestampUnitNote).toMatch(/LEAN crypto \(from the data/);
    expect(preview.symbols[0]!.first).toBe('2016-10-07T00:00:00.000Z');
  });
});

describe('LEAN validation', () => {
  const rel = 'equity/usa/minute/bad/20240305_trade.zip';
  const inner = '20240305_bad_minute_trade.csv';
  const good = (clock: string) => `${msOfDay(clock)},1000000,1010000,990000,1005000,10`;

  it('finds each bad row with its row, field and value, and refuses the read listing all', async () => {
    const file = zip(rel, inner, [
      good('09:30'),
      `${msOfDay('09:31')},,1010000,990000,1005000,10`, // 2: NaN open
      `${msOfDay('09:32')},0,1010000,990000,1005000,10`, // 3: non-positive
      `${msOfDay('09:33')},1000000,980000,990000,985000,10`, // 4: high < low
      `${msOfDay('09:34')},1000000,1010000,990000,1005000,-5`, // 5: negative volume
      `${msOfDay('09:35')},1000000,1010000,990000`, // 6: too few fields
      `${msOfDay('09:36') + 500},1000000,1010000,990000,1005000,10`, // 7: off the minute
      good('09:37'),
      good('09:37'), // 9: duplicate, dropped
      good('09:36'), // 10: out of order
      '', // a blank line is skipped but still counts as a line
      good('09:40'), // 12
    ]);
    const reader = await open(file);
    const preview = await reader.preview({});
    expect(preview.counts).toEqual({
      rows: 11,
      invalid: 6,
      duplicates: 1,
      outOfOrder: 1,
      crossedQuotes: 0,
      outsideTradingHours: 0,
    });
    const at = (row: number) => preview.problems.find((p) => p.row === row);
    expect(at(2)).toMatchObject({ field: 'open', value: 'NaN', severity: 'error' });
    expect(at(3)).toMatchObject({
      field: 'open',
      value: '0',
      message: expect.stringMatching(/above zero/),
    });
    expect(at(4)).toMatchObject({ field: 'high', message: '98 is below low 99' });
    expect(at(5)).toMatchObject({ field: 'volume', value: '-5' });
    expect(at(6)).toMatchObject({ field: 'row', message: expect.stringMatching(/4 fields/) });
    expect(at(7)).toMatchObject({ field: 'time', message: expect.stringMatching(/1m boundary/) });
    expect(at(9)).toMatchObject({
      field: 'time',
      severity: 'warning',
      message: expect.stringMatching(/dropped/),
    });
    expect(at(10)).toMatchObject({
      field: 'time',
      severity: 'error',
      message: expect.stringMatching(/sort/),
    });
    expect(preview.symbols[0]!.rows).toBe(3);

    const error = await readAll(reader).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportError);
    const rows = (error as ImportError).problems.map((p) => p.row);
    expect(rows).toEqual(expect.arrayContaining([2, 3, 4, 5, 6, 7, 10]));
    expect(rows).not.toContain(9); // a dropped duplicate is a warning, not a refusal
    expect((error as ImportError).message).toMatch(
      /20240305_trade\.zip: row 4, high: 98 is below low 99/,
    );
  });

  it('sorts rows out of order when asked, then drops the duplicates it finds', async () => {
    const file = zip(rel, inner, [good('09:32'), good('09:30'), good('09:31'), good('09:30')]);
    const reader = await open(file);
    const preview = await reader.preview({ sort: true });
    expect(preview.counts).toMatchObject({ outOfOrder: 3, duplicates: 1, invalid: 0 });
    expect(preview.problems.every((p) => p.severity === 'warning')).toBe(true);
    const { timestamp } = await readAll(reader, { sort: true });
    const open0930 = utc('2024-03-05T14:30:00Z');
    expect(timestamp).toEqual([open0930, open0930 + 60_000, open0930 + 120_000]);
    await expect(readAll(reader)).rejects.toThrow(/goes back before an earlier row/);
  });

  it('previews a sample of a large file and says so; the read still takes every row', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => good(`10:${String(i).padStart(2, '0')}`));
    const file = zip(rel, inner, rows);
    const name = parseLeanFileName(file, inner)!;
    const reader = new LeanReader(file, name, {}, 20);
    const preview = await reader.preview({});
    expect(preview.counts.rows).toBe(20);
    expect(preview.symbols[0]!.last).toBe('2024-03-05T10:19:00.000-05:00');
    expect(preview.problems).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        message: expect.stringMatching(/first 20 rows only/),
      }),
    );
    const progress: number[] = [];
    let read = 0;
    for await (const chunk of reader.read({}, (p) => progress.push(p.percent)))
      read += chunk.length;
    expect(read).toBe(50);
    expect(progress.at(-1)).toBe(100);
  });

  it('refuses duplicates when asked to', async () => {
    const file = zip(rel, inner, [good('09:30'), good('09:30')]);
    const reader = await open(file);
    expect((await readAll(reader)).timestamp).toHaveLength(1);
    await expect(readAll(reader, { duplicates: 'refuse' })).rejects.toThrow(/duplicates refused/);
  });

  it('names a corrupt, empty or multi-file zip instead of crashing', async () => {
    const corrupt = zip(rel, inner, [good('09:30'), good('09:31')]);
    const bytes = zipSync({ [inner]: strToU8(Array(2000).fill(good('09:30')).join('\n')) });
    bytes.fill(0x55, 60, 120); // wreck the deflate stream, keep the header
    writeFileSync(corrupt, bytes);
    const reader = await open(corrupt);
    const preview = await reader.preview({});
    expect(preview.problems[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/^The zip /),
    });
    await expect(readAll(reader)).rejects.toThrow(ImportError);

    const empty = await (await open(zip(rel, inner, []))).preview({});
    expect(empty.problems[0]!.message).toMatch(/no data rows/);

    const two = join(root.dir, 'two', '20240305_trade.zip');
    writeLeanZip(join(root.dir, 'two'), '20240305_trade.zip', inner, [good('09:30')]);
    writeFileSync(two, zipSync({ [inner]: strToU8(good('09:30')), 'extra.csv': strToU8('x') }));
    await expect(readAll(await open(two))).rejects.toThrow(/more than one file/);
  });
});
