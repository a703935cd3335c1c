/**
 * The import benchmark's input: one foreign-shaped parquet file of 1s bars for one symbol,
 * regular hours on consecutive weekdays (23,400 bars a day), written once into bench/.cache.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeParquetColumns } from '../src/main/storage/parquet/parquet-writer';
import { exchangeTimeToUtc, nextDate, weekday } from '../src/shared/time';

export const IMPORT_CACHE = resolve('bench/.cache/import');
const BARS_PER_DAY = 23_400;

/** The file with `rows` bars (generated on first use), and the trading days it spans. */
export function ensureImportFile(rows: number): string {
  const file = join(IMPORT_CACHE, `spy-1s-${rows}-v1.parquet`);
  if (existsSync(file)) return file;
  mkdirSync(IMPORT_CACHE, { recursive: true });
  const started = performance.now();
  const timestamp = new Float64Array(rows);
  const columns = [0, 1, 2, 3, 4].map(() => new Float64Array(rows));
  const [open, high, low, close, volume] = columns;
  let date = '2023-01-03';
  let price = 400;
  let seed = 42;
  const random = (): number => {
    // xorshift32: deterministic, so every run times the same bytes
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4_294_967_296;
  };
  for (let i = 0; i < rows; i++) {
    const k = i % BARS_PER_DAY;
    if (i > 0 && k === 0) {
      do date = nextDate(date);
      while (weekday(date) === 0 || weekday(date) === 6);
    }
    if (k === 0) timestamp[i] = exchangeTimeToUtc(date, 9, 30);
    else timestamp[i] = timestamp[i - 1] + 1000;
    const o = price;
    price = Math.max(1, price + (random() - 0.5) * 0.1);
    open[i] = Math.round(o * 100) / 100;
    close[i] = Math.round(price * 100) / 100;
    high[i] = Math.max(open[i], close[i]) + Math.round(random() * 5) / 100;
    low[i] = Math.min(open[i], close[i]) - Math.round(random() * 5) / 100;
    volume[i] = Math.floor(random() * 5000);
  }
  const tmp = `${file}.partial`;
  writeParquetColumns(tmp, [
    { name: 'timestamp', data: timestamp },
    ...['open', 'high', 'low', 'close', 'volume'].map((name, i) => ({ name, data: columns[i] })),
  ]);
  renameSync(tmp, file);
  console.log(
    `   (generated ${rows.toLocaleString()} rows into ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  return file;
}
