import { readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDataStore, expectedRows } from '../../src/main/host/data-store';
import { openSession } from '../../src/main/host/session-host';
import { ParquetReader, readerWorkerEntry } from '../../src/main/storage/parquet/parquet-reader';
import { ParquetStreamSource } from '../../src/main/storage/parquet/parquet-source';
import { WorkerParquetSource } from '../../src/main/storage/parquet/worker-parquet-source';
import { parseSessionConfig } from '../../src/shared/session-config';
import { DataError, type StreamKey } from '../../src/shared/stream-cursor';
import {
  bars,
  drain,
  makeDataDir,
  quotes,
  removeDataDir,
  withCell,
  writeStreamFile,
} from './fixtures';

const BARS: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1s' };
const QUOTES: StreamKey = { symbol: 'SPY', type: 'quotes' };
const DAY = 86_400_000;
const DATES = ['2024-01-02', '2024-01-03', '2024-01-04'];
const T0 = Date.parse('2024-01-02T14:30:00Z');

function newReader(prefetch?: number): ParquetReader {
  return new ParquetReader({ worker: readerWorkerEntry()!, ...(prefetch ? { prefetch } : {}) });
}

/** Three days of `key`, several row groups a file. */
async function writeDays(dir: string, key: StreamKey, rows = 2500): Promise<string[]> {
  const paths: string[] = [];
  for (const [d, date] of DATES.entries()) {
    const columns =
      key.type === 'bars' ? bars(rows, T0 + d * DAY, 1000) : quotes(rows, T0 + d * DAY);
    paths.push(await writeStreamFile(dir, key, date, columns, { rowGroupSize: 1000 }));
  }
  return paths;
}

/** AAPL's 1s bars over the three days, upkeep off, a short queue (1,000 items). */
function threeDaySession() {
  const parsed = parseSessionConfig({
    session_name: 'reader-worker',
    data_streams: [{ type: 'bars', symbol: 'AAPL', interval: '1s' }],
    session_data_config: { max_queue_size: 1000, data_upkeep: { enabled: false } },
    backtest_config: { start_date: DATES[0], end_date: DATES[2], speed_multiplier: 0 },
  });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return parsed.config;
}

async function failureOf(promise: Promise<unknown>): Promise<DataError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return error as DataError;
}

