import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ImportError,
  openImportReader,
  previewFile,
  type ImportProgress,
} from '../../../src/main/storage/import';
import {
  barLines,
  drain,
  isoSeconds,
  makeTempDir,
  readError,
  removeTempDir,
  writeCsv,
  writeGzipCsv,
} from './reader-fixtures';

const T = Date.UTC(2024, 2, 4, 14, 30); // 09:30 New York
const MIN = 60_000;

describe('generic CSV reader', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it('reads 1m bars: UTC ms, STREAM_FIELDS order, symbol from the file name', async () => {
    const file = await writeCsv(dir, 'AAPL_1m_2024-03-04.csv', [
      'Volume,Close,Low,High,Open,Date Time',
      ...[0, 1, 2].map(
        (i) => `${10 + i},${100.25 + i},${99 + i},${101 + i},${100 + i},${isoSeconds(T + i * MIN)}`,
      ),
    ]);
    // 'Date Time' is no known name; map it.
    const options = { mapping: { timestamp: 'Date Time' } };
    const preview = await previewFile(file, options);
    expect(preview.format).toBe('csv');
    expect(preview.mapping.fields).toEqual({
      open: 'Open',
      high: 'High',
      low: 'Low',
      close: 'Close',
      volume: 'Volume',
    });
    expect(preview.symbols).toEqual([
      {
        symbol: 'AAPL',
        kind: 'bars',
        interval: '1m',
        rows: 3,
        first: '2024-03-04T09:30:00.000-05:00',
        last: '2024-03-04T09:32:00.000-05:00',
        tradingDays: ['2024-03-04'],
      },
    ]);
    expect(preview.problems).toEqual([]);
    const { chunks, symbols } = await drain(file, options);
    expect(chunks.map((c) => [c.symbol, c.kind, c.interval, c.length])).toEqual([
      ['AAPL', 'bars', '1m', 3],
    ]);
    expect(symbols.get('AAPL')).toEqual({
      timestamp: [T, T + MIN, T + 2 * MIN],
      values: [
        [100, 101, 102],
        [101, 102, 103],
        [99, 100, 101],
        [100.25, 101.25, 102.25],
        [10, 11, 12],
      ],
    });
  });

  it('reports ten bad rows in the preview with row, field and value, and refuses the read', async () => {
    const lines = barLines(30, T, MIN);
    const set = (row: number, column: number, value: string) => {
      const cells = lines[row].split(',');
      cells[column] = value;
      lines[row] = cells.join(',');
    };
    set(3, 1, 'abc'); // open not a number
    set(5, 4, ''); // close missing
    set(7, 2, '90'); // high below low
    set(9, 2, '103.5'); // high below open/close (open 104, low 103)
    set(11, 3, '200'); // low above open/close (high raised too, to stay above it)
    set(11, 2, '300');
    set(13, 5, '-5'); // negative volume
    set(15, 1, '0'); // open zero
    set(17, 0, 'garbage'); // not a timestamp
    set(19, 0, isoSeconds(T + 18 * MIN + 30_000)); // off the 1m grid
    set(21, 0, isoSeconds(T)); // out of order
    const file = await writeCsv(dir, 'SPY.csv', lines);
    const preview = await previewFile(file);
    const summary = preview.problems.map((p) => [p.row, p.field, p.value, p.severity]);
    expect(summary).toEqual([
      [3, 'open', 'abc', 'error'],
      [5, 'close', '', 'error'],
      [7, 'high', '90', 'error'],
      [9, 'high', '103.5', 'error'],
      [11, 'low', '200', 'error'],
      [13, 'volume', '-5', 'error'],
      [15, 'open', '0', 'error'],
      [17, 'timestamp', 'garbage', 'error'],
      [19, 'timestamp', '2024-03-04 14:48:30', 'error'],
      [21, 'timestamp', '2024-03-04 14:30:00', 'error'],
    ]);
    expect(preview.problems.map((p) => p.message)).toEqual([
      'open "abc" is not a number',
      'close is missing',
      'high 90 is below low 102',
      'high 103.5 is below open 104 or close 104.25',
      'low 200 is above open 105 or close 105.25',
      'volume is -5; it cannot be negative',
      'open is 0; it must be above zero',
      '"garbage" is not a timestamp',
      'bar start 2024-03-04T14:48:30.000Z is not on the 1m grid',
      '2024-03-04T14:30:00.000Z is before 2024-03-04T14:49:00.000Z (row 20); rows must be in time order: to sort them, pass --sort (or tick "Sort rows that are out of order")',
    ]);
    expect(preview.counts).toEqual({
      rows: 30,
      invalid: 9,
      duplicates: 0,
      outOfOrder: 1,
      crossedQuotes: 0,
      outsideTradingHours: 0,
    });
    expect(preview.symbols[0].rows).toBe(20);
    const error = await readError(file);
    expect(error.problems).toHaveLength(10);
    expect(error.message).toContain(`${file}: row 3, open: open "abc" is not a number`);
  });

  it('caps examples at 20 per kind and counts the rest', async () => {
    const lines = barLines(60, T, MIN).map((line, i) =>
      i > 0 && i <= 50 ? line.replace(/,[\d.]+$/, ',-1') : line,
    );
    const file = await writeCsv(dir, 'SPY.csv', lines);
    const preview = await previewFile(file);
    expect(preview.counts.invalid).toBe(50);
    expect(preview.problems).toHaveLength(21);
    expect(preview.problems[20].message).toBe('30 more rows like this (50 in all)');
  });

  it('shifts end-stamped bars back by one interval', async () => {
    const file = await writeCsv(dir, 'ES.csv', barLines(5, T + MIN, MIN));
    const preview = await previewFile(file, { stamp: 'end' });
    expect(preview.symbols[0].first).toBe('2024-03-04T09:30:00.000-05:00');
    const { symbols } = await drain(file, { stamp: 'end' });
    expect(symbols.get('ES')!.timestamp).toEqual([0, 1, 2, 3, 4].map((i) => T + i * MIN));
    const unshifted = await drain(file);
    expect(unshifted.symbols.get('ES')!.timestamp[0]).toBe(T + MIN);
  });

  it('reads naive times as America/New_York across the DST change', async () => {
    const lines = ['time,open,high,low,close,volume'];
    for (const day of ['2024-03-08', '2024-03-11']) {
      for (const m of ['30', '31', '32']) lines.push(`${day} 09:${m}:00,10,11,9,10.5,100`);
    }
    const file = await writeCsv(dir, 'IBM.csv', lines);
    const options = { tz: 'America/New_York' as const };
    const preview = await previewFile(file, options);
    expect(preview.symbols[0]).toMatchObject({
      interval: '1m',
      first: '2024-03-08T09:30:00.000-05:00',
      last: '2024-03-11T09:32:00.000-04:00',
      tradingDays: ['2024-03-08', '2024-03-11'],
    });
    const ts = (await drain(file, options)).symbols.get('IBM')!.timestamp;
    expect(ts[0]).toBe(Date.UTC(2024, 2, 8, 14, 30));
    expect(ts[3]).toBe(Date.UTC(2024, 2, 11, 13, 30));
    // The default zone is UTC.
    expect((await drain(file)).symbols.get('IBM')!.timestamp[0]).toBe(Date.UTC(2024, 2, 8, 9, 30));
  });

  it('reads the repeated autumn hour in file order, and refuses a mere step back there', async () => {
    const file = await writeCsv(dir, 'CL.csv', [
      'time,open,high,low,close,volume',
      '2024-11-03 01:58:00,10,11,9,10,1',
      '2024-11-03 01:59:00,10,11,9,10,1',
      '2024-11-03 01:00:00,10,11,9,10,1', // the clocks went back: 01:00 EST
      '2024-11-03 01:01:00,10,11,9,10,1',
      '2024-11-03 02:00:00,10,11,9,10,1',
    ]);
    const options = { tz: 'America/New_York' as const };
    const preview = await previewFile(file, options);
    expect(preview.problems.map((p) => p.message)).toEqual([
      '2 row(s) fall in the hour the clocks repeat in America/New_York; read as its second pass (standard time) because the times jump back there',
    ]);
    const ts = (await drain(file, options)).symbols.get('CL')!.timestamp;
    expect(ts.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual([
      '05:58',
      '05:59',
      '06:00',
      '06:01',
      '07:00',
    ]);
    const glitch = await writeCsv(dir, 'NG.csv', [
      'time,open,high,low,close,volume',
      '2024-11-03 01:30:00,10,11,9,10,1',
      '2024-11-03 01:31:00,10,11,9,10,1',
      '2024-11-03 01:10:00,10,11,9,10,1', // 21 minutes back: out of order, not the repeat
    ]);
    const error = await readError(glitch, options);
    expect(error.problems).toEqual([
      expect.objectContaining({ row: 3, value: '2024-11-03 01:10:00' }),
    ]);
  });

  it('splits a multi-symbol file into per-symbol chunks', async () => {
    const lines = ['ts,sym,price,size'];
    for (let i = 0; i < 6; i++) {
      lines.push(`${T + i * 1000},${i % 2 ? 'msft' : 'AAPL'},${100 + i},${i + 1}`);
    }
    const file = await writeCsv(dir, 'trades.csv', lines);
    const preview = await previewFile(file);
    expect(preview.mapping).toMatchObject({ kind: 'ticks', symbol: 'sym', timestampUnit: 'ms' });
    expect(preview.timestampUnitNote).toBe('ms, from magnitude 1.7e12');
    expect(preview.symbols.map((s) => [s.symbol, s.rows])).toEqual([
      ['AAPL', 3],
      ['MSFT', 3],
    ]);
    const { symbols } = await drain(file);
    expect(symbols.get('AAPL')).toEqual({
      timestamp: [T, T + 2000, T + 4000],
      values: [
        [100, 102, 104],
        [1, 3, 5],
      ],
    });
    expect(symbols.get('MSFT')!.timestamp).toEqual([T + 1000, T + 3000, T + 5000]);
    const renamed = await readError(file, { symbol: 'XYZ' });
    expect(renamed.message).toMatch(/holds several symbols \(AAPL, msft, \.\.\.\)/);
  });

  it('refuses a symbol value that cannot be a ticker', async () => {
    const file = await writeCsv(dir, 'x.csv', ['ts,symbol,price', `${T},A$B,1`, `${T + 1},OK,1`]);
    const preview = await previewFile(file);
    expect(preview.problems[0]).toMatchObject({ field: 'symbol', value: 'A$B', severity: 'error' });
    expect(preview.symbols.map((s) => s.symbol)).toEqual(['OK']);
  });

  it('refuses coarse bars with the seed plan wording, unless the interval is given', async () => {
    const file = await writeCsv(dir, 'QQQ.csv', barLines(10, T, 5 * MIN));
    const message =
      "Invalid bar interval: 5m. Only '1s' or '1m' are supported as base intervals. Derived intervals (5m, 15m, etc.) are computed automatically.";
    const preview = await previewFile(file);
    expect(preview.problems).toEqual([
      expect.objectContaining({ message, field: 'interval', value: '5m', severity: 'error' }),
    ]);
    expect(preview.symbols).toEqual([]);
    const error = await readError(file);
    expect(error.problems.map((p) => p.message)).toEqual([message]);
    const hourly = await writeCsv(dir, 'DIA.csv', barLines(10, T, 60 * MIN));
    expect((await readError(hourly)).problems[0].message).toContain('Invalid bar interval: 1h.');
    // Given 1m, 5-minute spacing is sparse 1m data: imported, with a warning.
    const given = await previewFile(file, { interval: '1m' });
    expect(given.symbols[0]).toMatchObject({ interval: '1m', rows: 10 });
    expect(given.problems[0].severity).toBe('warning');
  });

  it('reads gzip CSV, by extension and by magic', async () => {
    const lines = barLines(4, T, 1000);
    const gz = await writeGzipCsv(dir, 'TSLA.csv.gz', lines);
    const { symbols } = await drain(gz);
    expect(symbols.get('TSLA')!.timestamp).toEqual([T, T + 1000, T + 2000, T + 3000]);
    const bare = await writeGzipCsv(dir, 'NVDA.gz', lines);
    const preview = await previewFile(bare);
    expect(preview.symbols[0]).toMatchObject({ symbol: 'NVDA', interval: '1s', rows: 4 });
    expect(preview.notes).toContain('CSV (gzip), delimiter ",", with a header row');
  });

  it('reports a truncated gzip file instead of crashing', async () => {
    const whole = gzipSync(Buffer.from(barLines(5000, T, 1000).join('\n')));
    const file = join(dir, 'AMD.csv.gz');
    await writeFile(file, whole.subarray(0, whole.length - 200));
    const error = await readError(file);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/unexpected end of file/i);
  });

  it('refuses rows out of order, or sorts them when asked', async () => {
    const lines = barLines(4, T, MIN);
    [lines[2], lines[3]] = [lines[3], lines[2]];
    const file = await writeCsv(dir, 'SPY.csv', lines);
    const error = await readError(file);
    expect(error.problems).toEqual([expect.objectContaining({ row: 3, field: 'timestamp' })]);
    const preview = await previewFile(file, { sort: true });
    expect(preview.counts.outOfOrder).toBe(1);
    expect(preview.problems[0]).toMatchObject({ row: 3, severity: 'warning' });
    const sorted = (await drain(file, { sort: true })).symbols.get('SPY')!;
    expect(sorted.timestamp).toEqual([T, T + MIN, T + 2 * MIN, T + 3 * MIN]);
    expect(sorted.values[0]).toEqual([100, 100.5, 101, 101.5]);
  });

  it('drops duplicate bars with a count (keeping the first), or refuses them', async () => {
    const lines = barLines(4, T, MIN);
    lines.splice(3, 0, lines[2].replace(/,\d+$/, ',999'));
    const file = await writeCsv(dir, 'SPY.csv', lines);
    const preview = await previewFile(file);
    expect(preview.counts.duplicates).toBe(1);
    expect(preview.problems).toEqual([
      expect.objectContaining({
        row: 3,
        severity: 'warning',
        message:
          'duplicate bar: 2024-03-04T14:31:00.000Z repeats row 2 (dropped; the first is kept)',
      }),
    ]);
    expect(preview.symbols[0].rows).toBe(4);
    const kept = (await drain(file)).symbols.get('SPY')!;
    expect(kept.timestamp).toHaveLength(4);
    expect(kept.values[4]).toEqual([10, 11, 12, 13]);
    expect((await drain(file)).chunks.map((c) => c.duplicatesDropped)).toEqual([1]);
    const refused = await readError(file, { duplicates: 'refuse' });
    expect(refused.problems).toEqual([expect.objectContaining({ row: 3, severity: 'error' })]);
    // Sorting first still finds them, and still keeps the first.
    const sorted = (await drain(file, { sort: true })).symbols.get('SPY')!;
    expect(sorted.values[4]).toEqual([10, 11, 12, 13]);
  });

  it('keeps quotes that share a timestamp, and flags crossed quotes', async () => {
    const file = await writeCsv(dir, 'usdjpy-ticks.csv', [
      'timestamp,bid,ask',
      '2013-01-01 22:00:00.295000+00:00,86.655,86.728',
      '2013-01-01 22:00:00.295000+00:00,86.656,86.728',
      '2013-01-01 22:00:01.000000+00:00,86.800,86.700',
    ]);
    const preview = await previewFile(file);
    expect(preview.counts).toMatchObject({ rows: 3, duplicates: 0, crossedQuotes: 1 });
    expect(preview.problems.map((p) => [p.row, p.severity, p.message])).toEqual([
      [undefined, 'warning', 'no bid_size or ask_size column: imported as 0'],
      [3, 'warning', 'crossed quote: bid 86.8 is above ask 86.7 (kept)'],
    ]);
    const quotes = (await drain(file)).symbols.get('USDJPY')!;
    expect(quotes.values).toEqual([
      [86.655, 86.656, 86.8],
      [86.728, 86.728, 86.7],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('counts rows outside regular hours with the calendar the host gives', async () => {
    const file = await writeCsv(dir, 'SPY.csv', barLines(8, T - 5 * MIN, MIN));
    const isRegularHours = (ms: number) => ms >= T && ms < T + 390 * MIN;
    const preview = await previewFile(file, {}, { isRegularHours });
    expect(preview.counts.outsideTradingHours).toBe(5);
    // Extended hours are normal: three examples and a count.
    expect(preview.problems.map((p) => [p.row, p.message])).toEqual([
      [1, '2024-03-04T09:25:00.000-05:00 is outside regular trading hours (kept)'],
      [2, '2024-03-04T09:26:00.000-05:00 is outside regular trading hours (kept)'],
      [3, '2024-03-04T09:27:00.000-05:00 is outside regular trading hours (kept)'],
      [undefined, '2 more rows outside regular trading hours (5 in all)'],
    ]);
    const read = await drain(file, {}, { isRegularHours });
    expect(read.symbols.get('SPY')!.timestamp).toHaveLength(8);
    const without = await previewFile(file);
    expect(without.counts.outsideTradingHours).toBe(0);
    expect(without.notes).toContain('rows outside trading hours not counted (no calendar given)');
  });

  it.each([
    ['s', (ms: number) => String(ms / 1000), 's, from magnitude 1.7e9'],
    ['us', (ms: number) => `${ms}000`, 'us, from magnitude 1.7e15'],
    ['ns', (ms: number) => `${ms}000000`, 'ns, from magnitude 1.7e18'],
  ])('reads epoch %s timestamps, inferring the unit', async (_unit, format, note) => {
    const file = await writeCsv(dir, 'SPY.csv', barLines(3, T, 1000, format));
    const preview = await previewFile(file);
    expect(preview.timestampUnitNote).toBe(note);
    expect((await drain(file)).symbols.get('SPY')!.timestamp).toEqual([T, T + 1000, T + 2000]);
  });

  it('takes a given timestamp unit over the inferred one', async () => {
    const file = await writeCsv(
      dir,
      'SPY.csv',
      barLines(3, T, 1000, (ms) => String(ms / 1000)),
    );
    const preview = await previewFile(file, { mapping: { timestampUnit: 'ms' } });
    expect(preview.timestampUnitNote).toBe('ms, as given');
    // Seconds read as ms are 1970 and 1 ms apart: no interval fits.
    expect(preview.problems[0].message).toMatch(/spaced 1ms apart/);
  });

  it('refuses numeric timestamps too small for epoch time', async () => {
    const file = await writeCsv(dir, 'SPY.csv', barLines(3, 34_200_000, 1000, String));
    const error = await readError(file);
    expect(error.message).toContain('holds numbers (e.g. 34200000) too small for epoch time');
  });

  it('joins Date and Time columns', async () => {
    const file = await writeCsv(dir, 'SPY.csv', [
      'Date;Time;Open;High;Low;Close;Volume',
      '20240304;14:30:00;1;2;0.5;1.5;10',
      '20240304;14:31:00;1;2;0.5;1.5;10',
    ]);
    const preview = await previewFile(file);
    expect(preview.mapping.timestamp).toEqual({ date: 'Date', time: 'Time' });
    expect((await drain(file)).symbols.get('SPY')!.timestamp).toEqual([T, T + MIN]);
  });

  it('reads a headerless kline file as timestamp, OHLCV, and says it guessed', async () => {
    const file = await writeCsv(dir, 'ADABTC.csv', [
      `${T},1,2,0.5,1.5,10,${T + MIN - 1}`,
      `${T + MIN},1,2,0.5,1.5,10,${T + 2 * MIN - 1}`,
    ]);
    const preview = await previewFile(file);
    expect(preview.notes![0]).toMatch(/no header row \(columns named column1\.\.column7\)/);
    expect(preview.notes).toContain(
      'no header: read as timestamp, open, high, low, close, volume (the common kline layout); check the mapping',
    );
    expect(preview.mapping).toMatchObject({ timestamp: 'column1', kind: 'bars' });
    expect((await drain(file)).symbols.get('ADABTC')!.timestamp).toEqual([T, T + MIN]);
  });

  it('reads other headerless files with a given mapping only', async () => {
    const file = await writeCsv(dir, 'EURUSD.csv', [`${T},1.1,1.2`, `${T + 5},1.1,1.2`]);
    const detected = await previewFile(file);
    expect(detected.problems[0].message).toMatch(
      /no timestamp column found; the file's columns: column1, column2, column3/,
    );
    const mapping = {
      timestamp: 'column1',
      kind: 'quotes' as const,
      fields: { bid: 'column2', ask: 'column3' },
    };
    expect((await drain(file, { mapping })).symbols.get('EURUSD')!.timestamp).toEqual([T, T + 5]);
  });

  it('reads CRLF line ends, a byte-order mark, quoted cells and other delimiters', async () => {
    const crlf = join(dir, 'SPY.csv');
    const rows = barLines(3, T, MIN);
    await writeFile(crlf, '\uFEFF' + rows.join('\r\n'));
    expect((await drain(crlf)).symbols.get('SPY')!.timestamp).toEqual([T, T + MIN, T + 2 * MIN]);
    const quoted = await writeCsv(dir, 'QQQ.csv', [
      '"timestamp","symbol","price","size"',
      `"${isoSeconds(T)}","QQQ","400.5","10"`,
      `"${isoSeconds(T + 1000)}","QQQ","400.25","5"`,
    ]);
    const ticks = (await drain(quoted)).symbols.get('QQQ')!;
    expect(ticks.values).toEqual([
      [400.5, 400.25],
      [10, 5],
    ]);
    const tsv = await writeCsv(
      dir,
      'IWM.tsv',
      rows.map((line) => line.replaceAll(',', '\t')),
    );
    const preview = await previewFile(tsv);
    expect(preview.notes![0]).toBe('CSV, delimiter tab, with a header row');
    expect(preview.symbols[0].rows).toBe(3);
    // A quoted cell after the sniffed head (64 KiB) takes the fast splitter's per-line fallback.
    const late = barLines(3000, T, 1000);
    late[2900] = late[2900].replace(/,(\d+)$/, ',"$1"');
    const lateFile = await writeCsv(dir, 'DIA.csv', late);
    expect((await drain(lateFile)).symbols.get('DIA')!.values[4][2899]).toBe(2909);
  });

  it('imports bars without a volume column with volume 0, and says so', async () => {
    const file = await writeCsv(dir, 'EURUSD.csv', [
      'time,open,high,low,close',
      '2024-03-04 14:30:00,1.08,1.09,1.07,1.085',
      '2024-03-04 14:31:00,1.085,1.09,1.08,1.086',
    ]);
    const preview = await previewFile(file);
    expect(preview.problems.map((p) => [p.severity, p.message])).toEqual([
      ['warning', 'no volume column: imported as 0'],
    ]);
    expect((await drain(file)).symbols.get('EURUSD')!.values[4]).toEqual([0, 0]);
  });

  it('reads decimal commas in a semicolon file', async () => {
    const file = await writeCsv(dir, 'DAX.csv', [
      'Date;Time;Open;High;Low;Close;Volume',
      '04.03.2024;09:00:00;17700,5;17710;17690,25;17705;120',
      '04.03.2024;09:01:00;17700,5;17710;17690,25;17705;120',
    ]);
    const detected = await previewFile(file);
    expect(detected.notes).toContain('decimal comma: 1,5 is read as 1.5');
    expect(detected.mapping.timestamp).toEqual({ date: 'Date', time: 'Time' });
    expect(detected.symbols[0].first).toBe('2024-03-04T04:00:00.000-05:00');
    const file2 = await writeCsv(dir, 'DAX2.csv', [
      'time;open;high;low;close;volume',
      '2024-03-04 08:00:00;17700,5;17710;17690,25;17705;120',
      '2024-03-04 08:01:00;17705;17712,75;17701;17712;80',
    ]);
    expect((await drain(file2, { symbol: 'DAX' })).symbols.get('DAX')!.values).toEqual([
      [17700.5, 17705],
      [17710, 17712.75],
      [17690.25, 17701],
      [17705, 17712],
      [120, 80],
    ]);
  });

  it('keeps chunks to a bounded size and reports progress by bytes', async () => {
    const file = await writeCsv(dir, 'SPY.csv', barLines(70_000, T, 1000));
    const { chunks } = await drain(file);
    expect(chunks.map((c) => c.length)).toEqual([65_536, 70_000 - 65_536]);
    expect(chunks[1].timestamp[0]).toBe(T + 65_536 * 1000);
    const progress: ImportProgress[] = [];
    const reader = await openImportReader(file);
    for await (const chunk of reader.read({}, (p) => progress.push(p))) void chunk;
    // Five batches of up to 16,384 rows, then the end.
    expect(progress.map((p) => p.rows)).toEqual([16_384, 32_768, 49_152, 65_536, 70_000, 70_000]);
    const percents = progress.map((p) => p.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents[0]).toBeGreaterThan(0);
    expect(percents[0]).toBeLessThan(40);
    expect(percents.at(-1)).toBe(100);
    expect(progress.every((p) => p.file === file && p.rowsPerSecond >= 0)).toBe(true);
  });

  it('refuses unreadable input naming the file', async () => {
    await expect(openImportReader(join(dir, 'missing.csv'))).rejects.toThrow(
      /missing\.csv: cannot open/,
    );
    const unknown = join(dir, 'notes.bin');
    await writeFile(unknown, 'hello');
    await expect(openImportReader(unknown)).rejects.toThrow(ImportError);
    await expect(openImportReader(unknown)).rejects.toThrow(/notes\.bin: unknown format/);
    const empty = await writeCsv(dir, 'SPY.csv', []);
    await expect(openImportReader(empty)).rejects.toThrow(/SPY\.csv: the file is empty/);
    const headerOnly = await writeCsv(dir, 'QQQ.csv', ['timestamp,open,high,low,close,volume']);
    expect((await readError(headerOnly)).message).toMatch(/QQQ\.csv: the file holds no data rows$/);
    const ticksHeaderOnly = await writeCsv(dir, 'IWM.csv', ['timestamp,price']);
    expect((await readError(ticksHeaderOnly)).message).toContain('the file holds no data rows');
  });

  it('refuses bad options and a file with no symbol anywhere', async () => {
    const file = await writeCsv(dir, '20240304.csv', barLines(3, T, MIN));
    expect((await readError(file)).message).toContain('no symbol: the file has no symbol column');
    expect((await drain(file, { symbol: 'spy' })).symbols.has('SPY')).toBe(true);
    const bad = await readError(file, { symbol: 'SPY', tz: 'Mars' } as never);
    expect(bad.message).toMatch(/option tz/);
  });
});
