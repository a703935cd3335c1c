/**
 * `npm run catalog -- [--data <dir>] [--json] [--calendar XNYS|24x7]`
 * `npm run catalog -- migrate [--data <dir>]` (see migrate-layout.ts)
 *
 * Lists what the stores hold: symbol × stream × trading date, with rows, first/last time and,
 * for bars, quality against the calendar (each symbol's own, the one its files are dated by,
 * unless --calendar names one for all). Metadata only, so it is quick on any store. Files it
 * cannot read are listed on stderr. Exit codes: 0 listed; 2 no such data directory.
 */
import { Command, Option } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CatalogEntry } from '../../shared/import-contract';
import { CALENDARS, type CalendarName } from '../../shared/market/exchange-calendar';
import { ImportHost } from '../host/import-engine';
import { runMigrate } from './migrate-layout';

interface Flags {
  data: string;
  json?: boolean;
  calendar?: CalendarName;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('catalog')
    .description('List the data in the stores, per symbol, stream and trading date.')
    .option('--data <dir>', 'data directory', 'data')
    .option('--json', 'print JSON instead of a table')
    .addOption(
      new Option(
        '--calendar <name>',
        "calendar for bar quality (default: each symbol's own)",
      ).choices([...CALENDARS]),
    )
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .action(() => list(program.opts<Flags>()));
  program
    .command('migrate')
    .description('Move an old flat-layout parquet store to Hive-style partitions, in place.')
    .action(async () => {
      process.exitCode = await runMigrate(resolve(program.opts<Flags>().data));
    });
  await program.parseAsync(argv);
}

async function list(flags: Flags): Promise<void> {
  const dataDir = resolve(flags.data);
  if (!existsSync(dataDir)) {
    process.stderr.write(`No data directory at ${dataDir}.\n`);
    process.exit(2);
  }
  const { entries, problems } = await new ImportHost(flags.calendar).listCatalog(dataDir);
  for (const problem of problems) process.stderr.write(`cannot read: ${problem}\n`);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return;
  }
  process.stdout.write(entries.length > 0 ? `${table(entries)}\n` : `No data in ${dataDir}.\n`);
}

const HEADER = [
  'symbol',
  'stream',
  'date',
  'store',
  'rows',
  'first (UTC)',
  'last (UTC)',
  'quality',
];

export function table(entries: CatalogEntry[]): string {
  const rows = entries.map((e) => [
    e.symbol,
    e.kind === 'bars' ? `${e.interval} bars` : e.kind,
    e.date,
    e.store,
    e.rows.toLocaleString('en-US'),
    e.first.slice(11, 23),
    e.last.slice(11, 23),
    e.quality === null ? '-' : `${e.quality.toFixed(2)}%`,
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const right = new Set([4, 7]);
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(
    `catalog failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
