/**
 * `npm run validate -- --config <file> --dump <file.csv>`: checks a session dump. Exit codes:
 * 0 clean (with a short report), 1 the dump has errors (every one listed), 2 bad input.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfigFile } from '../host/config-file';
import { validateDump } from '../host/dump-validator';

async function main(argv: string[]): Promise<void> {
  const options = new Command()
    .name('validate')
    .description('Check a session dump written by `backtest --dump` against its config.')
    .requiredOption('--config <file>', 'the session config the dump was made with')
    .requiredOption('--dump <file.csv>', 'the session dump')
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse(argv)
    .opts<{ config: string; dump: string }>();
  const loaded = await loadConfigFile(resolve(options.config));
  if (!loaded.ok) {
    for (const problem of loaded.problems) process.stderr.write(`${problem}\n`);
    process.exit(2);
  }
  let csv: string;
  try {
    csv = readFileSync(resolve(options.dump), 'utf8');
  } catch (error) {
    process.stderr.write(
      `${options.dump}: cannot read the dump (${(error as NodeJS.ErrnoException).code ?? error})\n`,
    );
    process.exit(2);
  }
  const { errors, report } = validateDump(loaded.config, csv);
  if (errors.length > 0) {
    process.stderr.write(`${options.dump}: ${errors.length} problem(s)\n`);
    for (const error of errors) process.stderr.write(`  ${error}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `${options.dump}: valid, ${report.rows} rows, clock ${report.clockStart} → ${report.clockEnd}\n`,
  );
  for (const [symbol, s] of Object.entries(report.symbols)) {
    const derived = Object.entries(s.derived)
      .map(([d, n]) => `${d} ${n}`)
      .join(', ');
    process.stdout.write(
      `  ${symbol}: ${s.base_interval || 'no bars'} ${s.bars_base} bars, quality ${s.bar_quality || '-'}%` +
        (derived ? `, derived ${derived}` : '') +
        '\n',
    );
  }
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(
    `validate failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(2);
});
