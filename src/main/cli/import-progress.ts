/** The import's progress bar on a terminal (rows/s and percent); nothing when piped. */
import { Presets, SingleBar } from 'cli-progress';
import { basename } from 'node:path';
import type { ImportProgress } from '../../shared/import-contract';

export function startImportProgress(): {
  update(p: ImportProgress): void;
  stop(): void;
} {
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    {
      format: 'import |{bar}| {percentage}% | {rows} rows | {rate} rows/s | {file}',
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(100, 0, { rows: 0, rate: 0, file: '' });
  return {
    update: (p) =>
      bar.update(p.percent, {
        rows: p.rows.toLocaleString('en-US'),
        rate: Math.round(p.rowsPerSecond).toLocaleString('en-US'),
        file: p.file ? basename(p.file) : '',
      }),
    stop: () => bar.stop(),
  };
}