describe('parquet reader worker', () => {
  let dir: string;
  let reader: ParquetReader;
  beforeEach(async () => {
    dir = await makeDataDir();
    reader = newReader();
  });
  afterEach(async () => {
    await reader.close();
    await removeDataDir(dir);
  });

  it('finds its entry when run from source', () => {
    expect(readerWorkerEntry()).not.toBeNull();
  });

  it.each([
    ['bars, 1 slab ahead, whole slabs', BARS, 1, 100_000],
    ['bars, 3 slabs ahead, short batches', BARS, 3, 37],
    ['quotes, 1 slab ahead', QUOTES, 1, 700],
  ] as const)(
    'yields the same items in the same order as the direct reader: %s',
    async (_, key, prefetch, maxRows) => {
      const ahead = newReader(prefetch);
      try {
        await writeDays(dir, key);
        const range = { start_date: DATES[0], end_date: DATES[2] };
        // Slabs smaller than a row group: a group is handed over in several parts.
        const options = { slabRows: 400 };
        const direct = await new ParquetStreamSource(dir, options).open(key, range);
        const viaWorker = await new WorkerParquetSource(dir, ahead, options).open(key, range);
        expect(viaWorker.totalRows).toBe(direct.totalRows);
        const expected = await drain(direct, maxRows);
        expect(expected.timestamp).toHaveLength(3 * 2500);
        const got = await drain(viaWorker, maxRows);
        expect(got.timestamp).toEqual(expected.timestamp);
        expect(got.values).toEqual(expected.values);
        expect(got.batchSizes).toEqual(expected.batchSizes);
        // Read to the end: the stream let go of the thread.
        await ahead.whenStopped();
        expect(ahead.running).toBe(false);
      } finally {
        await ahead.close();
      }
    },
  );

  it('skips bad rows as the direct reader does, and counts them in the preflight', async () => {
    const data = withCell(
      withCell(bars(3000, T0, 1000), 'high', 1500, -1),
      'close',
      2999,
      Number.NaN,
    );
    await writeStreamFile(dir, BARS, DATES[0], data, { rowGroupSize: 1000 });
    const options = { skipInvalid: true };
    const expected = await drain(await new ParquetStreamSource(dir, options).open(BARS, {}));
    const source = new WorkerParquetSource(dir, reader, options);
    const got = await drain(await source.open(BARS, {}));
    expect(got.timestamp).toEqual(expected.timestamp);
    expect(got.values).toEqual(expected.values);
    expect(got.timestamp).toHaveLength(2998);
    const report = await reader.preflight(dir, BARS, {}, options);
    expect(report.invalidRows).toBe(2);
    expect(report.problems[0]).toBeInstanceOf(DataError);
    expect(report.problems[0]!.row).toBe(1501);
  });

  it('a damaged file fails the stream with a DataError naming the file, after the rows before it', async () => {
    const paths = await writeDays(dir, BARS);
    const bytes = await readFile(paths[1]!);
    // Scribble over the data pages in the middle of the second day's file.
    for (let i = Math.floor(bytes.length * 0.45); i < bytes.length * 0.55; i++) bytes[i] ^= 0x5a;
    await writeFile(paths[1]!, bytes);
    const direct = await failureOf(
      new ParquetStreamSource(dir).open(BARS, {}).then((c) => drain(c)),
    );
    const cursor = await new WorkerParquetSource(dir, reader).open(BARS, {});
    let rows = 0;
    const error = await failureOf(
      (async () => {
        for (let batch = await cursor.next(1000); batch; batch = await cursor.next(1000)) {
          rows += batch.length;
        }
      })(),
    );
    expect(error.file).toBe(paths[1]);
    expect(error.message).toContain(paths[1]);
    expect(error.message).toBe(direct.message);
    expect(error.row).toBe(direct.row);
    // The first day came through whole before the failure.
    expect(rows).toBeGreaterThanOrEqual(2500);
    // A failed stream stays failed.
    await expect(cursor.next(10)).rejects.toBe(error);
    await reader.whenStopped();
    expect(reader.running).toBe(false);
  });

  it('a file removed after the stream opened is an error naming it', async () => {
    const paths = await writeDays(dir, BARS);
    const cursor = await new WorkerParquetSource(dir, reader).open(BARS, {});
    await rm(paths[2]!);
    const error = await failureOf(drain(cursor));
    expect(error.file).toBe(paths[2]);
    expect(error.message).toMatch(/cannot open/);
  });

  it('after a clean preflight, a cursor reads each footer in the worker at its turn, with the same rows', async () => {
    await writeDays(dir, BARS);
    const range = { start_date: DATES[0], end_date: DATES[2] };
    const expected = await drain(await new ParquetStreamSource(dir).open(BARS, range));
    const source = new WorkerParquetSource(dir, reader);
    expect((await source.preflight(BARS, range)).ok).toBe(true);
    // Footers are not read on this thread: a direct open here would fail the test.
    const direct = (source as unknown as { direct: { openFiles: unknown } }).direct;
    direct.openFiles = () => Promise.reject(new Error('footers read on the merge thread'));
    const cursor = await source.open(BARS, range);
    expect(cursor.totalRows).toBe(3 * 2500);
    const got = await drain(cursor);
    expect(got.timestamp).toEqual(expected.timestamp);
    expect(got.values).toEqual(expected.values);
  });

  it('a file replaced between the preflight and its turn is an error naming it', async () => {
    const paths = await writeDays(dir, BARS);
    const source = new WorkerParquetSource(dir, reader);
    expect((await source.preflight(BARS, {})).ok).toBe(true);
    const cursor = await source.open(BARS, {});
    await writeFile(paths[2]!, 'PAR1 not really');
    let rows = 0;
    const error = await failureOf(
      (async () => {
        for (let batch = await cursor.next(1000); batch; batch = await cursor.next(1000)) {
          rows += batch.length;
        }
      })(),
    );
    expect(error.file).toBe(paths[2]);
    expect(error.message).toContain('not a readable parquet file');
    expect(rows).toBe(2 * 2500);
  });

  it("keeps one thread from a session's preflight to its cursor, and ends it after", async () => {
    await writeDays(dir, BARS);
    const source = new WorkerParquetSource(dir, reader);
    const report = await source.preflight(BARS, {});
    expect(report.ok).toBe(true);
    // The preflight's thread waits out its grace instead of ending at once.
    expect(reader.running).toBe(true);
    const got = await drain(await source.open(BARS, {}));
    expect(got.timestamp).toHaveLength(3 * 2500);
    expect(reader.started).toBe(1);
    await reader.whenStopped();
    expect(reader.running).toBe(false);
    // A later user starts a new one.
    await source.preflight(BARS, {});
    expect(reader.started).toBe(2);
  });

  it('preflights in the worker report what the direct preflight reports', async () => {
    const paths = await writeDays(dir, BARS);
    await writeFile(paths[2]!, 'PAR1 not really');
    const source = new WorkerParquetSource(dir, reader);
    // Asked together: shared between the worker and this thread.
    const reports = await Promise.all([0, 1, 2, 3].map(() => source.preflight(BARS, {})));
    const direct = await new ParquetStreamSource(dir).preflight(BARS, {});
    expect(reader.started).toBeGreaterThan(0);
    for (const report of reports) {
      expect(report.ok).toBe(false);
      expect(report.totalRows).toBe(direct.totalRows);
      expect(report.validRows).toBe(5000);
      expect(report.problems.map((p) => p.message)).toEqual(direct.problems.map((p) => p.message));
      expect(report.files[2]!.fileError).toBeInstanceOf(DataError);
      expect(report.files[2]!.fileError!.file).toBe(paths[2]);
    }
  });

  it('a session hands finished slabs back to the worker and reads what the direct reader reads', async () => {
    await writeDays(dir, BARS, 5000);
    const config = threeDaySession();
    const replay = async (readerWorker: boolean) => {
      const store = createDataStore(config, dir, { readerWorker });
      if (!store.ok) throw new Error(store.problems.join('\n'));
      const session = await openSession(config, store.store, { speed: 0 });
      const rows: number[] = [];
      session.coordinator.subscribe((batch) => {
        for (let i = 0; i < batch.length; i++) {
          rows.push(batch.timestamp[i]!, batch.value(3, i), batch.value(4, i));
        }
      });
      await session.coordinator.start();
      store.store.close();
      return { rows, source: store.store.source };
    };
    const direct = await replay(false);
    const viaWorker = await replay(true);
    expect(viaWorker.rows).toHaveLength(3 * 15_000);
    expect(viaWorker.rows).toEqual(direct.rows);
    // Fifteen slabs (five row groups a day), each handed back once the merge took the next.
    expect((viaWorker.source as WorkerParquetSource).reader.recycled).toBeGreaterThanOrEqual(12);
  });

  it('auto decodes in a worker for a long session on 2 cores or more, beside the merge for a short one', () => {
    const config = (streams: object[], end: string) => {
      const parsed = parseSessionConfig({
        session_name: 'auto-reader',
        data_streams: streams,
        backtest_config: { start_date: '2024-03-04', end_date: end, speed_multiplier: 0 },
      });
      if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
      return parsed.config;
    };
    const short = config(
      [
        { type: 'bars', symbol: 'AAPL', interval: '1s' },
        { type: 'bars', symbol: 'MSFT', interval: '1m' },
        { type: 'quotes', symbol: 'AAPL' },
      ],
      '2024-03-08',
    );
    // Five XNYS sessions: 23,400 rows a day for 1s bars and quotes, 390 for 1m bars.
    expect(expectedRows(short)).toBe(5 * (23_400 + 390 + 23_400));
    const symbols = Array.from({ length: 50 }, (_, i) => `S${i}`);
    const long = config(
      symbols.map((symbol) => ({ type: 'bars', symbol, interval: '1s' })),
      '2024-03-29',
    );
    // March 2024 from the 4th: 19 sessions (Good Friday, the 29th, is closed).
    expect(expectedRows(long)).toBe(50 * 19 * 23_400);
    const source = (c: typeof short) => {
      const store = createDataStore(c, dir, { readerWorker: 'auto' });
      if (!store.ok) throw new Error(store.problems.join('\n'));
      store.store.close();
      return store.store.source;
    };
    expect(source(short)).toBeInstanceOf(ParquetStreamSource);
    if (availableParallelism() >= 2) expect(source(long)).toBeInstanceOf(WorkerParquetSource);
    else expect(source(long)).toBeInstanceOf(ParquetStreamSource);
  });

  it('a session stopped part-way terminates the worker', async () => {
    await writeDays(dir, BARS, 5000);
    // A short queue: most of the stream is still unread when the session stops.
    const config = threeDaySession();
    const store = createDataStore(config, dir, { readerWorker: true });
    if (!store.ok) throw new Error(store.problems.join('\n'));
    const source = store.store.source;
    expect(source).toBeInstanceOf(WorkerParquetSource);
    const worker = (source as WorkerParquetSource).reader;
    const session = await openSession(config, store.store, { speed: 0 });
    expect(session.totalRows).toBe(15_000);
    expect(worker.running).toBe(true);
    let seen = 0;
    let stopping: Promise<void> | undefined;
    session.coordinator.subscribe((batch) => {
      seen += batch.length;
      if (seen >= 2000) stopping ??= session.coordinator.stop();
    });
    await session.coordinator.start();
    await stopping;
    expect(seen).toBeLessThan(15_000);
    await worker.whenStopped();
    expect(worker.running).toBe(false);
    store.store.close();
  });
});
