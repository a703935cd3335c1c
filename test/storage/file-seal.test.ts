/**
 * Sealed files: the writer's footer vouches for the rows and carries a CRC of the data, so the
 * preflight takes such a file without decoding it, yet still notices a changed byte, a file out
 * of order with the one before it, and rows that never passed the checks.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  readSeal,
  ROW_RULES_VERSION,
  stampDataCrc,
} from '../../src/main/storage/parquet/file-seal';
import { ParquetStreamSource } from '../../src/main/storage/parquet/parquet-source';
import { streamFilePath } from '../../src/main/storage/parquet/parquet-layout';
import { writeStreamParquet } from '../../src/main/storage/parquet/parquet-writer';
import { preflightStream } from '../../src/main/storage/parquet/preflight';
import { DataError, type StreamKey } from '../../src/shared/stream-cursor';
import { bars, drain, makeDataDir, removeDataDir, type Columns } from './fixtures';

const BARS: StreamKey = { symbol: 'AAPL', type: 'bars', interval: '1m' };
const DAY1 = Date.UTC(2024, 0, 2, 14, 30);
const DAY2 = Date.UTC(2024, 0, 3, 14, 30);
/** An open price no other cell has, so its bytes can be found in an uncompressed file. */
const MARKED = 123.456;

describe('sealed stream files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeDataDir();
  });
  afterEach(() => removeDataDir(dir));

  async function write(date: string, columns: Columns): Promise<string> {
    const path = streamFilePath(dir, BARS, date);
    await mkdir(dirname(path), { recursive: true });
    const timestamp = Float64Array.from(columns.timestamp);
    const values = ['open', 'high', 'low', 'close', 'volume'].map((f) =>
      Float64Array.from(columns[f]!),
    );
    writeStreamParquet(path, 'bars', { timestamp, values }, { compression: 'uncompressed' });
    return path;
  }

  function marked(n: number, start: number): Columns {
    const columns = bars(n, start);
    columns.open[7] = MARKED;
    columns.high[7] = Math.max(columns.high[7]!, MARKED);
    columns.low[7] = Math.min(columns.low[7]!, MARKED);
    return columns;
  }

  /** Where the marked open price's 8 bytes are in the file. */
  function markAt(bytes: Buffer): number {
    const needle = Buffer.alloc(8);
    needle.writeDoubleLE(MARKED);
    const at = bytes.indexOf(needle);
    expect(at).toBeGreaterThan(0);
    return at;
  }

  it('the writer seals good rows: the rules version and the CRC of the data', async () => {
    const path = await write('2024-01-02', bars(50, DAY1));
    const seal = readSeal(parquetMetadata(new Uint8Array(await readFile(path)).buffer));
    expect(seal).toMatchObject({ rowsChecked: true });
    expect(seal!.dataCrc).toBeGreaterThan(0);
    const report = await preflightStream(dir, BARS, {});
    expect(report).toMatchObject({ ok: true, totalRows: 50, validRows: 50, invalidRows: 0 });
  });

  it('rows that fail the rules are written without the vouching entry and checked row by row', async () => {
    const columns = bars(40, DAY1);
    columns.close[11] = -5;
    const path = await write('2024-01-02', columns);
    const seal = readSeal(parquetMetadata(new Uint8Array(await readFile(path)).buffer));
    expect(seal?.rowsChecked).toBe(false);
    const report = await preflightStream(dir, BARS, {});
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ file: path, row: 12, field: 'close' });
  });

  it('a byte changed in the data is caught though every row still decodes and passes', async () => {
    await write('2024-01-02', bars(30, DAY1));
    const path = await write('2024-01-03', marked(30, DAY2));
    const bytes = await readFile(path);
    // The lowest mantissa bit: 123.456 becomes a neighbouring double, a perfectly valid price.
    bytes[markAt(bytes)]! ^= 0x01;
    await writeFile(path, bytes);
    const report = await preflightStream(dir, BARS, {});
    expect(report.ok).toBe(false);
    expect(report.files[0]!.fileError).toBeUndefined();
    expect(report.files[1]!.fileError?.file).toBe(path);
    expect(report.files[1]!.fileError?.message).toMatch(
      /row group 0 \(from row 1\) changed after it was written/,
    );
    // The same with skipInvalid: a damaged file is not a bad row to skip.
    expect((await preflightStream(dir, BARS, {}, { skipInvalid: true })).ok).toBe(false);
  });

  it('a file that starts before the previous one ends is checked row by row and named', async () => {
    await write('2024-01-02', bars(30, DAY1));
    // Sealed on its own, but it overlaps the day before.
    const late = await write('2024-01-03', bars(30, DAY1 + 20 * 60_000));
    const report = await preflightStream(dir, BARS, {});
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ file: late, row: 1, field: 'timestamp' });
    expect(report.problems[0]!.message).toMatch(/goes back before the previous bar/);
  });

  it('the cursor checks each row group against its CRC and errs at the changed one', async () => {
    const path = streamFilePath(dir, BARS, '2024-01-02');
    await mkdir(dirname(path), { recursive: true });
    const columns = marked(3000, DAY1);
    columns.open[2500] = MARKED + 1;
    const values = ['open', 'high', 'low', 'close', 'volume'].map((f) =>
      Float64Array.from(columns[f]!),
    );
    values[1]![2500] = Math.max(values[1]![2500]!, MARKED + 1);
    writeStreamParquet(
      path,
      'bars',
      { timestamp: Float64Array.from(columns.timestamp), values },
      { compression: 'uncompressed', rowGroupSize: 1000 },
    );
    const bytes = await readFile(path);
    const needle = Buffer.alloc(8);
    needle.writeDoubleLE(MARKED + 1);
    bytes[bytes.indexOf(needle)]! ^= 0x01;
    await writeFile(path, bytes);
    const rows: number[] = [];
    const error = await new ParquetStreamSource(dir)
      .open(BARS, {})
      .then(async (cursor) => {
        for (let batch = await cursor.next(500); batch; batch = await cursor.next(500)) {
          rows.push(batch.length);
        }
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error).toMatchObject({ file: path, row: 2001 });
    expect((error as Error).message).toMatch(
      /row group 2 \(from row 2001\) changed after it was written/,
    );
    // The first two groups came through whole, before the changed one.
    expect(rows.reduce((a, b) => a + b, 0)).toBe(2000);
  });

  it('vouched rows are taken as sealed: a forged seal is trusted, row checks are skipped', async () => {
    const path = await write('2024-01-02', marked(30, DAY1));
    const bytes = await readFile(path);
    bytes.writeDoubleLE(-1, markAt(bytes));
    // Re-stamping the CRCs is what only a forger would do: the seal now lies about the rows.
    const whole = new Uint8Array(bytes);
    stampDataCrc(whole, ['timestamp', 'open', 'high', 'low', 'close', 'volume']);
    await writeFile(path, whole);
    expect(await preflightStream(dir, BARS, {})).toMatchObject({ ok: true, validRows: 30 });
    const read = await drain(await new ParquetStreamSource(dir).open(BARS, {}));
    // Row 8's open is the forged value: proof that neither the preflight nor the cursor checked it.
    expect(read.values[0]![7]).toBe(-1);
  });

  it('a file sealed under other row rules is checked again', async () => {
    const path = await write('2024-01-02', bars(20, DAY1));
    const bytes = new Uint8Array(await readFile(path));
    const text = Buffer.from(bytes).toString('latin1');
    const at = text.indexOf('tapedeck.rows_checked');
    expect(at).toBeGreaterThan(0);
    // The value follows its key (a one-byte length, then the version).
    const versionAt = text.indexOf(ROW_RULES_VERSION, at + 'tapedeck.rows_checked'.length);
    bytes[versionAt] = '0'.charCodeAt(0);
    await writeFile(path, bytes);
    const seal = readSeal(parquetMetadata(bytes.buffer));
    expect(seal?.rowsChecked).toBe(false);
    const report = await preflightStream(dir, BARS, {});
    expect(report).toMatchObject({ ok: true, validRows: 20 });
  });
});
