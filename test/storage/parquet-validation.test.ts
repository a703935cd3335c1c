import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParquetStreamSource } from '../../src/main/storage/parquet/parquet-source';
import { preflightStream } from '../../src/main/storage/parquet/preflight';
import { DataError, type StreamKey } from '../../src/shared/stream-cursor';
import {
  bars,
  drain,
  makeDataDir,
  quotes,
  removeDataDir,
  ticks,
  withCell,
  without,
  writeStreamFile,
  type Columns,
  type FixtureOptions,
} from './fixtures';

const BARS: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1m' };
const QUOTES: StreamKey = { symbol: 'SPY', type: 'quotes' };
const TICKS: StreamKey = { symbol: 'ES-1', type: 'ticks' };
const DATE = '2024-01-02';

interface Expected {
  row?: number;
  field?: string;
  message: RegExp;
}

describe('parquet validation', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeDataDir();
  });
  afterEach(() => removeDataDir(dir));

  /** Reads the stream and returns the error it fails with (open or next). */
  async function failure(key: StreamKey, skipInvalid = false): Promise<DataError> {
    const error = await new ParquetStreamSource(dir, { skipInvalid })
      .open(key, {})
      .then((cursor) => drain(cursor))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(DataError);
    return error as DataError;
  }

  async function expectBad(
    key: StreamKey,
    columns: Columns,
    expected: Expected,
    options: FixtureOptions = {},
  ): Promise<void> {
    const path = await writeStreamFile(dir, key, DATE, columns, options);
    for (const err of [await failure(key), await preflightProblem(key)]) {
      expect(err.file).toBe(path);
      expect(err.message).toContain(path);
      expect(err.message).toMatch(expected.message);
      expect(err.row).toBe(expected.row);
      if (expected.row !== undefined) expect(err.message).toContain(`row ${expected.row},`);
      expect(err.field).toBe(expected.field);
      if (expected.field !== undefined) expect(err.message).toContain(`"${expected.field}"`);
    }
  }

  async function preflightProblem(key: StreamKey): Promise<DataError> {
    const report = await preflightStream(dir, key, {});
    expect(report.ok).toBe(false);
    return report.problems[0];
  }

  describe('file-level problems', () => {
    it('missing column', async () => {
      await expectBad(BARS, without(bars(10), 'close'), {
        field: 'close',
        message: /missing column "close"/,
      });
    });

    it('string column where a number is expected', async () => {
      await expectBad(
        QUOTES,
        quotes(10),
        { field: 'ask', message: /"ask" has type STRING/ },
        {
          types: { ask: 'STRING' },
        },
      );
    });

    it('string timestamps', async () => {
      await expectBad(
        TICKS,
        ticks(10),
        { field: 'timestamp', message: /expected a TIMESTAMP/ },
        {
          timestamp: 'STRING',
        },
      );
    });

    it('truncated file', async () => {
      const path = await writeStreamFile(dir, BARS, DATE, bars(500));
      const bytes = await readFile(path);
      await writeFile(path, bytes.subarray(0, bytes.length - 50));
      const err = await failure(BARS);
      expect(err.file).toBe(path);
      expect(err.message).toMatch(/not a readable parquet file/);
    });

    it('garbage bytes and empty files', async () => {
      const path = await writeStreamFile(dir, TICKS, DATE, ticks(5));
      await writeFile(path, 'this is not parquet, just some text\n'.repeat(20));
      expect((await failure(TICKS)).message).toMatch(/not a readable parquet file/);
      await writeFile(path, '');
      const err = await failure(TICKS);
      expect(err.message).toContain(path);
      expect(err.message).toMatch(/not a parquet file \(0 bytes/);
    });

    it('corrupt page data names the row group and its first row', async () => {
      const path = await writeStreamFile(dir, BARS, DATE, bars(3000), { rowGroupSize: 1000 });
      const bytes = await readFile(path);
      // Scribble over the middle of the file: data pages of the second or third row group.
      for (let i = Math.floor(bytes.length * 0.45); i < bytes.length * 0.55; i++) bytes[i] ^= 0x5a;
      await writeFile(path, bytes);
      const err = await failure(BARS);
      expect(err.file).toBe(path);
      expect(err.message).toMatch(
        /corrupt parquet (data|footer) in row group [12] \(from row (1001|2001)\)/,
      );
      expect([1001, 2001]).toContain(err.row);
    });

    it('stay errors with skipInvalid', async () => {
      await writeStreamFile(dir, BARS, DATE, without(bars(10), 'volume'));
      expect((await failure(BARS, true)).message).toMatch(/missing column "volume"/);
    });
  });

  describe('row-level problems', () => {
    it('NaN', async () => {
      await expectBad(BARS, withCell(bars(20), 'close', 6, NaN), {
        row: 7,
        field: 'close',
        message: /is NaN or null/,
      });
    });

    it('null', async () => {
      await expectBad(
        TICKS,
        withCell(ticks(20), 'size', 11, null),
        { row: 12, field: 'size', message: /is NaN or null/ },
        { nullable: true },
      );
    });

    it('non-positive bar price', async () => {
      await expectBad(BARS, withCell(bars(20), 'open', 0, 0), {
        row: 1,
        field: 'open',
        message: /is 0; it must be above zero/,
      });
    });

    it('non-positive quote price', async () => {
      await expectBad(QUOTES, withCell(quotes(20), 'bid', 19, -1), {
        row: 20,
        field: 'bid',
        message: /is -1; it must be above zero/,
      });
    });

    it('non-positive tick price', async () => {
      await expectBad(TICKS, withCell(ticks(20), 'price', 4, 0), {
        row: 5,
        field: 'price',
        message: /must be above zero/,
      });
    });

    it('negative volume', async () => {
      await expectBad(BARS, withCell(bars(20), 'volume', 9, -5), {
        row: 10,
        field: 'volume',
        message: /is -5; it cannot be negative/,
      });
    });

    it('negative quote and tick sizes', async () => {
      await expectBad(QUOTES, withCell(quotes(20), 'ask_size', 2, -1), {
        row: 3,
        field: 'ask_size',
        message: /cannot be negative/,
      });
      await removeDataDir(dir);
      await expectBad(TICKS, withCell(ticks(20), 'size', 3, -2), {
        row: 4,
        field: 'size',
        message: /cannot be negative/,
      });
    });

    it('high below low', async () => {
      const data = withCell(withCell(bars(20), 'high', 4, 90), 'low', 4, 95);
      await expectBad(BARS, data, { row: 5, field: 'high', message: /90 is below low 95/ });
    });

    it('high below open or close', async () => {
      const data = bars(20);
      const high = Math.max(data.open[8]!, data.close[8]!) - 0.01;
      await expectBad(BARS, withCell(data, 'high', 8, high), {
        row: 9,
        field: 'high',
        message: /is below open .* or close/,
      });
    });

    it('low above open or close', async () => {
      const data = bars(20);
      const low = Math.min(data.open[3]!, data.close[3]!) + 0.01;
      await expectBad(BARS, withCell(data, 'low', 3, low), {
        row: 4,
        field: 'low',
        message: /is above open .* or close/,
      });
    });

    it('timestamps going backwards within a file', async () => {
      const data = bars(20);
      await expectBad(QUOTES, withCell(quotes(20), 'timestamp', 10, data.timestamp[0]! - 1), {
        row: 11,
        field: 'timestamp',
        message: /goes back before the previous row's/,
      });
    });

    it('duplicate bar timestamps', async () => {
      const data = bars(20);
      await expectBad(BARS, withCell(data, 'timestamp', 5, data.timestamp[4]), {
        row: 6,
        field: 'timestamp',
        message: /repeats the previous bar's .* row 5\)/,
      });
    });

    it('repeated timestamps are fine for quotes and ticks', async () => {
      await writeStreamFile(dir, QUOTES, DATE, quotes(100));
      await writeStreamFile(dir, TICKS, DATE, ticks(100));
      const source = new ParquetStreamSource(dir);
      expect((await drain(await source.open(QUOTES, {}))).timestamp).toHaveLength(100);
      expect((await drain(await source.open(TICKS, {}))).timestamp).toHaveLength(100);
    });

    it('timestamps going backwards across files', async () => {
      const day2 = Date.UTC(2024, 0, 3, 14, 30);
      await writeStreamFile(dir, BARS, '2024-01-02', bars(10, day2)); // mislabeled day
      const second = await writeStreamFile(dir, BARS, '2024-01-03', bars(10, day2 - 60_000));
      const err = await failure(BARS);
      expect(err).toMatchObject({ file: second, row: 1, field: 'timestamp' });
      expect(err.message).toMatch(
        /goes back before .*symbol=AAPL[/\\]date=2024-01-02[/\\]part-0\.parquet row 10\)/,
      );
    });
  });

  describe('skipInvalid', () => {
    it('drops bad rows, counts them and keeps ordering checks on the kept rows', async () => {
      let data = bars(50);
      data = withCell(data, 'close', 3, NaN);
      data = withCell(data, 'volume', 10, -1);
      data = withCell(data, 'timestamp', 20, data.timestamp[19]); // duplicate
      data = withCell(data, 'low', 30, Math.max(data.open[30]!, data.close[30]!) + 0.25);
      await writeStreamFile(dir, BARS, DATE, data, { rowGroupSize: 16 });
      const seen: DataError[] = [];
      const source = new ParquetStreamSource(dir, {
        skipInvalid: true,
        onProblem: (p) => seen.push(p),
      });
      const cursor = await source.open(BARS, {});
      const drained = await drain(cursor, 7);
      expect(cursor.skippedRows).toBe(4);
      expect(seen.map((p) => [p.row, p.field])).toEqual([
        [4, 'close'],
        [11, 'volume'],
        [21, 'timestamp'],
        [31, 'low'],
      ]);
      const keep = (_: unknown, i: number) => ![3, 10, 20, 30].includes(i);
      expect(drained.timestamp).toEqual(data.timestamp.filter(keep));
      expect(drained.values[4]).toEqual(data.volume.filter(keep));
      expect(drained.values.every((c) => c.every(Number.isFinite))).toBe(true);
    });
  });

  describe('preflightStream', () => {
    it('reports rows, problems per file and whether a session may start', async () => {
      const good = await writeStreamFile(dir, TICKS, '2024-01-02', ticks(100));
      let bad = ticks(100, Date.UTC(2024, 0, 3, 15));
      for (const row of [5, 6, 7, 8, 9, 10, 11]) bad = withCell(bad, 'price', row, -1);
      const badPath = await writeStreamFile(dir, TICKS, '2024-01-03', bad, { rowGroupSize: 30 });

      const strict = await preflightStream(dir, TICKS, {}, { maxProblemsPerFile: 3 });
      expect(strict.ok).toBe(false);
      expect(strict).toMatchObject({ totalRows: 200, validRows: 193, invalidRows: 7 });
      expect(strict.files.map((f) => [f.path, f.rows, f.validRows, f.invalidRows])).toEqual([
        [good, 100, 100, 0],
        [badPath, 100, 93, 7],
      ]);
      expect(strict.files[1].problems.map((p) => p.row)).toEqual([6, 7, 8]);
      expect(strict.problems).toHaveLength(3);

      const lenient = await preflightStream(dir, TICKS, {}, { skipInvalid: true });
      expect(lenient.ok).toBe(true);
      expect(lenient.validRows).toBe(193);

      // The cursor agrees with the preflight count.
      const cursor = await new ParquetStreamSource(dir, { skipInvalid: true }).open(TICKS, {});
      expect((await drain(cursor)).timestamp).toHaveLength(193);
    });

    it('records unusable files and keeps checking the others', async () => {
      const corrupt = await writeStreamFile(dir, QUOTES, '2024-01-02', quotes(10));
      await writeFile(corrupt, 'PAR1 not really');
      await writeStreamFile(dir, QUOTES, '2024-01-03', quotes(10, Date.UTC(2024, 0, 3, 15)));
      const report = await preflightStream(dir, QUOTES, {}, { skipInvalid: true });
      expect(report.ok).toBe(false);
      expect(report.files[0].fileError?.file).toBe(corrupt);
      expect(report.files[1]).toMatchObject({ rows: 10, validRows: 10 });
      expect(report.problems).toHaveLength(1);
    });

    it('reports a stream with no files or a bad symbol', async () => {
      const none = await preflightStream(dir, BARS, { start_date: '2024-01-01' });
      expect(none.ok).toBe(false);
      expect(none.problems[0].message).toMatch(/No 1m bars data for AAPL from 2024-01-01/);
      const bad = await preflightStream(dir, { symbol: 'a/b', type: 'ticks' }, {});
      expect(bad.problems[0].message).toMatch(/Invalid symbol/);
    });
  });

  it('never crashes or hangs on randomly corrupted files', async () => {
    const path = await writeStreamFile(dir, BARS, DATE, bars(4000), { rowGroupSize: 700 });
    const original = await readFile(path);
    let seed = 12345;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const outcomes = { ok: 0, dataError: 0 };
    for (let round = 0; round < 120; round++) {
      const bytes = Buffer.from(original);
      const flips = 1 + Math.floor(random() * 8);
      for (let f = 0; f < flips; f++) {
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      }
      await writeFile(path, bytes);
      const result = await new ParquetStreamSource(dir)
        .open(BARS, {})
        .then((cursor) => drain(cursor, 5000))
        .then(
          () => 'ok' as const,
          (e: unknown) => e,
        );
      if (result === 'ok') outcomes.ok++;
      else if (result instanceof DataError) outcomes.dataError++;
      else throw result;
    }
    expect(outcomes.dataError).toBeGreaterThan(0);
    // The decoder still works after all that.
    await writeFile(path, original);
    const clean = await drain(await new ParquetStreamSource(dir).open(BARS, {}));
    expect(clean.timestamp).toHaveLength(4000);
  });
});
