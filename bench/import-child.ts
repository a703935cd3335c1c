/**
 * One import in a process of its own, so its RSS high-water mark is the import's alone:
 * `node --import tsx bench/import-child.ts <file> <dataDir>` prints one JSON line.
 */
import { runImport } from '../src/main/storage/import/import-job';

async function main(): Promise<void> {
  const [file, dataDir] = process.argv.slice(2);
  const started = performance.now();
  const result = await runImport([file], { symbol: 'SPY' }, 'parquet', { dataDir });
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      seconds,
      rows: result.streams.reduce((sum, s) => sum + s.rows, 0),
      days: result.streams.reduce((sum, s) => sum + s.tradingDays.length, 0),
      // maxRSS is in kilobytes
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
