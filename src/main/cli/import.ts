/**
 * `npm run import -- <files…> [--data <dir>] [--symbol S] [--interval 1s|1m]
 *  [--tz UTC|America/New_York] [--stamp start|end] [--to parquet|sqlite|both] [--dry-run]
 *  [--sort] [--duplicates drop|refuse] [--calendar XNYS|24x7] [--map name=column,...]
 *  [--kind bars|quotes|ticks] [--unit s|ms|us|ns]`
 *
 * Imports foreign parquet/CSV (or a named vendor format) into the stores, all or nothing.
 * --dry-run prints the preview and writes nothing. The calendar dates the partitions (New York
 * dates for XNYS, UTC dates for 24x7); without --calendar it comes from the data, which the
 * preview states. Exit codes: 0 done; 2 bad input (every
 * problem on stderr); 1 a failure, which left the stores as they were (or says otherwise).
 */
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import {
  IMPORT_TARGETS,
  ImportOptionsSchema,
  type ImportOptions,
  type ImportTarget,
} from '../../shared/import-contract';
import { CALENDARS } from '../../shared/market/exchange-calendar';
import { ImportHost } from '../host/import-engine';
import { ImportCancelled, PartialCommitError } from '../storage/import/import-commit';
import { ImportError } from '../storage/import/import-types';
import { sameInstruments } from '../storage/import/instrument-names';
import { formatPreview, formatProblem, formatResult, hasErrors } from './import-format';
import { mappingFromFlags } from './import-mapping';
import { startImportProgress } from './import-progress';

interface Flags {
  data: string;
  symbol?: string;
  interval?: string;
  tz?: string;
  stamp?: string;
  to: ImportTarget;
  dryRun?: boolean;
  sort?: boolean;
  duplicates?: string;
  calendar?: string;
  map?: string;
  kind?: string;
  unit?: string;
  alias?: string;
}

function fail(code: number, lines: string[]): never {
  for (const line of lines) process.stderr.write(`${line}\n`);
  process.exit(code);
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('import')
    .description('Import parquet/CSV market data into the stores, all or nothing.')
    .argument('<files...>', 'files to import')
    .option('--data <dir>', 'data directory', 'data')
    .option('--symbol <S>', 'the symbol, when the file has no symbol column')
    .addOption(
      new Option('--interval <interval>', 'bar interval (default: inferred)').choices(['1s', '1m']),
    )
    .addOption(
      new Option('--tz <zone>', 'zone of timestamps without an offset (default UTC)').choices([
        'UTC',
        'America/New_York',
      ]),
    )
    .addOption(
      new Option(
        '--stamp <edge>',
        'bar timestamps mark the start or the end (default start)',
      ).choices(['start', 'end']),
    )
    .addOption(
      new Option('--to <store>', 'where to write').choices([...IMPORT_TARGETS]).default('parquet'),
    )
    .option('--dry-run', 'print the preview and write nothing')
    .option('--sort', 'sort rows that are out of order instead of refusing them')
    .addOption(
      new Option('--duplicates <rule>', 'duplicate timestamps: drop (counted) or refuse').choices([
        'drop',
        'refuse',
      ]),
    )
    .addOption(
      new Option(
        '--calendar <name>',
        'the market calendar: dates partitions and trading hours (default: from the data)',
      ).choices([...CALENDARS]),
    )
    .option(
      '--map <pairs>',
      'columns for fields, overriding detection: timestamp=Time,open=o,...,symbol=Ticker (timestamp=Date+Time joins two)',
    )
    .option('--kind <kind>', 'bars, quotes or ticks (default: from the column names)')
    .option(
      '--unit <unit>',
      'unit of numeric timestamps: s, ms, us or ns (default: from magnitude)',
    )
    .option(
      '--alias <pairs>',
      'import symbols under other names: BTCUSDT=BTC-USDT,XBTUSDT=BTC-USDT (one instrument that files name differently)',
    )
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse(argv);
  const flags = program.opts<Flags>();
  const files = (program.args as string[]).map((f) => resolve(f));

  const mapped = mappingFromFlags(flags);
  if (!mapped.ok) fail(2, mapped.problems);
  const aliases = flags.alias === undefined ? undefined : parseAliases(flags.alias);
  const parsed = ImportOptionsSchema.safeParse({
    ...(mapped.mapping ? { mapping: mapped.mapping } : {}),
    ...(flags.symbol !== undefined ? { symbol: flags.symbol } : {}),
    ...(flags.interval ? { interval: flags.interval } : {}),
    ...(flags.tz ? { tz: flags.tz } : {}),
    ...(flags.stamp ? { stamp: flags.stamp } : {}),
    ...(flags.sort ? { sort: true } : {}),
    ...(flags.duplicates ? { duplicates: flags.duplicates } : {}),
    ...(flags.calendar ? { calendar: flags.calendar } : {}),
    ...(aliases ? { aliases } : {}),
  });
  if (!parsed.success) {
    fail(
      2,
      parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`),
    );
  }
  const options: ImportOptions = parsed.data;
  const host = new ImportHost();

  if (flags.dryRun) {
    let previews;
    try {
      previews = await host.previewImport(files, options, resolve(flags.data));
    } catch (error) {
      if (error instanceof ImportError) fail(2, error.problems.map(formatProblem));
      throw error;
    }
    process.stdout.write(`${previews.map(formatPreview).join('\n\n')}\n`);
    process.exit(previews.some(hasErrors) ? 2 : 0);
  }

  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  const progress = startImportProgress();
  let result;
  try {
    result = await host.runImport(files, options, flags.to, {
      dataDir: resolve(flags.data),
      signal: controller.signal,
      onProgress: progress.update,
    });
  } catch (error) {
    progress.stop();
    if (error instanceof ImportError) {
      fail(2, [
        'Nothing was imported; the input has problems:',
        ...error.problems.map(formatProblem),
      ]);
    }
    if (error instanceof ImportCancelled) fail(1, [error.message]);
    if (error instanceof PartialCommitError) fail(1, [`import failed: ${error.message}`]);
    const message = error instanceof Error ? error.message : String(error);
    fail(1, [`import failed: ${message}`, 'The stores were left as they were.']);
  } finally {
    process.off('SIGINT', onSignal);
  }
  progress.stop();
  process.stdout.write(`${formatResult(result)}\n`);
  for (const group of sameInstruments(new Set(result.streams.map((s) => s.symbol)))) {
    process.stderr.write(
      `warning: ${group.symbols.join(' and ')} look like one instrument stored as ${group.symbols.length} symbols; import again with --alias to make them one (${group.as})\n`,
    );
  }
}

/** `A=B,C=D` as aliases; a pair without `=` is refused. */
function parseAliases(text: string): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [from, to, ...rest] = pair.split('=').map((s) => s.trim());
    if (!from || !to || rest.length > 0) fail(2, [`--alias: "${pair}" is not FROM=TO`]);
    aliases[from] = to;
  }
  return aliases;
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(
    `import failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
