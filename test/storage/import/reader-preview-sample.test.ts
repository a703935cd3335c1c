import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCsvSource } from '../../../src/main/storage/import/csv-source';
import { GenericReader, type PreviewLimits } from '../../../src/main/storage/import/generic-reader';
import { openParquetSource } from '../../../src/main/storage/import/parquet-source';
import {
  DOUBLE,
  barLines,
  makeTempDir,
  removeTempDir,
  timestampElement,
  writeCsv,
  writeParquet,
} from './reader-fixtures';

const T = Date.UTC(2024, 2, 4, 14, 30);
const SMALL: PreviewLimits = {
  csvFullBytes: 1024 * 1024,
  csvSampleBytes: 256 * 1024,
  parquetFullRows: 100,
  parquetSampleRows: 50,
};

describe('preview of large files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(() => removeTempDir(dir));

  it('samples a large CSV and estimates its rows from the bytes read', async () => {
    const file = await writeCsv(dir, 'SPY.csv', barLines(40_000, T, 1000));
    const reader = new GenericReader(await openCsvSource(file), {}, SMALL);
    const preview = await reader.preview({});
    expect(preview.estimated).toBe(true);
    expect(preview.notes!.some((n) => /^previewed a sample \(\d+\.\d% of the file\)/.test(n))).toBe(
      true,
    );
    expect(preview.symbols[0].rows).toBeGreaterThan(36_000);
    expect(preview.symbols[0].rows).toBeLessThan(44_000);
    expect(preview.counts.rows).toBe(preview.symbols[0].rows);
    // The same file under the default limits is read whole and counted exactly.
    const whole = await new GenericReader(await openCsvSource(file)).preview({});
    expect(whole).toMatchObject({ estimated: false, counts: { rows: 40_000 } });
    expect(whole.notes).toContain('previewed the whole file');
  });

  it('samples a large parquet file by row groups, with the exact row count from the footer', async () => {
    const n = 120;
    const open = Array.from({ length: n }, (_, i) => 10 + i);
    const file = writeParquet(
      join(dir, 'QQQ.parquet'),
      {
        timestamp: {
          element: timestampElement('MILLIS'),
          data: open.map((_, i) => BigInt(T + i * 1000)),
        },
        open: { element: DOUBLE, data: open },
        high: { element: DOUBLE, data: open.map((o) => o + 1) },
        low: { element: DOUBLE, data: open },
        close: { element: DOUBLE, data: open },
        volume: { element: DOUBLE, data: open },
      },
      { rowGroupSize: 30 },
    );
    const preview = await new GenericReader(await openParquetSource(file), {}, SMALL).preview({});
    expect(preview.estimated).toBe(true);
    expect(preview.symbols[0].rows).toBe(120);
    expect(preview.counts.rows).toBe(120);
    // The sample ends after two row groups (60 rows); the time range is the whole file's, from
    // the footer statistics.
    expect(preview.symbols[0].first).toBe('2024-03-04T09:30:00.000-05:00');
    expect(preview.symbols[0].last).toBe('2024-03-04T09:31:59.000-05:00');
    expect(preview.notes).toContain(
      'first and last time from the parquet footer statistics (the whole file)',
    );
  });
});
